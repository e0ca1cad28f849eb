import { resolve } from "node:path";
import { ParseError } from "../errors.js";
import { readTsv } from "../io/tsv-reader.js";
import { SPLIT_NAMES, type Corpus, type SplitName } from "./types.js";
import { writeCorpus, type CorpusInput } from "./write-corpus.js";

export interface CorpusFromTableOptions {
  readonly table: string;
  readonly outDir: string;
  readonly seed?: number;
  readonly splitFractions?: readonly [number, number, number];
  /** Region type to record in corpus.json, when known. */
  readonly region?: string;
}

/**
 * Builds a corpus from a TSV with columns `species id sequence` and optional `split` (kept as given)
 * and `gene` (orthology key; the id otherwise). Rows without a split are assigned by hashing the key.
 */
export async function corpusFromTable(options: CorpusFromTableOptions): Promise<Corpus> {
  const inputs: CorpusInput[] = [];
  for await (const { values: v, line } of readTsv(options.table, "sequence table", ["species", "id", "sequence"])) {
    const split = v["split"] || undefined;
    if (split !== undefined && !(SPLIT_NAMES as readonly string[]).includes(split)) {
      throw new ParseError(options.table, `split "${split}" must be one of ${SPLIT_NAMES.join(", ")}`, line);
    }
    const sequence = (v["sequence"] ?? "").toUpperCase();
    if (!/^[ACGTURYSWKMBDHVN]+$/.test(sequence)) {
      throw new ParseError(options.table, `record "${v["id"]}": sequence is empty or has non-IUPAC characters`, line);
    }
    const id = v["id"] ?? "";
    inputs.push({ id, species: v["species"] ?? "", gene: v["gene"] || id, sequence, split: split as SplitName | undefined });
  }
  return writeCorpus(options.outDir, inputs, {
    region: options.region ?? null,
    seed: options.seed ?? 42,
    splitFractions: options.splitFractions ?? [0.8, 0.1, 0.1],
    sources: [{ table: resolve(options.table) }],
  });
}
