import { GraphBuilder } from "../graph/builder.js";
import type { Value } from "../graph/types.js";
import { bertEncoder, type DropoutHook, mlmDecoder, mlmTransform, type ParamSource } from "../model/bert.js";
import type { BertConfig } from "../model/config.js";
import { paramLayout } from "../model/param-layout.js";

/** Label of tokens that do not count in the loss (Hugging Face's convention). */
export const IGNORE_INDEX = -100;

export interface LossGraph {
  readonly b: GraphBuilder;
  /** Scalar mean cross-entropy over labelled tokens. */
  readonly loss: Value;
  /** Every parameter, as a graph input named by its Hugging Face key, in paramLayout order. */
  readonly params: ReadonlyMap<string, Value>;
  /** [B,T,V] logits (kept for evaluation graphs). */
  readonly logits: Value;
}

export interface LossGraphOptions {
  /** Static batch and token counts: training batches have one shape, so ORT plans memory once. */
  readonly batch: number | string;
  readonly tokens: number | string;
  /** Hidden dropout probability (0 = none); attention-probability dropout uses the same ratio. */
  readonly dropout?: number;
  /** Seed of ORT's Dropout generators (they advance per run; a new session restarts them). */
  readonly dropoutSeed?: number;
}

/**
 * The masked-LM forward pass with parameters as graph inputs, and its loss: inputs `input_ids`,
 * `attention_mask`, `labels` ([B,T] int64; IGNORE_INDEX where not scored) and `species_ids` ([B],
 * embedding conditioning only). The same `bertEncoder` as inference: there is no second model.
 */
export function buildLossGraph(c: BertConfig, o: LossGraphOptions): LossGraph {
  const b = new GraphBuilder("specieslm_mlm_train");
  const params = new Map<string, Value>();
  for (const [name, shape] of Object.entries(paramLayout(c))) params.set(name, b.input(name, "float32", shape));
  const p: ParamSource = (name) => {
    const v = params.get(name);
    if (!v) throw new Error(`parameter ${name} is not in paramLayout`);
    return v;
  };
  const inputIds = b.input("input_ids", "int64", [o.batch, o.tokens]);
  const attentionMask = b.input("attention_mask", "int64", [o.batch, o.tokens]);
  const labels = b.input("labels", "int64", [o.batch, o.tokens]);
  const speciesIds = c.conditioning === "embedding" ? b.input("species_ids", "int64", [o.batch]) : undefined;
  const ratio = o.dropout ?? 0;
  let site = 0;
  const drop: DropoutHook | undefined = ratio > 0
    ? (x) => b.dropout(x, b.constF32(ratio), (o.dropoutSeed ?? 0) * 1000 + site++).y
    : undefined;
  const { hidden } = bertEncoder(b, c, p, { inputIds, attentionMask, ...(speciesIds ? { speciesIds } : {}) }, drop);
  const logits = mlmDecoder(b, c, p, mlmTransform(b, c, p, hidden[hidden.length - 1]!)); // [B,T,V]
  const { loss } = b.softmaxCrossEntropy(b.reshape(logits, [-1, c.vocabSize]), b.reshape(labels, [-1]), IGNORE_INDEX);
  return { b, loss, params, logits };
}
