import { createReadStream, createWriteStream, rmSync, statSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { missingFileError } from "./compression.js";

/** The path that names standard input on the command line (`-i -`). */
export const STDIN_PATH = "-";

/**
 * True for a regular file, which can be read twice and seeked; false for standard input, a FIFO,
 * process substitution (`<(cmd)`, a /dev/fd path) or a character device, which can be read once only.
 * A missing path counts as seekable so the reader reports it as missing.
 */
export function isSeekableInput(path: string): boolean {
  if (path === STDIN_PATH) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return true;
  }
}

/** The raw bytes of a file, FIFO or standard input, read front to back once (no seeks). */
export function openRawInput(path: string, what: string): Readable {
  if (path === STDIN_PATH) return process.stdin;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  // Opening errors arrive as stream errors; the reader maps them (missingFileError) where it consumes.
  void what;
  return raw;
}

const spooled: string[] = [];
let cleanupHooked = false;

/**
 * Makes an input readable more than once: a regular file is returned as is; a pipe or standard input is
 * copied once to a temporary file (removed when the process exits). For commands that read their input
 * twice (counting records for a shard or a progress bar, sniffing a format before parsing).
 */
export async function rereadablePath(path: string, what: string): Promise<string> {
  if (isSeekableInput(path)) return path;
  const dir = await mkdtemp(join(tmpdir(), "specieslm-input-"));
  spooled.push(dir);
  if (!cleanupHooked) {
    cleanupHooked = true;
    process.once("exit", () => spooled.forEach((d) => rmSync(d, { recursive: true, force: true })));
  }
  const copy = join(dir, "input");
  try {
    await pipeline(openRawInput(path, what), createWriteStream(copy));
  } catch (err) {
    throw missingFileError(err, path, what);
  }
  return copy;
}
