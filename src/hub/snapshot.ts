import { existsSync, readdirSync } from "node:fs";
import { HubError } from "../errors.js";
import { cachedCommit, cachedFile, linkSnapshotFile, repoCache, type RepoCache, writeRef } from "./cache.js";
import { downloadBlob } from "./download.js";
import { hubEnv, type HubEnv } from "./env.js";
import { fetchRevision, headFile, HubUnreachable, type RemoteFile, type RemoteRevision } from "./http.js";
import { formatSpec, type RepoSpec } from "./repo-spec.js";

/**
 * Picks the files a caller needs from a revision's file list (the model layer knows which make a
 * SpeciesLM folder); throws a HubError naming the repository when the revision is not one.
 */
export type FileSelector = (files: readonly string[], where: string) => readonly string[];

export interface SnapshotOptions {
  readonly select: FileSelector;
  readonly env?: HubEnv;
  /** Bytes downloaded so far of all files this call fetches, and their total. */
  readonly progress?: (done: number, total: number) => void;
}

export interface Snapshot {
  readonly dir: string;
  readonly commit: string;
  readonly files: readonly string[];
  readonly downloadedBytes: number;
  /** The Hub could not be reached and the cached snapshot was used instead. */
  readonly fromCacheUnreachable: boolean;
}

function snapshotListing(cache: RepoCache, commit: string): string[] {
  const dir = cache.snapshot(commit);
  return existsSync(dir) ? readdirSync(dir).filter((f) => cachedFile(cache, commit, f)) : [];
}

/** The cached snapshot of spec, with every selected file present, or a HubError that names what is missing. */
function fromCache(env: HubEnv, spec: RepoSpec, select: FileSelector, why: string): Snapshot {
  const cache = repoCache(env.cacheDir, spec.repo);
  const commit = cachedCommit(cache, spec.revision);
  if (!commit) {
    throw new HubError(
      `${why} and ${formatSpec(spec)} is not in the cache at ${env.cacheDir}; run online once (or \`specieslm models pull ${formatSpec(spec)}\`)`,
    );
  }
  const have = snapshotListing(cache, commit);
  let files: readonly string[];
  try {
    files = select(have, `${formatSpec(spec)} in the cache (${cache.snapshot(commit)})`);
  } catch (err) {
    throw new HubError(`${why}: ${(err as Error).message}`);
  }
  return { dir: cache.snapshot(commit), commit, files, downloadedBytes: 0, fromCacheUnreachable: false };
}

/**
 * Resolves a Hub model to a local snapshot folder in the huggingface_hub cache, downloading what the
 * cache lacks. Blobs are verified and complete before any snapshot link or ref is written, so a failed
 * run leaves the snapshot as it was (and at most a resumable blobs/ETAG.incomplete).
 */
export async function resolveSnapshot(spec: RepoSpec, opts: SnapshotOptions): Promise<Snapshot> {
  const env = opts.env ?? hubEnv();
  if (env.offline) return fromCache(env, spec, opts.select, "offline (HF_HUB_OFFLINE=1)");
  let remote: RemoteRevision;
  try {
    remote = await fetchRevision(env, spec.repo, spec.revision);
  } catch (err) {
    if (!(err instanceof HubUnreachable)) throw err;
    try {
      return { ...fromCache(env, spec, opts.select, `the Hub at ${env.endpoint} cannot be reached`), fromCacheUnreachable: true };
    } catch {
      throw err;
    }
  }
  const { commit } = remote;
  const byPath = new Map<string, RemoteFile>(remote.files.map((f) => [f.path, f]));
  const files = opts.select([...byPath.keys()], `${formatSpec(spec)} (commit ${commit.slice(0, 8)}) on ${env.endpoint}`);
  const cache = repoCache(env.cacheDir, spec.repo);
  const missing = files.filter((f) => !cachedFile(cache, commit, f));
  const total = missing.reduce((s, f) => s + byPath.get(f)!.size, 0);
  let before = 0;
  const links: [string, string][] = [];
  for (const file of missing) {
    const meta = byPath.get(file)!;
    const head = await headFile(env, spec.repo, commit, file);
    const want = {
      repo: spec.repo,
      revision: spec.revision,
      file,
      size: meta.lfs?.size ?? meta.size,
      ...(meta.lfs ? { sha256: meta.lfs.sha256 } : { gitSha1: meta.oid }),
    };
    if (head.size !== want.size)
      throw new HubError(`${formatSpec(spec)} ${file}: the Hub gives two sizes (${head.size} and ${want.size} bytes); try again later`);
    const base = before;
    await downloadBlob(env, head.url, cache.blob(head.etag), want, (_f, done) => opts.progress?.(base + done, total));
    before += want.size;
    links.push([file, head.etag]);
  }
  for (const [file, etag] of links) await linkSnapshotFile(cache, commit, file, etag);
  await writeRef(cache, spec.revision, commit);
  return { dir: cache.snapshot(commit), commit, files, downloadedBytes: total, fromCacheUnreachable: false };
}
