import { HubError } from "../errors.js";
import type { HubEnv } from "./env.js";

/**
 * The few Hub endpoints a download needs, over Node's fetch (the official @huggingface/hub client is
 * not installed here): the model API for a revision's commit and files, the tree for sizes and LFS
 * sha256, and HEAD on resolve/ for each file's etag, as huggingface_hub's hf_hub_download does.
 */

export interface RemoteFile {
  readonly path: string;
  readonly size: number;
  /** Git blob sha1 (the etag of a small file). */
  readonly oid: string;
  /** LFS metadata of a large file: sha256 of the contents (its etag) and size. */
  readonly lfs?: { readonly sha256: string; readonly size: number };
}

export interface RemoteRevision {
  readonly commit: string;
  readonly files: readonly RemoteFile[];
}

export interface FileHead {
  readonly commit: string;
  readonly etag: string;
  readonly size: number;
  /** Where the bytes are: the resolve URL itself, or the redirect (LFS blob storage). */
  readonly url: string;
}

export const authHeaders = (env: HubEnv): Record<string, string> => (env.token ? { authorization: `Bearer ${env.token}` } : {});
const enc = (s: string): string => encodeURIComponent(s);
/** Where the Hub serves one file of a revision (`{endpoint}/{repo}/resolve/{revision}/{file}`). */
export const resolveUrl = (env: Pick<HubEnv, "endpoint">, repo: string, revision: string, file: string): string =>
  `${env.endpoint}/${repo}/resolve/${enc(revision)}/${file.split("/").map(enc).join("/")}`;

/** Strips quotes and the weak W/ prefix, as huggingface_hub's _normalize_etag. */
export const normaliseEtag = (etag: string | null): string | undefined => etag?.replace(/^W\//, "").replace(/^"|"$/g, "") || undefined;

/** A network failure (no connection at all), as opposed to an answer the Hub gave. */
export class HubUnreachable extends HubError {}

async function send(env: HubEnv, url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, headers: { ...authHeaders(env), ...(init.headers as Record<string, string> | undefined) } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new HubUnreachable(
      `cannot reach the Hugging Face Hub at ${env.endpoint} for ${what} (${cause?.code ?? cause?.message ?? String(err)}); ` +
        `check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use the cache`,
      { cause: err },
    );
  }
}

/** One line for a Hub error answer: what is missing (X-Error-Code) and what to do. */
export function hubFailure(res: Response, env: HubEnv, repo: string, revision: string, file?: string): HubError {
  const code = res.headers.get("x-error-code") ?? "";
  const where = `${repo}@${revision}${file ? ` file ${file}` : ""}`;
  if (code === "RevisionNotFound")
    return new HubError(`revision ${revision} not found in ${repo} on ${env.endpoint}; give a branch, tag or commit of that repository`);
  if (code === "EntryNotFound") return new HubError(`${repo}@${revision} has no file ${file ?? ""} on ${env.endpoint}`);
  if (code === "RepoNotFound" || (res.status === 404 && !code)) {
    return new HubError(
      `repository ${repo} not found on ${env.endpoint} (no local folder of that name either); check the name${env.token ? "" : ", or set HF_TOKEN for a private one"}`,
    );
  }
  if (code === "GatedRepo" || res.status === 401 || res.status === 403) {
    return new HubError(
      env.token
        ? `access to ${repo} is denied (HTTP ${res.status}) with the token in HF_TOKEN; accept its conditions on the Hub, or use a token with access`
        : `${repo} is gated or private (HTTP ${res.status}): set HF_TOKEN to a Hugging Face token with access (huggingface.co/settings/tokens)`,
    );
  }
  return new HubError(`the Hub answered HTTP ${res.status} for ${where} at ${env.endpoint}; try again later`);
}

interface ApiModel {
  sha?: string;
  siblings?: { rfilename: string }[];
}
interface ApiTreeEntry {
  type: string;
  path: string;
  size: number;
  oid: string;
  lfs?: { oid: string; size: number };
}

/** The commit a revision points to and its files with sizes and LFS sha256 (model API + tree). */
export async function fetchRevision(env: HubEnv, repo: string, revision: string): Promise<RemoteRevision> {
  const res = await send(env, `${env.endpoint}/api/models/${repo}/revision/${enc(revision)}`, {}, `${repo}@${revision}`);
  if (!res.ok) throw hubFailure(res, env, repo, revision);
  const model = (await res.json()) as ApiModel;
  if (!model.sha) throw new HubError(`the Hub at ${env.endpoint} gave no commit for ${repo}@${revision}`);
  const tree = await send(env, `${env.endpoint}/api/models/${repo}/tree/${model.sha}?recursive=true`, {}, `${repo}@${revision}`);
  if (!tree.ok) throw hubFailure(tree, env, repo, revision);
  const entries = (await tree.json()) as ApiTreeEntry[];
  const files = entries
    .filter((e) => e.type === "file")
    .map((e) => ({
      path: e.path,
      size: e.size,
      oid: e.oid,
      ...(e.lfs ? { lfs: { sha256: e.lfs.oid, size: e.lfs.size } } : {}),
    }));
  return { commit: model.sha, files };
}

/** HEAD resolve/: etag, size and commit of one file, following only same-host (relative) redirects. */
export async function headFile(env: HubEnv, repo: string, revision: string, file: string): Promise<FileHead> {
  let url = resolveUrl(env, repo, revision, file);
  for (let hops = 0; hops < 5; hops++) {
    const res = await send(env, url, { method: "HEAD", redirect: "manual", headers: { "accept-encoding": "identity" } }, `${repo}@${revision} ${file}`);
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location?.startsWith("/")) {
      url = new URL(location, url).toString();
      continue;
    }
    if (!(res.ok || (res.status >= 300 && res.status < 400))) throw hubFailure(res, env, repo, revision, file);
    const commit = res.headers.get("x-repo-commit");
    const etag = normaliseEtag(res.headers.get("x-linked-etag") ?? res.headers.get("etag"));
    const size = Number(res.headers.get("x-linked-size") ?? res.headers.get("content-length"));
    if (!commit || !etag || !Number.isFinite(size)) {
      throw new HubError(`the Hub at ${env.endpoint} gave no commit, etag or size for ${repo}@${revision} ${file}; is HF_ENDPOINT a Hugging Face Hub?`);
    }
    return { commit, etag, size, url: location ? new URL(location, url).toString() : url };
  }
  throw new HubError(`too many redirects for ${repo}@${revision} ${file} at ${env.endpoint}`);
}

export { send as hubFetch };
