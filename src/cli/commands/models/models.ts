import { defineCommand } from "citty";
import { InputError } from "../../../errors.js";
import { aliasOf, MODEL_ALIASES } from "../../../hub/aliases.js";
import { removeFromCache, scanCache } from "../../../hub/cache.js";
import { hubEnv } from "../../../hub/env.js";
import { formatSpec, parseRepoSpec } from "../../../hub/repo-spec.js";
import { type ResolvedModel, resolveModelSource } from "../../../model/model-source.js";
import { jsonArgs, revisionArgs } from "../../args.js";
import { downloadProgress } from "../../progress.js";

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/** ORG/NAME[@REV] or an alias, or a one-line error; `specieslm models` never reads local folders. */
function specOf(text: string, revision?: string) {
  const spec = parseRepoSpec(text, revision);
  if (!spec) throw new InputError(`"${text}" is not a Hub model name: write ORG/NAME[@REVISION] or one of ${MODEL_ALIASES.map((a) => a.alias).join(", ")}`);
  return spec;
}

const list = defineCommand({
  meta: {
    name: "list",
    description: "Hub models in the Hugging Face cache: repositories, revisions (commit), files and sizes; and the aliases",
  },
  args: { ...jsonArgs },
  run({ args }) {
    const env = hubEnv();
    const repos = scanCache(env.cacheDir);
    if (args.json) {
      process.stdout.write(JSON.stringify({ cache: env.cacheDir, repos, aliases: MODEL_ALIASES }) + "\n");
      return;
    }
    const rows = [["repository", "revision", "commit", "files", "size", "alias"]];
    for (const r of repos) {
      for (const v of r.revisions)
        rows.push([r.repo, v.revision, v.commit.slice(0, 8), String(v.files.length), mib(v.bytes), aliasOf(r.repo, v.revision)?.alias ?? ""]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    process.stdout.write(
      rows
        .map((row) =>
          row
            .map((c, i) => c.padEnd(widths[i]!))
            .join("  ")
            .trimEnd(),
        )
        .join("\n") + "\n",
    );
    const total = repos.reduce((s, r) => s + r.bytes, 0);
    process.stdout.write(`cache ${env.cacheDir}: ${repos.length} repositories, ${mib(total)} on disk\n\naliases:\n`);
    for (const a of MODEL_ALIASES)
      process.stdout.write(
        `  ${a.alias.padEnd(22)} ${formatSpec(a)}  ${a.description}; k = ${a.k}, species ${a.species === "token" ? "as a token" : "not given"}\n`,
      );
  },
});

const pull = defineCommand({
  meta: {
    name: "pull",
    description: "Download a Hub model (ORG/NAME[@REV] or an alias) into the Hugging Face cache and print its snapshot folder",
  },
  args: {
    name: {
      type: "positional",
      description: "ORG/NAME[@REVISION] or specieslm-3p | specieslm-3p-agnostic | specieslm-5p | specieslm-5p-agnostic",
      required: true,
    },
    ...revisionArgs,
    ...jsonArgs,
  },
  async run({ args }) {
    const spec = specOf(args.name, args.revision);
    const bar = downloadProgress(`pull ${formatSpec(spec)}`, { quiet: args.json });
    let r: ResolvedModel;
    try {
      r = await resolveModelSource(args.name, {
        ...(args.revision ? { revision: args.revision } : {}),
        progress: (d, t) => bar.update(d, t),
      });
    } finally {
      bar.stop();
    }
    const snap = r.hub!.snapshot;
    if (args.json) {
      process.stdout.write(
        JSON.stringify({
          repo: spec.repo,
          revision: spec.revision,
          commit: snap.commit,
          dir: snap.dir,
          files: snap.files,
          downloadedBytes: snap.downloadedBytes,
          ...(spec.alias ? { alias: spec.alias } : {}),
        }) + "\n",
      );
      return;
    }
    process.stderr.write(`${formatSpec(spec)} at commit ${snap.commit}: ${snap.files.length} files, ${mib(snap.downloadedBytes)} downloaded\n`);
    if (spec.alias) process.stderr.write(`${spec.alias.alias}: ${spec.alias.description}; k = ${spec.alias.k}\n`);
    process.stdout.write(`${snap.dir}\n`);
  },
});

const rm = defineCommand({
  meta: {
    name: "rm",
    description: "Remove a Hub model from the cache: ORG/NAME (every revision) or ORG/NAME@REV (that revision, and blobs no other revision uses)",
  },
  args: { name: { type: "positional", description: "ORG/NAME[@REVISION] or an alias", required: true }, ...jsonArgs },
  async run({ args }) {
    const whole = !args.name.includes("@") && !MODEL_ALIASES.some((a) => a.alias === args.name);
    const spec = specOf(args.name);
    const env = hubEnv();
    const r = await removeFromCache(env.cacheDir, spec.repo, whole ? undefined : spec.revision);
    if (!r) throw new InputError(`${whole ? spec.repo : formatSpec(spec)} is not in the cache at ${env.cacheDir}; \`specieslm models list\` shows what is`);
    if (args.json) process.stdout.write(JSON.stringify({ repo: spec.repo, ...r }) + "\n");
    else process.stderr.write(`removed ${spec.repo} ${r.removed.join(", ") || "(no revisions)"}: ${mib(r.freedBytes)} freed\n`);
  },
});

export default defineCommand({
  meta: { name: "models", description: "Hub models in the Hugging Face cache: list, pull, rm" },
  subCommands: { list, pull, rm },
});
