import { HubError, InputError } from "../errors.js";
import { filesSource, type FileSource } from "../io/file-source.js";
import { OPTIONAL_FILES, WEIGHT_FILES } from "./model-files.js";
import { MODEL_ALIASES } from "./aliases.js";
import { DEFAULT_HUB_ENDPOINT } from "./endpoint.js";
import { resolveUrl } from "./http.js";
import { COMMIT_HASH, formatSpec, parseRepoSpec, type RepoSpec } from "./repo-spec.js";
import {
  type CachedSnapshot,
  HUB_CACHE_NAME,
  type HubCache,
  putFile,
  readCachedFiles,
  readRef,
  readSnapshotRecord,
  writeRef,
  writeSnapshotRecord,
} from "./web-cache.js";

/**
 * Opens a Hub model by name in a browser: `ORG/NAME[@REV]` or an alias, fetched from the resolve
 * endpoint (the Hub serves it with CORS) into Cache Storage, or read from there. config.json is asked
 * for first: its X-Repo-Commit says which commit a branch is at now, and files are cached by commit,
 * so a moving branch is re-checked and a commit never is. No Node imports.
 */
export interface WebHubOptions {
  /** The Hub's address (default https://huggingface.co). */
  readonly endpoint?: string;
  /** Where files are kept; default the Cache Storage "specieslm-hub"; null keeps nothing. */
  readonly cache?: HubCache | null;
  readonly onProgress?: (p: DownloadProgress) => void;
  readonly fetch?: typeof fetch;
}

export interface DownloadProgress {
  readonly file: string;
  readonly done: number;
  /** Bytes of this file when the server says (Content-Length). */
  readonly total: number | undefined;
  /** 1-based number of this file, and how many a model has at most. */
  readonly index: number;
  readonly count: number;
}

export interface WebSnapshot {
  readonly spec: RepoSpec;
  readonly endpoint: string;
  /** The commit the files are from, when the server names it. */
  readonly commit: string | undefined;
  readonly files: readonly string[];
  readonly source: FileSource;
  readonly fromCache: boolean;
  /** The Hub could not be reached and the cached copy of the revision was used. */
  readonly unreachable: boolean;
  readonly downloadedBytes: number;
}

const REQUIRED = ["config.json", "vocab.txt"] as const;
const FILE_COUNT = REQUIRED.length + OPTIONAL_FILES.length + 1;

export const normaliseEndpoint = (url: string): string => url.trim().replace(/\/+$/, "") || DEFAULT_HUB_ENDPOINT;

/** Parses the name typed in the page; an InputError listing the forms when it is not one. */
export function parseHubName(text: string): RepoSpec {
  const name = text.trim();
  const spec = name ? parseRepoSpec(name) : undefined;
  if (!spec) {
    throw new InputError(`"${name}" is not a Hub model name: write ORG/NAME, ORG/NAME@REVISION or one of ${MODEL_ALIASES.map((a) => a.alias).join(", ")}`);
  }
  return spec;
}

/** One line for a Hub answer that is not the file: what is missing and what to do. */
export function webHubFailure(res: Response, endpoint: string, spec: RepoSpec, file: string): HubError {
  const code = res.headers.get("x-error-code") ?? "";
  const where = formatSpec(spec);
  if (code === "RevisionNotFound")
    return new HubError(`revision ${spec.revision} not found in ${spec.repo} on ${endpoint}; give a branch, tag or commit of that repository`);
  if (code === "EntryNotFound") return new HubError(`${where} on ${endpoint} has no ${file}; is it a SpeciesLM model?`);
  if (code === "RepoNotFound") return new HubError(`repository ${spec.repo} not found on ${endpoint}; check the name`);
  if (code === "GatedRepo" || res.status === 401 || res.status === 403) {
    return new HubError(
      `${spec.repo} is gated or private on ${endpoint} (HTTP ${res.status}): this page cannot sign in; ` +
        `download it with \`specieslm models pull ${where}\` (HF_TOKEN set) and open the folder`,
    );
  }
  if (res.status === 404) return new HubError(`${where} not found on ${endpoint} (HTTP 404 for ${file}): check the repository name and revision`);
  return new HubError(`the Hub at ${endpoint} answered HTTP ${res.status} for ${where} ${file}; try again later`);
}

function unreachable(endpoint: string, spec: RepoSpec, err: unknown, cached: string): HubError {
  return new HubError(
    `cannot reach the Hub at ${endpoint} for ${formatSpec(spec)} (${(err as Error).message || String(err)})${cached}; check the network or the Hub address`,
    { cause: err },
  );
}

interface Run {
  readonly endpoint: string;
  readonly spec: RepoSpec;
  readonly cache: HubCache | null;
  readonly get: typeof fetch;
  readonly onProgress: ((p: DownloadProgress) => void) | undefined;
}

async function request(run: Run, key: string, file: string): Promise<Response> {
  try {
    return await run.get(resolveUrl({ endpoint: run.endpoint }, run.spec.repo, key, file));
  } catch (err) {
    throw unreachable(run.endpoint, run.spec, err, "");
  }
}

