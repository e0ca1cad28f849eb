import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { mkdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { randomBytes } from "node:crypto";
import { COMMIT_HASH } from "./repo-spec.js";

/**
 * The cache layout of Python's huggingface_hub, so that either side reuses the other's downloads:
 *   models--ORG--NAME/blobs/ETAG                      file contents, named by etag (sha256 for LFS, git sha1 otherwise)
 *   models--ORG--NAME/snapshots/COMMIT/FILE           relative symlink to ../../blobs/ETAG
 *   models--ORG--NAME/refs/REVISION                   the commit hash (no newline), for revisions that are not commits
 */
export const repoFolderName = (repo: string): string => `models--${repo.split("/").join("--")}`;
export const repoFromFolderName = (name: string): string | undefined =>
  name.startsWith("models--") ? name.slice("models--".length).split("--").join("/") : undefined;

export interface RepoCache {
  readonly root: string;
  readonly blobs: string;
  blob(etag: string): string;
  snapshot(commit: string): string;
  ref(revision: string): string;
}

export function repoCache(cacheDir: string, repo: string): RepoCache {
  const root = join(cacheDir, repoFolderName(repo));
  return {
    root,
    blobs: join(root, "blobs"),
    blob: (etag) => join(root, "blobs", etag),
    snapshot: (commit) => join(root, "snapshots", commit),
    ref: (revision) => join(root, "refs", revision),
  };
}

/** The commit a revision points to in the cache: the revision itself when it is a commit hash. */
export function cachedCommit(cache: RepoCache, revision: string): string | undefined {
  if (COMMIT_HASH.test(revision) && existsSync(cache.snapshot(revision))) return revision;
  const ref = cache.ref(revision);
  if (!existsSync(ref)) return undefined;
  const commit = readFileSync(ref, "utf8").trim();
  return COMMIT_HASH.test(commit) ? commit : undefined;
}

/** Writes refs/REVISION atomically (huggingface_hub writes it without a trailing newline). */
export async function writeRef(cache: RepoCache, revision: string, commit: string): Promise<void> {
  if (revision === commit) return;
  const path = cache.ref(revision);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, commit);
  await rename(tmp, path);
}

/** Links snapshots/COMMIT/FILE to its blob by a relative path, replacing an older link in one rename. */
export async function linkSnapshotFile(cache: RepoCache, commit: string, file: string, etag: string): Promise<void> {
  const path = join(cache.snapshot(commit), file);
  await mkdir(dirname(path), { recursive: true });
  const target = relative(dirname(path), cache.blob(etag));
  if (existsSync(path) && lstatSync(path).isSymbolicLink() && readlinkSync(path) === target) return;
  const tmp = join(dirname(path), `.${randomBytes(4).toString("hex")}.tmp`);
  await symlink(target, tmp);
  await rename(tmp, path);
}

/** A file of a cached snapshot that resolves to a complete blob (a link to nothing is not cached). */
export function cachedFile(cache: RepoCache, commit: string, file: string): string | undefined {
  const path = join(cache.snapshot(commit), file);
  return existsSync(path) ? path : undefined;
}

export interface CachedRevision {
  readonly revision: string;
  readonly commit: string;
  readonly files: readonly string[];
  /** Bytes of the revision's files (shared blobs counted for each revision). */
  readonly bytes: number;
}

export interface CachedRepo {
  readonly repo: string;
  readonly path: string;
  readonly revisions: readonly CachedRevision[];
  /** Bytes of the repository's blobs on disk, each blob once. */
  readonly bytes: number;
}

const listDir = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

function walkRefs(dir: string, prefix = ""): string[] {
  return listDir(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walkRefs(join(dir, n), `${prefix}${n}/`) : [`${prefix}${n}`]));
}

function snapshotFiles(dir: string, prefix = ""): string[] {
  return listDir(dir).flatMap((n) => {
    const p = join(dir, n);
    if (!existsSync(p)) return [];
    return statSync(p).isDirectory() ? snapshotFiles(p, `${prefix}${n}/`) : [`${prefix}${n}`];
  });
}

/** Every cached model repository with its revisions (refs, and snapshots no ref names by their commit). */
export function scanCache(cacheDir: string): CachedRepo[] {
  return listDir(cacheDir).flatMap((name) => {
    const repo = repoFromFolderName(name);
    if (!repo) return [];
    const cache = repoCache(cacheDir, repo);
    const refs = walkRefs(join(cache.root, "refs")).map((r) => ({ revision: r, commit: readFileSync(cache.ref(r), "utf8").trim() }));
    const named = new Set(refs.map((r) => r.commit));
    const loose = listDir(join(cache.root, "snapshots"))
      .filter((c) => !named.has(c))
      .map((c) => ({ revision: c, commit: c }));
    const revisions = [...refs, ...loose].map(({ revision, commit }) => {
      const files = snapshotFiles(cache.snapshot(commit));
      const bytes = files.reduce((s, f) => s + statSync(join(cache.snapshot(commit), f)).size, 0);
      return { revision, commit, files, bytes };
    });
    const bytes = listDir(cache.blobs).reduce((s, b) => s + statSync(join(cache.blobs, b)).size, 0);
    return [{ repo, path: cache.root, revisions, bytes }];
  });
}

/**
 * Removes a revision: its ref, its snapshot when no other ref points to that commit, and the blobs no
 * remaining snapshot links to. Without a revision, the whole repository folder. Returns what it removed.
 */
export async function removeFromCache(cacheDir: string, repo: string, revision?: string): Promise<{ removed: string[]; freedBytes: number } | undefined> {
  const cache = repoCache(cacheDir, repo);
  if (!existsSync(cache.root)) return undefined;
  const before = scanCache(cacheDir).find((r) => r.repo === repo)!;
  if (revision === undefined) {
    await rm(cache.root, { recursive: true, force: true });
    return { removed: before.revisions.map((r) => r.revision), freedBytes: before.bytes };
  }
  const commit = cachedCommit(cache, revision) ?? (existsSync(cache.snapshot(revision)) ? revision : undefined);
  if (!commit) return undefined;
  await rm(cache.ref(revision), { force: true });
  const stillNamed = walkRefs(join(cache.root, "refs")).some((r) => readFileSync(cache.ref(r), "utf8").trim() === commit);
  if (!stillNamed) await rm(cache.snapshot(commit), { recursive: true, force: true });
  const used = new Set(
    listDir(join(cache.root, "snapshots")).flatMap((c) =>
      snapshotFiles(cache.snapshot(c))
        .map((f) => join(cache.snapshot(c), f))
        .filter((p) => lstatSync(p).isSymbolicLink())
        .map((p) => readlinkSync(p).split("/").pop()!),
    ),
  );
  let freedBytes = 0;
  for (const b of listDir(cache.blobs)) {
    if (used.has(b) || b.endsWith(".incomplete")) continue;
    freedBytes += statSync(cache.blob(b)).size;
    await rm(cache.blob(b), { force: true });
  }
  return { removed: [revision], freedBytes };
}
