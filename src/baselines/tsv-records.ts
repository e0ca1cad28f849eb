import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { ParseError } from "../errors.js";
import type { SequenceRecord } from "./nucleotide-predictor.js";

/** A sequence record from a TSV table; `split` is present when the table has that column. */
export interface TsvSequenceRecord extends SequenceRecord {
  readonly split?: string;
}

/**
 * Streams records from a TSV with a header naming at least `species`, `id` and `sequence` (any order;
 * `split` optional; other columns ignored), as sim12's sequences.tsv. A small stand-in until the corpus
 * reader exists. `split` keeps only rows with that split value (and then requires the column).
 */
export async function* readSequenceTsv(path: string, opts: { split?: string } = {}): AsyncGenerator<TsvSequenceRecord> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let cols: { species: number; id: number; sequence: number; split: number } | undefined;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line === "" || line.startsWith("#")) continue;
    const fields = line.split("\t");
    if (!cols) {
      cols = headerColumns(path, fields, lineNo, opts.split !== undefined);
      continue;
    }
    const need = Math.max(cols.species, cols.id, cols.sequence, cols.split);
    if (fields.length <= need) throw new ParseError(path, `expected at least ${need + 1} tab-separated fields, got ${fields.length}`, lineNo);
    const split = cols.split >= 0 ? fields[cols.split]! : undefined;
    if (opts.split !== undefined && split !== opts.split) continue;
    const rec: TsvSequenceRecord = { species: fields[cols.species]!, id: fields[cols.id]!, sequence: fields[cols.sequence]!, ...(split !== undefined ? { split } : {}) };
    yield rec;
  }
  if (!cols) throw new ParseError(path, "empty file: expected a header line with species, id, sequence");
}

function headerColumns(path: string, fields: string[], lineNo: number, needSplit: boolean) {
  const find = (name: string) => fields.findIndex((f) => f.trim().toLowerCase() === name);
  const cols = { species: find("species"), id: find("id"), sequence: find("sequence"), split: find("split") };
  const missing = (["species", "id", "sequence"] as const).filter((k) => cols[k] < 0);
  if (needSplit && cols.split < 0) missing.push("split" as never);
  if (missing.length > 0) {
    throw new ParseError(path, `header lacks column(s) ${missing.join(", ")}; found: ${fields.join(", ")}`, lineNo);
  }
  return cols;
}
