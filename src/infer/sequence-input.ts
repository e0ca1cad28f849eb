import { extname } from "node:path";
import { InputError, ParseError } from "../errors.js";
import { linesOf, peekUntil, readDecompressedChunks } from "../io/byte-stream.js";
import { isSeekableInput } from "../io/input-stream.js";
import { readTsv } from "../io/tsv-reader.js";
import { readFasta } from "../io/fasta-reader.js";
import type { SequenceRecord } from "../baselines/nucleotide-predictor.js";
import { fastaSequenceRecord, type SequenceInputOptions, type SpeciesPick, speciesPick } from "./sequence-record.js";

export type { SequenceInputOptions } from "./sequence-record.js";

const TSV_EXT = new Set([".tsv", ".txt", ".tab"]);

const FASTA_EXT = new Set([".fa", ".fasta", ".fna", ".fas", ".fsa", ".ffn", ".faa", ".seq"]);

/** The input's format by its name, or undefined for a name that says nothing (a pipe, `-`, no extension). */
function formatByName(path: string): "tsv" | "fasta" | undefined {
  const ext = extname(path.replace(/\.(gz|bgz)$/i, "")).toLowerCase();
  return TSV_EXT.has(ext) ? "tsv" : FASTA_EXT.has(ext) && isSeekableInput(path) ? "fasta" : undefined;
}

export interface SequenceFileOptions extends SequenceInputOptions {
  /** Keep only the TSV rows whose `split` column has this value (train, test...); the column is then required. */
  readonly split?: string;
}

/**
 * Reads sequences from FASTA (species from a `species=NAME` header field) or TSV with a header row
 * naming `id`, `sequence` and optionally `species` and `split` columns: by extension, else (a pipe,
 * standard input) by the first character. Records without a species take `options.species`; with
 * neither, an InputError names the record. Without `agnostic`, every record has a species.
 */
export function readSequenceInput(path: string, o?: SequenceFileOptions & { readonly agnostic?: false }, name?: string): AsyncGenerator<SequenceRecord<string>>;
export function readSequenceInput(path: string, o?: SequenceFileOptions, name?: string): AsyncGenerator<SequenceRecord<string | null>>;
export async function* readSequenceInput(path: string, o: SequenceFileOptions = {}, name = path): AsyncGenerator<SequenceRecord<string | null>> {
  // Outputs are keyed by id (TSV rows, safetensors names): a repeated id would be kept twice or once.
  const seen = new Map<string, number>();
  let n = 0;
  for await (const r of readRecords(path, o, name)) {
    n++;
    const first = seen.get(r.id);
    if (first !== undefined) throw new InputError(`${name}: records ${first} and ${n} have the same id "${r.id}"; give every record its own id`);
    seen.set(r.id, n);
    yield r;
  }
}

async function* readRecords(path: string, o: SequenceFileOptions, name: string): AsyncGenerator<SequenceRecord<string | null>> {
  const pick = speciesPick(o);
  // Bytes come from `path`; messages and formats go by `name` (the user's, when `path` is a copy of a pipe).
  let chunks: AsyncGenerator<Buffer> = readDecompressedChunks(path, "sequence input");
  const byName = formatByName(name);
  let tsv = byName === "tsv";
  if (byName === undefined) {
    // A pipe has no name to go by: FASTA starts with `>` (or a `;` comment), a table with its header.
    const peek = await peekUntil(chunks, (c) => firstNonSpace(c));
    tsv = peek.decision !== undefined && peek.decision !== ">" && peek.decision !== ";";
    chunks = peek.items;
  }
  if (tsv) {
    yield* readTsvSequences(name, pick, chunks, o.split);
    return;
  }
  if (o.split !== undefined)
    throw new InputError(`${name}: a split ("${o.split}") selects rows of a sequence table (TSV with a split column), not FASTA records`);
  let n = 0;
  for await (const r of readFasta(name, {}, chunks)) {
    n++;
    yield fastaSequenceRecord(r, name, pick);
  }
  if (n === 0) throw new ParseError(name, "no FASTA records found");
}

/** The first non-whitespace character of a chunk, if any. */
function firstNonSpace(chunk: Buffer): string | undefined {
  const m = /\S/.exec(chunk.toString("latin1"));
  return m?.[0];
}

async function* readTsvSequences(
  path: string,
  pick: SpeciesPick,
  chunks: AsyncIterable<Buffer>,
  split: string | undefined,
): AsyncGenerator<SequenceRecord<string | null>> {
  for await (const { values, line } of readTsv(
    path,
    "sequence table",
    split === undefined ? ["id", "sequence"] : ["id", "sequence", "split"],
    linesOf(chunks),
  )) {
    if (split !== undefined && values["split"] !== split) continue;
    const id = values["id"];
    const seq = values["sequence"];
    if (!id || !seq) throw new ParseError(path, "row has an empty id or sequence", line);
    yield { id, species: pick(id, values["species"] || undefined, `${path}:${line}`), sequence: seq.toUpperCase() };
  }
}
