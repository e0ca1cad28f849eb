import { open } from "node:fs/promises";
import { InputError } from "../errors.js";

/** How a file's bytes are stored. `bgzf` is blocked gzip (bgzip): valid gzip that also allows random access. */
export type Compression = "plain" | "gzip" | "bgzf";

/**
 * Detects compression from magic bytes, never from the file name: gzip starts 1f 8b 08; BGZF additionally
 * sets FEXTRA and carries a `BC` extra subfield (SAM spec section 4.1).
 */
export function compressionOfHeader(head: Uint8Array): Compression {
  if (head.length < 3 || head[0] !== 0x1f || head[1] !== 0x8b || head[2] !== 0x08) return "plain";
  const hasExtra = ((head[3] ?? 0) & 0x04) !== 0;
  if (hasExtra && head.length >= 14 && head[12] === 0x42 && head[13] === 0x43) return "bgzf";
  return "gzip";
}

/** Reads the first bytes of `path` and classifies them; a missing file is an InputError naming `what`. */
export async function detectCompression(path: string, what = "input file"): Promise<Compression> {
  const fh = await openInput(path, what);
  try {
    const head = new Uint8Array(18);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return compressionOfHeader(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

async function openInput(path: string, what: string) {
  try {
    return await open(path, "r");
  } catch (err) {
    throw missingFileError(err, path, what);
  }
}

/** Turns ENOENT/EACCES/EISDIR into an InputError that names the file and its role; rethrows anything else. */
export function missingFileError(err: unknown, path: string, what: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new InputError(`${what} not found: ${path}. Check the path.`);
  if (code === "EACCES") return new InputError(`${what} is not readable: ${path}. Check its permissions.`);
  if (code === "EISDIR") return new InputError(`${what} is a directory, expected a file: ${path}.`);
  return err;
}
