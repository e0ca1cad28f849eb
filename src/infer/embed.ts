import type { MaskedLanguageModelBase } from "../runtime/masked-lm-base.js";
import type { SequenceRecord } from "../baselines/nucleotide-predictor.js";
import { defaultBatchRows } from "../runtime/batch-rows.js";

/** Default first layer of the embedding mean: two thirds down the encoder (8 of 12 as published). */
export function defaultEmbeddingLayer(numLayers: number): number {
  return Math.floor((2 * numLayers) / 3);
}

export interface EmbedOptions {
  readonly fromLayer?: number;
  readonly batchSize?: number;
  readonly speciesProxy?: string;
}

/**
 * Sequence embeddings: mean over tokens of the mean of hidden_states[K:], [H] per record. Records
 * are batched with right padding; the attention mask keeps padding out of both attention and mean.
 */
export async function* embedSequences(
  model: MaskedLanguageModelBase,
  records: AsyncIterable<SequenceRecord<string | null>> | Iterable<SequenceRecord<string | null>>,
  o: EmbedOptions = {},
): AsyncGenerator<{ id: string; embedding: Float32Array }> {
  const K = o.fromLayer ?? defaultEmbeddingLayer(model.config.numHiddenLayers);
  const H = model.config.hiddenSize;
  const batchSize = o.batchSize ?? defaultBatchRows(model.config.maxPositionEmbeddings, 16);
  let pending: SequenceRecord<string | null>[] = [];
  const flush = async function* () {
    const feeds = model.encode(pending.map((r) => ({ ...r, ...(o.speciesProxy ? { speciesProxy: o.speciesProxy } : {}) })));
    const out = await model.run(`embedding@${K}`, feeds);
    const e = out.embedding!.data as Float32Array;
    for (let i = 0; i < pending.length; i++) yield { id: pending[i]!.id, embedding: e.slice(i * H, (i + 1) * H) };
    pending = [];
  };
  for await (const r of records) {
    pending.push(r);
    if (pending.length >= batchSize) yield* flush();
  }
  if (pending.length) yield* flush();
}