/** A response body as a Blob, with progress; a HubError when it ends short of Content-Length. */
async function readBody(run: Run, res: Response, file: string, index: number): Promise<Blob> {
  // A compressed transfer's Content-Length counts compressed bytes (and a cross-origin page cannot
  // see Content-Encoding): only a body shorter than it is taken as cut off.
  const length = res.headers.get("content-length");
  let total = length !== null && res.headers.get("content-encoding") === null ? Number(length) : undefined;
  const chunks: Uint8Array[] = [];
  let done = 0;
  run.onProgress?.({ file, done, total, index, count: FILE_COUNT });
  const reader = res.body?.getReader();
  try {
    for (;;) {
      const { done: end, value } = reader ? await reader.read() : { done: true as const, value: undefined };
      if (end) break;
      chunks.push(value);
      done += value.length;
      if (total !== undefined && done > total) total = undefined;
      run.onProgress?.({ file, done, total, index, count: FILE_COUNT });
    }
  } catch (err) {
    throw new HubError(
      `download of ${formatSpec(run.spec)} ${file} from ${run.endpoint} was interrupted after ${done} bytes (${(err as Error).message}); open it again`,
      { cause: err },
    );
  }
  if (total !== undefined && done < total) {
    throw new HubError(`download of ${formatSpec(run.spec)} ${file} from ${run.endpoint} ended after ${done} of ${total} bytes; open it again`);
  }
  return new Blob(chunks as BlobPart[]);
}

/** Fetches what a model folder needs at `key` (a commit, or the revision); `first` is config.json's answer. */
async function download(run: Run, key: string, first: Response): Promise<Map<string, Blob>> {
  const blobs = new Map<string, Blob>([["config.json", await readBody(run, first, "config.json", 1)]]);
  const optional = [...OPTIONAL_FILES];
  let index = 1;
  for (const file of ["vocab.txt", ...optional]) {
    const res = await request(run, key, file);
    index++;
    if (res.status === 404 && optional.includes(file as (typeof optional)[number])) {
      await res.body?.cancel();
      continue;
    }
    if (!res.ok) throw webHubFailure(res, run.endpoint, run.spec, file);
    blobs.set(file, await readBody(run, res, file, index));
  }
  for (const file of WEIGHT_FILES) {
    const res = await request(run, key, file);
    if (res.status === 404 && file !== WEIGHT_FILES[WEIGHT_FILES.length - 1]) {
      await res.body?.cancel();
      continue;
    }
    if (res.status === 404) throw new HubError(`${formatSpec(run.spec)} on ${run.endpoint} is not a SpeciesLM model: no ${WEIGHT_FILES.join(" or ")}`);
    if (!res.ok) throw webHubFailure(res, run.endpoint, run.spec, file);
    blobs.set(file, await readBody(run, res, file, FILE_COUNT));
    break;
  }
  if (run.cache) {
    const { cache, endpoint, spec } = run;
    for (const [file, blob] of blobs) await putFile(cache, endpoint, spec.repo, key, file, blob);
    await writeSnapshotRecord(cache, endpoint, spec.repo, { key, files: [...blobs.keys()] });
  }
  return blobs;
}

async function fromCache(run: Run, key: string | undefined): Promise<Map<string, Blob> | undefined> {
  if (!run.cache || key === undefined) return undefined;
  const snap: CachedSnapshot | undefined = await readSnapshotRecord(run.cache, run.endpoint, run.spec.repo, key);
  return snap ? readCachedFiles(run.cache, run.endpoint, run.spec.repo, snap) : undefined;
}

async function defaultCache(): Promise<HubCache | null> {
  return typeof caches === "undefined" ? null : caches.open(HUB_CACHE_NAME);
}

export async function openHubSnapshot(name: string, opts: WebHubOptions = {}): Promise<WebSnapshot> {
  const spec = parseHubName(name);
  const run: Run = {
    endpoint: normaliseEndpoint(opts.endpoint ?? DEFAULT_HUB_ENDPOINT),
    spec,
    cache: opts.cache === undefined ? await defaultCache() : opts.cache,
    get: opts.fetch ?? ((input, init) => fetch(input, init)),
    onProgress: opts.onProgress,
  };
  const done = (key: string, blobs: Map<string, Blob>, fromCache: boolean, unreachable = false): WebSnapshot => ({
    spec,
    endpoint: run.endpoint,
    commit: COMMIT_HASH.test(key) ? key : undefined,
    files: [...blobs.keys()],
    fromCache,
    unreachable,
    downloadedBytes: fromCache ? 0 : [...blobs.values()].reduce((s, b) => s + b.size, 0),
    source: filesSource(
      [...blobs].map(([f, b]) => new File([b], f)),
      formatSpec(spec),
    ),
  });
  const pinned = COMMIT_HASH.test(spec.revision);
  if (pinned) {
    const cached = await fromCache(run, spec.revision);
    if (cached) return done(spec.revision, cached, true);
  }
  let first: Response;
  try {
    first = await run.get(resolveUrl({ endpoint: run.endpoint }, spec.repo, spec.revision, "config.json"));
  } catch (err) {
    const key = pinned ? spec.revision : run.cache ? await readRef(run.cache, run.endpoint, spec.repo, spec.revision) : undefined;
    const cached = await fromCache(run, key);
    if (cached && key !== undefined) return done(key, cached, true, true);
    throw unreachable(run.endpoint, spec, err, ", and this browser has no copy of it");
  }
  if (!first.ok) throw webHubFailure(first, run.endpoint, spec, "config.json");
  const commit = first.headers.get("x-repo-commit")?.trim().toLowerCase();
  const key = commit && COMMIT_HASH.test(commit) ? commit : spec.revision;
  let blobs = await fromCache(run, key);
  const cached = blobs !== undefined;
  if (blobs) await first.body?.cancel();
  else blobs = await download(run, key, first);
  if (run.cache && !pinned) await writeRef(run.cache, run.endpoint, spec.repo, spec.revision, key);
  return done(key, blobs, cached);
}
