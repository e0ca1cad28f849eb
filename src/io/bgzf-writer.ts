import { gzipSync } from "node:zlib";

/**
 * BGZF (blocked gzip, SAM spec section 4.1) writing: a chain of gzip members, each holding at most
 * 64 KiB of input and carrying an FEXTRA `BC` subfield with the member's size, then an empty EOF member.
 * Any gzip reader decodes it; tabix and `bcftools index` need it for `.vcf.gz`.
 */

/** Input bytes per block: bgzip's own limit, so even incompressible data stays under 64 KiB a block. */
export const BGZF_BLOCK_INPUT = 0xff00;

/** The 28-byte empty block that ends every BGZF file. */
export const BGZF_EOF = Buffer.from("1f8b08040000000000ff0600424302001b0003000000000000000000", "hex");

/** Output names that get BGZF: `.gz` and `.bgz`. */
export function isBgzfPath(path: string): boolean {
  return /\.b?gz$/i.test(path);
}

/** One BGZF block of `data` (at most BGZF_BLOCK_INPUT bytes). */
export function bgzfBlock(data: Uint8Array): Buffer {
  if (data.length > BGZF_BLOCK_INPUT) throw new RangeError(`BGZF block input of ${data.length} bytes exceeds ${BGZF_BLOCK_INPUT}`);
  // gzipSync writes a 10-byte header (no name, no extra), the deflate data, then CRC32 and ISIZE.
  const member = gzipSync(data, { level: 6 });
  const body = member.subarray(10);
  const size = 18 + body.length;
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0, 0, 0]);
  header.writeUInt16LE(size - 1, 16);
  return Buffer.concat([header, body]);
}

/** Cuts a byte stream into BGZF blocks: `push` returns the blocks completed so far, `end` the rest and EOF. */
export class BgzfEncoder {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  push(chunk: Uint8Array): Buffer[] {
    this.pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    this.pendingLength += chunk.length;
    if (this.pendingLength < BGZF_BLOCK_INPUT) return [];
    const all = Buffer.concat(this.pending);
    const blocks: Buffer[] = [];
    let at = 0;
    for (; all.length - at >= BGZF_BLOCK_INPUT; at += BGZF_BLOCK_INPUT) blocks.push(bgzfBlock(all.subarray(at, at + BGZF_BLOCK_INPUT)));
    this.pending = [all.subarray(at)];
    this.pendingLength = all.length - at;
    return blocks;
  }

  end(): Buffer[] {
    const rest = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingLength = 0;
    return rest.length > 0 ? [bgzfBlock(rest), BGZF_EOF] : [BGZF_EOF];
  }
}

/** A whole buffer as BGZF. */
export function bgzfCompress(data: string | Uint8Array): Buffer {
  const enc = new BgzfEncoder();
  return Buffer.concat([...enc.push(typeof data === "string" ? Buffer.from(data, "utf8") : data), ...enc.end()]);
}
