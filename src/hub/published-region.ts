import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { aliasOf, type ModelAlias } from "./aliases.js";

/**
 * The published checkpoint a folder is, when it is a snapshot of the Hugging Face cache
 * (`models--ORG--NAME/snapshots/COMMIT`, made by specieslm or by Python) that a ref of a published
 * revision points to. The published config.json files do not state their region; the alias table does.
 */
export function publishedCheckpointAt(dir: string): ModelAlias | undefined {
  const snapshot = resolve(dir);
  const commit = basename(snapshot);
  const repoDir = dirname(dirname(snapshot));
  const m = /^models--(.+?)--(.+)$/.exec(basename(repoDir));
  if (!m || basename(dirname(snapshot)) !== "snapshots") return undefined;
  const refs = join(repoDir, "refs");
  if (!existsSync(refs)) return undefined;
  for (const revision of readdirSync(refs, { recursive: true, encoding: "utf8" })) {
    let target: string;
    try {
      target = readFileSync(join(refs, revision), "utf8").trim();
    } catch {
      continue; // a folder of refs (refs/pr/…)
    }
    const alias = target === commit ? aliasOf(`${m[1]}/${m[2]}`, revision) : undefined;
    if (alias) return alias;
  }
  return undefined;
}
