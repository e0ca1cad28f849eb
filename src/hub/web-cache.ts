import { resolveUrl } from "./http.js";

/**
 * The browser's copy of Hub files, in Cache Storage ("specieslm-hub"): each file under its resolve URL
 * at the commit (or at the revision when the server names no commit), a snapshot record listing a
 * commit's files (written last, so a record means every file is there), and a ref record per branch
 * or tag naming its last seen commit (so a branch opens from the cache when the Hub cannot be reached).
 * Imports nothing from Node; tests pass an in-memory cache.
 */
export const HUB_CACHE_NAME = "specieslm-hub";

/** The part of the Cache API this module uses. */
export type HubCache = Pick<Cache, "match" | "put">;

export interface CachedSnapshot {
  /** The commit, or the revision itself when the server gave no X-Repo-Commit. */
  readonly key: string;
  readonly files: readonly string[];
}

const recordUrl = (endpoint: string, repo: string, kind: "snapshot" | "ref", name: string): string =>
  `${endpoint}/api/specieslm-cache/${repo}/${kind}/${encodeURIComponent(name)}`;

export const fileKey = (endpoint: string, repo: string, key: string, file: string): string => resolveUrl({ endpoint }, repo, key, file);

async function readJson<T>(cache: HubCache, url: string): Promise<T | undefined> {
  const res = await cache.match(url);
  if (!res) return undefined;
  try {
    return (await res.json()) as T;
  } catch {
    return undefined;
  }
}

const putJson = (cache: HubCache, url: string, value: unknown): Promise<void> =>
  cache.put(url, new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } }));

export const readSnapshotRecord = (cache: HubCache, endpoint: string, repo: string, key: string): Promise<CachedSnapshot | undefined> =>
  readJson<CachedSnapshot>(cache, recordUrl(endpoint, repo, "snapshot", key));

export const writeSnapshotRecord = (cache: HubCache, endpoint: string, repo: string, snap: CachedSnapshot): Promise<void> =>
  putJson(cache, recordUrl(endpoint, repo, "snapshot", snap.key), snap);

export async function readRef(cache: HubCache, endpoint: string, repo: string, revision: string): Promise<string | undefined> {
  return (await readJson<{ key: string }>(cache, recordUrl(endpoint, repo, "ref", revision)))?.key;
}

export const writeRef = (cache: HubCache, endpoint: string, repo: string, revision: string, key: string): Promise<void> =>
  putJson(cache, recordUrl(endpoint, repo, "ref", revision), { key });

/** The cached files of a snapshot as Blobs by name, or undefined when one is missing (evicted). */
export async function readCachedFiles(cache: HubCache, endpoint: string, repo: string, snap: CachedSnapshot): Promise<Map<string, Blob> | undefined> {
  const out = new Map<string, Blob>();
  for (const file of snap.files) {
    const res = await cache.match(fileKey(endpoint, repo, snap.key, file));
    if (!res) return undefined;
    out.set(file, await res.blob());
  }
  return out;
}

export const putFile = (cache: HubCache, endpoint: string, repo: string, key: string, file: string, blob: Blob): Promise<void> =>
  cache.put(fileKey(endpoint, repo, key, file), new Response(blob, { headers: { "content-length": String(blob.size) } }));
