import type { HostTensor } from "../host-tensor.js";
import type { EmbeddableRecords } from "../readout/embedding-features.js";
import { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { Session, type SessionOptions } from "../runtime/session.js";
import type { BertConfig } from "../model/config.js";
import { encodeRecords, type EncodedRows, maskFeed, rowFeeds } from "./finetune-data.js";
import { buildFinetunePredictGraph, buildTrainedPartPredictGraph, FROZEN_HIDDEN, finetuneLayout } from "./finetune-graph.js";
import type { FrozenPrefix } from "./frozen-prefix.js";
import { fromHeadOutput } from "./head.js";
import type { FinetunedModel } from "./finetune-run.js";
import { defaultBatchRows } from "../runtime/batch-rows.js";

/** The parameter feeds of the prediction graph (the masked-LM head is not on its path). */
export function predictionFeeds(c: FinetunedModel["folder"]["config"], weights: ReadonlyMap<string, HostTensor<"float32">>): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  for (const n of Object.keys(finetuneLayout(c))) feeds[n] = weights.get(n)!;
  return feeds;
}

/**
 * Raw head outputs of rows of one tokenized table, for any weights: the whole model (the prediction
 * graph), or, given the table's FrozenPrefix, the trained part on the stored frozen outputs, so that
 * validating a `--layers N` run does not run the frozen layers again.
 */
export class HeadPredictor {
  private constructor(
    private readonly session: Session,
    private readonly encoded: EncodedRows,
    private readonly frozen: FrozenPrefix | null,
  ) {}

  static async create(c: BertConfig, encoded: EncodedRows, frozen: FrozenPrefix | null, session: SessionOptions = {}): Promise<HeadPredictor> {
    const graph = frozen ? buildTrainedPartPredictGraph(c, frozen.first) : buildFinetunePredictGraph(c);
    return new HeadPredictor(await Session.create(graph, session), encoded, frozen);
  }

  /** Raw outputs of the listed rows, `batchSize` rows per run. */
  async outputs(weights: ReadonlyMap<string, HostTensor<"float32">>, rows: ArrayLike<number>, batchSize: number): Promise<Float64Array> {
    const params: Record<string, HostTensor> = {};
    for (const n of this.session.inputNames) {
      const w = weights.get(n);
      if (w) params[n] = w;
    }
    const z = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i += batchSize) {
      const part = Array.from({ length: Math.min(batchSize, rows.length - i) }, (_, j) => rows[i + j]!);
      const feeds = this.frozen
        ? { [FROZEN_HIDDEN]: await this.frozen.hidden(part), attention_mask: maskFeed(this.encoded, part) }
        : rowFeeds(this.encoded, part);
      const out = await this.session.run({ ...params, ...feeds });
      (out.output!.data as Float32Array).forEach((v, j) => (z[i + j] = v));
    }
    return z;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export interface PredictOptions extends SessionOptions {
  readonly batchSize?: number;
  readonly speciesProxy?: string;
}

/** Predictions of a fine-tuned model in the target's units (a probability for a 0/1 target), in record order. */
export async function predictFinetuned(m: FinetunedModel, t: EmbeddableRecords, o: PredictOptions = {}): Promise<Float64Array> {
  const { batchSize, speciesProxy, ...session } = o;
  const encoded = encodeRecords(new MaskedLanguageModel(m.folder), t, speciesProxy);
  const p = await HeadPredictor.create(m.folder.config, encoded, null, session);
  try {
    const z = await p.outputs(
      m.weights,
      Int32Array.from({ length: encoded.rows }, (_, i) => i),
      batchSize ?? defaultBatchRows(m.folder.config.maxPositionEmbeddings, 16),
    );
    return z.map((v) => fromHeadOutput(m.meta.task, m.meta.scale, v));
  } finally {
    await p.release();
  }
}
