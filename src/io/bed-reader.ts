import { ParseError } from "../errors.js";
import { readLines } from "./byte-stream.js";
import type { Strand } from "./annotation-feature.js";

/** One BED row. BED is already 0-based half-open, so coordinates are taken as they are. */
export interface BedRecord {
  readonly chrom: string;
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly score: string;
  readonly strand: Strand;
  readonly line: number;
}

const INT = /^\d+$/;

/** Streams BED3..BED12 rows (extra columns ignored); `track`, `browser` and `#` lines are skipped. */
export async function* readBed(path: string): AsyncGenerator<BedRecord> {
  for await (const { text, lineNo } of readLines(path, "BED file")) {
    if (text.trim() === "" || text.startsWith("#") || text.startsWith("track") || text.startsWith("browser")) continue;
    const cols = text.split("\t");
    const [chrom, s, e] = cols;
    if (chrom === undefined || s === undefined || e === undefined) {
      throw new ParseError(path, `expected at least 3 tab-separated columns (chrom start end), found ${cols.length}`, lineNo);
    }
    if (!INT.test(s) || !INT.test(e)) throw new ParseError(path, `non-numeric coordinates start="${s}" end="${e}"`, lineNo);
    const start = Number(s);
    const end = Number(e);
    if (end < start) throw new ParseError(path, `end ${end} < start ${start}`, lineNo);
    const strandS = cols[5] ?? ".";
    if (strandS !== "+" && strandS !== "-" && strandS !== ".") throw new ParseError(path, `invalid strand "${strandS}"`, lineNo);
    yield { chrom, start, end, name: cols[3] ?? "", score: cols[4] ?? "", strand: strandS, line: lineNo };
  }
}
