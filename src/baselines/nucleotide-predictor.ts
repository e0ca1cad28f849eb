/**
 * The contract every per-nucleotide reconstruction model fulfils (k-mer baselines here, the masked LM later),
 * so evaluation code treats them alike.
 */

/**
 * A named sequence and its species: what evaluation, baselines and the model jobs read. Model inputs
 * are `SequenceRecord<string | null>` (null = species-agnostic); corpus records carry more fields and still fit.
 */
export interface SequenceRecord<Species extends string | null = string> {
  readonly id: string;
  readonly species: Species;
  readonly sequence: string;
}

/**
 * Predicted base distribution for every position of one record: `[L, 4]` row-major, columns A,C,G,T,
 * each row summing to 1. Row i is the model's P(x_i | context), with x_i itself hidden from the model.
 */
export type NucleotideProbs = Float32Array;

export interface NucleotidePredictor {
  /** Short label used in reports ("markov-2-2", "specieslm-3utr"). */
  readonly name: string;
  predict(record: SequenceRecord): NucleotideProbs | Promise<NucleotideProbs>;
  /** Optional batched form (LMs run batches); must return one array per record, in order. */
  predictMany?(records: readonly SequenceRecord[]): Promise<NucleotideProbs[]> | NucleotideProbs[];
  /** Caveats worth printing beside the numbers, e.g. species that fell back to the pooled table. */
  notes?(): string[];
}

/** Record source accepted by fitting and evaluation: arrays, generators, or streaming readers. */
export type RecordSource<R extends SequenceRecord = SequenceRecord> = Iterable<R> | AsyncIterable<R>;

/** Iterates sync and async sources alike. */
export async function* iterateRecords<R extends SequenceRecord>(source: RecordSource<R>): AsyncGenerator<R> {
  if (Symbol.asyncIterator in source) {
    for await (const r of source as AsyncIterable<R>) yield r;
  } else {
    for (const r of source as Iterable<R>) yield r;
  }
}
