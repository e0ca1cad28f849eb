import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HubError } from "../errors.js";
import { parseRepoSpec, type RepoSpec } from "../hub/repo-spec.js";
import { type FileSelector, resolveSnapshot, type Snapshot } from "../hub/snapshot.js";
import type { HubEnv } from "../hub/env.js";
import { resolveModelDir } from "./model-folder.js";
import { OPTIONAL_FILES, WEIGHT_FILES } from "../hub/model-files.js";

/**
 * What `--model` names, resolved the way transformers resolves a name: an existing local folder wins
 * (a train run folder stands for its last checkpoint); then a model shipped in `models/` (yeast-3p, ...);
 * otherwise an alias (specieslm-3p, ...) or
 * ORG/NAME[@REV] on the Hugging Face Hub, fetched into the huggingface_hub cache. Every command goes
 * through here.
 */
export interface ResolvedModel {
  readonly dir: string;
  readonly fromRun: boolean;
  readonly hub?: { readonly spec: RepoSpec; readonly snapshot: Snapshot };
}

/** The files of a SpeciesLM folder in a revision: config.json, vocab.txt, one weight file (safetensors preferred). */
export const speciesLmFiles: FileSelector = (files, where) => {
  const have = new Set(files);
  const weights = WEIGHT_FILES.find((f) => have.has(f));
  for (const [need, ok] of [
    ["config.json", have.has("config.json")],
    ["vocab.txt", have.has("vocab.txt")],
    [WEIGHT_FILES.join(" or "), weights !== undefined],
  ] as const) {
    if (!ok) {
      throw new HubError(
        `${where} is not a SpeciesLM model: no ${need} (it has ${files.length ? files.slice(0, 6).join(", ") + (files.length > 6 ? ", ..." : "") : "no files"})`,
      );
    }
  }
  return ["config.json", "vocab.txt", ...OPTIONAL_FILES.filter((f) => have.has(f)), weights!];
};

export interface ResolveModelOptions {
  /** --revision: applies to ORG/NAME without '@'. */
  readonly revision?: string;
  readonly env?: HubEnv;
  readonly progress?: (done: number, total: number) => void;
}

/** Models trained by this project and shipped in its `models/` folder, by name (yeast-3p, yeast-5p, ...). */
export const SHIPPED_MODELS_DIR = fileURLToPath(new URL("../../models/", import.meta.url));

export function shippedModelDir(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return undefined;
  const dir = join(SHIPPED_MODELS_DIR, name);
  return existsSync(join(dir, "config.json")) ? dir : undefined;
}

export async function resolveModelSource(text: string, opts: ResolveModelOptions = {}): Promise<ResolvedModel> {
  if (existsSync(text) && statSync(text).isDirectory()) return resolveModelDir(text);
  const shipped = shippedModelDir(text);
  if (shipped) return { dir: shipped, fromRun: false };
  const spec = parseRepoSpec(text, opts.revision);
  if (!spec) return resolveModelDir(text); // not a Hub name either: the folder error
  const snapshot = await resolveSnapshot(spec, {
    select: speciesLmFiles,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  return { dir: snapshot.dir, fromRun: false, hub: { spec, snapshot } };
}
