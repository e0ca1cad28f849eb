import { inflateRawSync } from "node:zlib";

/**
 * Walks a BGZF file block by block, independently of src/io/bgzf-writer.ts (SAM spec 4.1): every member
 * has FEXTRA with one `BC` subfield of length 2 giving the member size - 1, at most 64 KiB in and out,
 * its deflate data inflates to ISIZE bytes, and the file ends with the 28-byte empty EOF member.
 * Throws on the first violation; returns the decompressed bytes and the block count.
 */
export function walkBgzf(file: Uint8Array): { data: Buffer; blocks: number } {
  const b = Buffer.from(file.buffer, file.byteOffset, file.length);
  const parts: Buffer[] = [];
  let at = 0;
  let blocks = 0;
  let lastSize = -1;
  while (at < b.length) {
    if (b[at] !== 0x1f || b[at + 1] !== 0x8b || b[at + 2] !== 8 || b[at + 3] !== 4) throw new Error(`block at ${at}: not a gzip member with FEXTRA`);
    if (b.readUInt16LE(at + 10) !== 6 || b[at + 12] !== 0x42 || b[at + 13] !== 0x43 || b.readUInt16LE(at + 14) !== 2)
      throw new Error(`block at ${at}: no BC subfield`);
    const size = b.readUInt16LE(at + 16) + 1;
    if (at + size > b.length) throw new Error(`block at ${at}: size ${size} runs past the end`);
    const isize = b.readUInt32LE(at + size - 4);
    if (isize > 65536) throw new Error(`block at ${at}: ${isize} bytes uncompressed`);
    const out = inflateRawSync(b.subarray(at + 18, at + size - 8));
    if (out.length !== isize) throw new Error(`block at ${at}: inflates to ${out.length}, ISIZE says ${isize}`);
    parts.push(out);
    lastSize = size;
    at += size;
    blocks++;
  }
  if (lastSize !== 28 || parts[parts.length - 1]!.length !== 0) throw new Error("no 28-byte empty EOF block at the end");
  return { data: Buffer.concat(parts), blocks };
}
