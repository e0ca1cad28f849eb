import { createHash, type Hash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { HubError } from "../errors.js";
import type { HubEnv } from "./env.js";
import { hubFailure, hubFetch } from "./http.js";

/** What one file must be: its size, and its sha256 (LFS) or git blob sha1 (small files). */
export interface BlobExpectation {
  readonly repo: string;
  readonly revision: string;
  readonly file: string;
  readonly size: number;
  readonly sha256?: string;
  readonly gitSha1?: string;
}

export type ByteProgress = (file: string, done: number, total: number) => void;

async function hashExisting(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/** Git's blob id of a file: sha1 over "blob SIZE\0" + contents (the etag of a small Hub file). */
export const gitBlobHash = (size: number): Hash => createHash("sha1").update(`blob ${size}\0`);

/**
 * Downloads `url` into `blobPath`: bytes go to `blobPath.incomplete` (resumed with a Range request when
 * an earlier run was cut off), are checked against the expected size and hash, and only then renamed
 * to the blob name. A mismatch removes the partial file; an interruption keeps it for the next run.
 */
export async function downloadBlob(env: HubEnv, url: string, blobPath: string, want: BlobExpectation, progress?: ByteProgress): Promise<void> {
  if (existsSync(blobPath)) return;
  await mkdir(dirname(blobPath), { recursive: true });
  const partial = `${blobPath}.incomplete`;
  let start = existsSync(partial) ? statSync(partial).size : 0;
  if (start > want.size) {
    await rm(partial, { force: true });
    start = 0;
  }
  const where = `${want.repo}@${want.revision} ${want.file}`;
  const res = await hubFetch(env, url, start > 0 ? { headers: { range: `bytes=${start}-` } } : {}, where);
  if (res.status === 416 && start === want.size) {
    await res.body?.cancel();
  } else if (!res.ok) {
    throw hubFailure(res, env, want.repo, want.revision, want.file);
  }
  if (res.status !== 206 && res.status !== 416) start = 0; // the server sent the whole file: start over
  const hash = want.sha256 ? createHash("sha256") : gitBlobHash(want.size);
  if (start > 0) await hashExisting(partial, hash);
  const fh = await open(partial, start > 0 ? "a" : "w");
  let done = start;
  try {
    if (res.status !== 416 && res.body) {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        await fh.write(chunk);
        done += chunk.length;
        progress?.(want.file, done, want.size);
      }
    }
  } catch (err) {
    throw new HubError(`download of ${where} was interrupted after ${done} of ${want.size} bytes; run the command again to resume it`, {
      cause: err,
    });
  } finally {
    await fh.close();
  }
  if (done !== want.size) {
    if (done > want.size) await rm(partial, { force: true });
    throw new HubError(`download of ${where} ended after ${done} of ${want.size} bytes; run the command again to resume it`);
  }
  const got = hash.digest("hex");
  const expected = want.sha256 ?? want.gitSha1;
  if (expected && got !== expected) {
    await rm(partial, { force: true });
    throw new HubError(
      `${where}: downloaded file has ${want.sha256 ? "sha256" : "git sha1"} ${got} but the Hub says ${expected}; ` +
        `the download was corrupted and is discarded: run the command again`,
    );
  }
  await rename(partial, blobPath);
}
