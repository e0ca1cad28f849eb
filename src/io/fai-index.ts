import { ParseError } from "../errors.js";
import { writeFileAtomic } from "./atomic-write.js";
import { readDecompressedChunks } from "./byte-stream.js";

/**
 * One `.fai` row (samtools faidx format): `offset` is the byte offset of the first base in the
 * uncompressed file; `lineBases`/`lineBytes` are bases per line and bytes per line including the newline.
 */
export interface FaiEntry {
  name: string;
  length: number;
  offset: number;
  lineBases: number;
  lineBytes: number;
}

/** Scan state of the record being indexed. */
interface Scan {
  entry: FaiEntry | null;
  /** Length of the previous sequence line (bases, bytes) that was shorter than lineBases: must be last. */
  shortSeen: boolean;
  lineNo: number;
}

/**
 * Builds the `.fai` index of a plain (or BGZF, offsets then being uncompressed) FASTA file.
 * Indexing needs equal line lengths within each record (the last line may be shorter); anything else is
 * a ParseError suggesting a reformat.
 */
export async function buildFaiIndex(path: string): Promise<FaiEntry[]> {
  const entries: FaiEntry[] = [];
  const scan: Scan = { entry: null, shortSeen: false, lineNo: 0 };
  let pos = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of readDecompressedChunks(path, "FASTA file")) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const base = pos - carry.length;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      indexLine(path, buf, start, nl + 1, base + start, scan, entries);
      start = nl + 1;
    }
    carry = buf.subarray(start);
    pos += chunk.length;
  }
  if (carry.length > 0) indexLine(path, carry, 0, carry.length, pos - carry.length, scan, entries);
  if (scan.entry) entries.push(scan.entry);
  return entries;
}

/** Indexes line `buf[start, end)` (terminator included) that begins at absolute `offset`. */
function indexLine(path: string, buf: Buffer, start: number, end: number, offset: number, scan: Scan, out: FaiEntry[]): void {
  scan.lineNo++;
  const bytes = end - start;
  let bases = bytes;
  if (bases > 0 && buf[start + bases - 1] === 10) bases--;
  if (bases > 0 && buf[start + bases - 1] === 13) bases--;
  if (buf[start] === 62) {
    if (scan.entry) out.push(scan.entry);
    const name = /^\S*/.exec(buf.toString("utf8", start + 1, start + bases))?.[0] ?? "";
    scan.entry = { name, length: 0, offset: offset + bytes, lineBases: 0, lineBytes: 0 };
    scan.shortSeen = false;
    return;
  }
  const e = scan.entry;
  if (!e) throw new ParseError(path, "sequence data before the first '>' header; is this a FASTA file?", scan.lineNo);
  if (bases === 0) return;
  if (e.lineBases === 0) {
    e.lineBases = bases;
    e.lineBytes = bytes;
  } else if (scan.shortSeen || bases > e.lineBases) {
    throw new ParseError(
      path,
      `record "${e.name}" has lines of unequal length, so it cannot be indexed; reformat it (e.g. 'seqkit seq -w 60') or gzip it to load it into memory`,
      scan.lineNo,
    );
  }
  if (bases < e.lineBases) scan.shortSeen = true;
  e.length += bases;
}

/** Formats entries as `.fai` text. */
export function formatFai(entries: readonly FaiEntry[]): string {
  return entries.map((e) => `${e.name}\t${e.length}\t${e.offset}\t${e.lineBases}\t${e.lineBytes}\n`).join("");
}

/** Builds the index and writes it atomically to `faiPath`. */
export async function writeFaiIndex(path: string, faiPath = `${path}.fai`): Promise<FaiEntry[]> {
  const entries = await buildFaiIndex(path);
  await writeFileAtomic(faiPath, formatFai(entries));
  return entries;
}
