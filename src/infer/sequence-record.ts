import { InputError, ParseError } from "../errors.js";
import type { SequenceRecord } from "../baselines/nucleotide-predictor.js";
import { type FastaRecord, parseFasta } from "../io/fasta-parser.js";

/**
 * Sequence records for the model jobs, from FASTA records (species from a `species=NAME` header field).
 * Shared by the file reader (sequence-input.ts) and the browser's pasted or picked FASTA; no Node imports.
 */

export interface SequenceInputOptions {
  /** Species for records that do not name one (FASTA without `species=`, TSV without the column). */
  readonly species?: string;
  /** Treat every record as species-agnostic (models trained without conditioning). */
  readonly agnostic?: boolean;
}

export type SpeciesPick = (id: string, found: string | undefined, where: string) => string | null;

/** The species a record runs with: its own, else `o.species`, else an InputError naming the record. */
export function speciesPick(o: SequenceInputOptions): SpeciesPick {
  return (id, found, where) => {
    if (o.agnostic) return null;
    const sp = found ?? o.species;
    if (!sp) throw new InputError(`${where}: record "${id}" names no species; add species=NAME to its header, a species column, or pass --species`);
    return sp;
  };
}

// Sequence bytes are validated IUPAC (ASCII) by the FASTA parser, so UTF-8 decoding is exact.
const ascii = new TextDecoder();

export function fastaSequenceRecord(r: FastaRecord, path: string, pick: SpeciesPick): SequenceRecord<string | null> {
  const m = /(?:^|\s)species=(\S+)/.exec(r.description);
  return { id: r.id, species: pick(r.id, m?.[1], path), sequence: ascii.decode(r.sequence) };
}

/** Records of an in-memory FASTA text; a text without records is a ParseError. */
export function parseSequenceText(text: string | Uint8Array, name: string, o: SequenceInputOptions = {}): SequenceRecord<string | null>[] {
  const pick = speciesPick(o);
  const records = parseFasta(text, name).map((r) => fastaSequenceRecord(r, name, pick));
  if (records.length === 0) throw new ParseError(name, "no FASTA records found");
  return records;
}
