import { ParseError } from "../errors.js";
import { readLines } from "../io/byte-stream.js";

/** One sequence's reconstruction: P(A,C,G,T) at each position with that base hidden. */
export interface ReconstructionRecord {
  readonly id: string;
  /** The reference bases (upper case), one per position. */
  readonly sequence: string;
  /** `[length, 4]` row-major probabilities, columns A,C,G,T. */
  readonly probs: Float32Array;
}

const COLUMNS = ["id", "pos", "ref", "A", "C", "G", "T"] as const;

/**
 * Reads the TSV that `specieslm reconstruct` writes (`id pos ref A C G T`, plain or gzip). Each id's
 * rows must be contiguous with positions 0, 1, 2, ... in order: a gap, a repeat or an id that comes back
 * later is an error naming the line, since a silently shortened sequence would shift every motif
 * position after it.
 */
export async function readReconstructionTsv(path: string): Promise<ReconstructionRecord[]> {
  const records: ReconstructionRecord[] = [];
  const seen = new Set<string>();
  let col: number[] | undefined;
  let id = "";
  let bases: string[] = [];
  let probs: number[] = [];
  const flush = () => {
    if (bases.length > 0) records.push({ id, sequence: bases.join(""), probs: Float32Array.from(probs) });
    bases = [];
    probs = [];
  };
  for await (const { text, lineNo } of readLines(path, "reconstruction TSV")) {
    if (text === "" || text.startsWith("#")) continue;
    const f = text.split("\t");
    if (!col) {
      const header = f.map((h) => h.trim());
      const missing = COLUMNS.filter((c) => !header.includes(c));
      if (missing.length) {
        throw new ParseError(path, `missing column(s) ${missing.join(", ")}; a reconstruction TSV has the header "${COLUMNS.join("\t")}" (as written by specieslm reconstruct); header has: ${header.join(", ")}`, lineNo);
      }
      col = COLUMNS.map((c) => header.indexOf(c));
      continue;
    }
    if (f.length < col.length) throw new ParseError(path, `expected ${COLUMNS.length} tab-separated columns (${COLUMNS.join(", ")}), found ${f.length}`, lineNo);
    const rowId = f[col[0]!]!;
    if (rowId !== id) {
      flush();
      if (seen.has(rowId)) throw new ParseError(path, `rows of "${rowId}" are not contiguous (it appeared before); sort the file by id, then pos`, lineNo);
      seen.add(rowId);
      id = rowId;
    }
    const pos = Number(f[col[1]!]);
    if (pos !== bases.length) {
      throw new ParseError(path, `"${rowId}": expected position ${bases.length}, found "${f[col[1]!]}" (missing or repeated positions); rerun specieslm reconstruct for this record`, lineNo);
    }
    const ref = (f[col[2]!] ?? "").toUpperCase();
    if (ref.length !== 1) throw new ParseError(path, `"${rowId}" position ${pos}: ref must be one base, got "${ref}"`, lineNo);
    bases.push(ref);
    for (let c = 0; c < 4; c++) {
      const v = Number(f[col[3 + c]!]);
      if (!(v >= 0 && v <= 1.0001)) throw new ParseError(path, `"${rowId}" position ${pos}: ${COLUMNS[3 + c]} = "${f[col[3 + c]!]}" is not a probability in [0, 1]`, lineNo);
      probs.push(v);
    }
  }
  if (!col) throw new ParseError(path, `empty reconstruction TSV: expected the header "${COLUMNS.join("\t")}"`);
  flush();
  if (records.length === 0) throw new ParseError(path, "no rows after the header: nothing to score");
  return records;
}
