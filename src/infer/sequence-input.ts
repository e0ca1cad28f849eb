import { extname } from "node:path";
import { InputError, ParseError } from "../errors.js";
import { readTsv } from "../io/tsv-reader.js";
import { readFasta } from "../io/fasta-reader.js";

/** A sequence to run through a model: species null = species-agnostic input. */
export interface SequenceRecord {
  readonly id: string;
  readonly species: string | null;
  readonly sequence: string;
}

export interface SequenceInputOptions {
  /** Species for records that do not name one (FASTA without `species=`, TSV without the column). */
  readonly species?: string;
  /** Treat every record as species-agnostic (models trained without conditioning). */
  readonly agnostic?: boolean;
}

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
  const pick = (id: string, found: string | undefined, where: string): string | null => {
    if (o.agnostic) return null;
    const sp = found ?? o.species;
    if (!sp) throw new InputError(`${where}: record "${id}" names no species; add species=NAME to its header, a species column, or pass --species`);
    return sp;
  };
  if (isTsvPath(path)) {
    yield* readTsvSequences(path, pick);
    return;
  }
  let n = 0;
  for await (const r of readFasta(path)) {
    n++;
    const m = /(?:^|\s)species=(\S+)/.exec(r.description);
    yield { id: r.id, species: pick(r.id, m?.[1], path), sequence: Buffer.from(r.sequence).toString("latin1") };
  }
  if (n === 0) throw new ParseError(path, "no FASTA records found");
}

async function* readTsvSequences(
  path: string,
  pick: (id: string, found: string | undefined, where: string) => string | null,
): AsyncGenerator<SequenceRecord> {
  for await (const { values, line } of readTsv(path, "sequence table", ["id", "sequence"])) {
    const id = values["id"];
    const seq = values["sequence"];
    if (!id || !seq) throw new ParseError(path, "row has an empty id or sequence", line);
    yield { id, species: pick(id, values["species"] || undefined, `${path}:${line}`), sequence: seq.toUpperCase() };
  }
}
