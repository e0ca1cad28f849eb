import { mapChunks } from "../io/chunked-pipeline.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import type { NucleotideProbs } from "../baselines/nucleotide-predictor.js";
import { reconstruct, type ReconstructItem, type ReconstructOptions } from "./reconstruct.js";

export interface ReconstructStreamOptions extends Omit<ReconstructOptions, "onProgress" | "positions"> {
  /** Records per chunk (default 256). */
  readonly chunkRecords?: number;
  /**
   * Nucleotides per chunk (default 131,072). `reconstruct` keeps k*k*4 floats per nucleotide of a
   * chunk (576 bytes for 6-mers), so this bounds its working set at ~75 MB whatever the record count.
   */
  readonly chunkNucleotides?: number;
  /** Called after each chunk with the records done so far. */
  readonly onRecords?: (done: number) => void;
}

/**
 * `reconstruct` over a stream in bounded memory: records are read and run in chunks, and each
 * record's probabilities are yielded in input order as soon as its chunk is done. A record's masked
 * rows are the same as in one `reconstruct` call over everything; only which records share a batch
 * changes, and batch rows do not interact, so the output is the same (test/scale-shard.test.ts).
 */
export async function* reconstructStream(
  model: MaskedLanguageModel,
  records: AsyncIterable<ReconstructItem> | Iterable<ReconstructItem>,
  o: ReconstructStreamOptions = {},
): AsyncGenerator<{ item: ReconstructItem; probs: NucleotideProbs }> {
  const { chunkRecords = 256, chunkNucleotides = 131_072, onRecords, ...run } = o;
  let done = 0;
  const chunks = mapChunks(records, (chunk) => reconstruct(model, chunk, run), {
    maxRecords: chunkRecords,
    maxWeight: chunkNucleotides,
    weight: (r) => r.sequence.length,
  });
  for await (const { records: items, results } of chunks) {
    for (let i = 0; i < items.length; i++) yield { item: items[i]!, probs: results[i]! };
    done += items.length;
    onRecords?.(done);
  }
}
