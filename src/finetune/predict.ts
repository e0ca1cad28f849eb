import type { HostTensor } from "../host-tensor.js";
import type { EmbeddableRecords } from "../readout/embedding-features.js";
import { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { Session, type SessionOptions } from "../runtime/session.js";
import { encodeRecords, type EncodedRows, rowFeeds } from "./finetune-data.js";
import { buildFinetunePredictGraph, finetuneLayout } from "./finetune-graph.js";
import { fromHeadOutput } from "./head.js";
import type { FinetunedModel } from "./finetune-run.js";
import { defaultBatchRows } from "../runtime/batch-rows.js";

/** The parameter feeds of the prediction graph (the masked-LM head is not on its path). */
export function predictionFeeds(c: FinetunedModel["folder"]["config"], weights: ReadonlyMap<string, HostTensor<"float32">>): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  for (const n of Object.keys(finetuneLayout(c))) feeds[n] = weights.get(n)!;
  return feeds;
}

/** Raw head outputs of the listed rows, `batchSize` rows per run of the prediction graph. */
export async function headOutputs(
  session: Session,
  params: Record<string, HostTensor>,
  e: EncodedRows,
  rows: ArrayLike<number>,
  batchSize: number,
): Promise<Float64Array> {
  const z = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i += batchSize) {
    const part = Array.from({ length: Math.min(batchSize, rows.length - i) }, (_, j) => rows[i + j]!);
    const out = await session.run({ ...params, ...rowFeeds(e, part) });
    (out.output!.data as Float32Array).forEach((v, j) => (z[i + j] = v));
  }
  return z;
}

export interface PredictOptions extends SessionOptions {
  readonly batchSize?: number;
  readonly speciesProxy?: string;
}

/** Predictions of a fine-tuned model in the target's units (a probability for a 0/1 target), in record order. */
export async function predictFinetuned(m: FinetunedModel, t: EmbeddableRecords, o: PredictOptions = {}): Promise<Float64Array> {
  const { batchSize, speciesProxy, ...session } = o;
  const encoded = encodeRecords(new MaskedLanguageModel(m.folder), t, speciesProxy);
  const s = await Session.create(buildFinetunePredictGraph(m.folder.config), session);
  try {
    const z = await headOutputs(
      s,
      predictionFeeds(m.folder.config, m.weights),
      encoded,
      Int32Array.from({ length: encoded.rows }, (_, i) => i),
      batchSize ?? defaultBatchRows(m.folder.config.maxPositionEmbeddings, 16),
    );
    return z.map((v) => fromHeadOutput(m.meta.task, m.meta.scale, v));
  } finally {
    await s.release();
  }
}
