import { extname } from "node:path";
import { ParseError } from "../errors.js";
import { readTsv } from "../io/tsv-reader.js";
import { readFasta } from "../io/fasta-reader.js";
import { fastaSequenceRecord, type SequenceInputOptions, type SequenceRecord, type SpeciesPick, speciesPick } from "./sequence-record.js";

export type { SequenceInputOptions, SequenceRecord } from "./sequence-record.js";

const TSV_EXT = new Set([".tsv", ".txt", ".tab"]);

function isTsvPath(path: string): boolean {
  const p = path.endsWith(".gz") ? path.slice(0, -3) : path;
  return TSV_EXT.has(extname(p).toLowerCase());
}

/**
 * Reads sequences from FASTA (species from a `species=NAME` header field) or TSV with a header row
 * naming `id`, `sequence` and optionally `species` columns. Records without a species take
 * `options.species`; with neither, an InputError names the record.
 */
export async function* readSequenceInput(path: string, o: SequenceInputOptions = {}): AsyncGenerator<SequenceRecord> {
  const pick = speciesPick(o);
  if (isTsvPath(path)) {
    yield* readTsvSequences(path, pick);
    return;
  }
  let n = 0;
  for await (const r of readFasta(path)) {
    n++;
    yield fastaSequenceRecord(r, path, pick);
  }
  if (n === 0) throw new ParseError(path, "no FASTA records found");
}

async function* readTsvSequences(
  path: string,
  pick: SpeciesPick,
): AsyncGenerator<SequenceRecord> {
  for await (const { values, line } of readTsv(path, "sequence table", ["id", "sequence"])) {
    const id = values["id"];
    const seq = values["sequence"];
    if (!id || !seq) throw new ParseError(path, "row has an empty id or sequence", line);
    yield { id, species: pick(id, values["species"] || undefined, `${path}:${line}`), sequence: seq.toUpperCase() };
  }
}
