import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";
import { BgzfEncoder, bgzfCompress, isBgzfPath } from "./bgzf-writer.js";

/** Temp file beside the target, so the final rename stays on one filesystem (and is atomic). */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Writes the whole file under a temporary name, then renames it: readers never see half a file.
 * A `.gz` / `.bgz` name is written BGZF-compressed (what tabix and bcftools need), as by openAtomicWriter.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, isBgzfPath(path) ? bgzfCompress(data) : data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * A streaming writer whose output appears under `path` only on `commit()`; `abort()` (or a crash)
 * leaves at most a hidden temp file, never a partial output under the real name. Under a `.gz` / `.bgz`
 * name, what is written is BGZF-compressed; `stream` is the file itself (compressed bytes).
 */
export interface AtomicWriter {
  readonly stream: Writable;
  write(chunk: string | Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function openAtomicWriter(path: string): Promise<AtomicWriter> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const stream = createWriteStream(tmp);
  let done = false;
  const bgzf = isBgzfPath(path) ? new BgzfEncoder() : undefined;
  const finish = () =>
    new Promise<void>((resolve, reject) => {
      stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
  const writeRaw = (chunk: string | Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      const ok = stream.write(chunk, (err) => (err ? reject(err) : undefined));
      if (ok) resolve();
      else stream.once("drain", () => resolve());
    });
  const writeAll = async (blocks: Buffer[]) => {
    for (const b of blocks) await writeRaw(b);
  };
  return {
    stream,
    write: (chunk) => (bgzf ? writeAll(bgzf.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk)) : writeRaw(chunk)),
    commit: async () => {
      if (done) return;
      done = true;
      if (bgzf) await writeAll(bgzf.end());
      await finish();
      await rename(tmp, path);
    },
    abort: async () => {
      if (done) return;
      done = true;
      stream.destroy();
      await rm(tmp, { force: true });
    },
  };
}

/** Runs `fill` against an atomic writer: commits on success, removes the temp file on any error. */
export async function withAtomicWriter<T>(path: string, fill: (w: AtomicWriter) => Promise<T>): Promise<T> {
  const w = await openAtomicWriter(path);
  try {
    const result = await fill(w);
    await w.commit();
    return result;
  } catch (err) {
    await w.abort();
    throw err;
  }
}
