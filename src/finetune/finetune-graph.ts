import { GraphBuilder } from "../graph/builder.js";
import { gradient } from "../graph/gradient.js";
import { serializeGraph } from "../graph/onnx/serialize.js";
import type { Value } from "../graph/types.js";
import { bertEmbeddings, bertEncoder, type BertInputs, type DropoutHook, encoderLayers, meanPooledEmbedding, type ParamSource } from "../model/bert.js";
import type { BertConfig } from "../model/config.js";
import { paramLayout } from "../model/param-layout.js";
import { dropoutHook, parameterInputs, trainingInputs } from "../train/loss-graph.js";
import { appendAdamW } from "../train/optimizer-graph.js";
import { stepNames } from "../train/step-graph.js";
import { HEAD_BIAS, HEAD_WEIGHT, type FinetuneTask } from "./head.js";
import { firstTrainedLayer, type TrainableLayers, trainableParams } from "./trainable.js";

export interface FinetuneForward {
  readonly b: GraphBuilder;
  /** Every parameter (encoder + head) as a graph input, by name. */
  readonly params: ReadonlyMap<string, Value>;
  /** [B] raw head output: the standardised prediction (regression) or the logit (classification). */
  readonly output: Value;
}

export interface ForwardOptions {
  readonly batch: number | string;
  readonly tokens: number | string;
  readonly dropout?: number;
  readonly dropoutSeed?: number;
}

/** Parameters of the encoder path (no masked-LM head) plus the head, with their shapes. */
export function finetuneLayout(c: BertConfig): Record<string, number[]> {
  const layout = Object.fromEntries(Object.entries(paramLayout(c)).filter(([n]) => !n.startsWith("cls.")));
  return { ...layout, [HEAD_WEIGHT]: [1, c.hiddenSize], [HEAD_BIAS]: [1] };
}

/**
 * The prediction on any builder: the same bertEncoder as inference and pre-training, the last hidden
 * state mean-pooled over real tokens (as `embed --from-layer L`), dropout, then head.weight . x +
 * head.bias -> [B], the raw output: the standardised prediction (regression) or the logit (classification).
 */
export function finetuneOutput(
  b: GraphBuilder,
  c: BertConfig,
  p: ParamSource,
  inp: BertInputs & { attentionMask: Value },
  drop: DropoutHook = (x) => x,
): Value {
  const { hidden } = bertEncoder(b, c, p, inp, drop);
  return pooledHead(b, c, p, hidden[hidden.length - 1]!, inp.attentionMask, drop);
}

/** Mean pooling of the last hidden state over real tokens, dropout, the linear head -> [B]. */
function pooledHead(b: GraphBuilder, c: BertConfig, p: ParamSource, last: Value, attentionMask: Value, drop: DropoutHook): Value {
  const pooled = drop(meanPooledEmbedding(b, [last], 0, attentionMask), "head"); // [B,H]
  const z = b.add(b.matmul(pooled, b.transpose(p(HEAD_WEIGHT, [1, c.hiddenSize]), [1, 0])), p(HEAD_BIAS, [1])); // [B,1]
  return b.reshape(z, [-1]);
}

/** Name of the frozen part's output: the hidden state entering the first trained layer. */
export const FROZEN_HIDDEN = "frozen_hidden";

/**
 * The frozen part of a fine-tuning whose first trained layer is `first`: the embeddings and layers
 * 0..first-1 as at inference (no dropout), any batch and length, their parameters as inputs; output
 * FROZEN_HIDDEN [B,T,H]. It does not change while the layers above train, so it runs once per record.
 */
export function buildFrozenPrefixGraph(c: BertConfig, first: number): Uint8Array {
  const b = new GraphBuilder("specieslm_finetune_frozen");
  const layout = finetuneLayout(c);
  const trained = new Set(trainableParams(c, c.numHiddenLayers - first));
  const frozen = Object.fromEntries(Object.entries(layout).filter(([n]) => !trained.has(n)));
  const { p } = parameterInputs(b, frozen);
  const inputIds = b.input("input_ids", "int64", ["batch", "tokens"]);
  const attentionMask = b.input("attention_mask", "int64", ["batch", "tokens"]);
  const speciesIds = c.conditioning === "embedding" ? b.input("species_ids", "int64", ["batch"]) : undefined;
  const x = bertEmbeddings(b, c, p, { inputIds, attentionMask, ...(speciesIds ? { speciesIds } : {}) });
  const out = encoderLayers(b, c, p, x, attentionMask, 0, first);
  return serializeGraph(b.build({ [FROZEN_HIDDEN]: out[out.length - 1] ?? x }));
}

/**
 * The forward graph with every parameter (encoder + head) as a graph input: inputs `input_ids`,
 * `attention_mask` [B,T] int64 and `species_ids` [B] for embedding conditioning.
 */
export function buildFinetuneForward(c: BertConfig, o: ForwardOptions, name = "specieslm_finetune"): FinetuneForward {
  const b = new GraphBuilder(name);
  const { params, p, inputs, drop } = trainingInputs(b, c, finetuneLayout(c), o);
  const output = finetuneOutput(b, c, p, inputs, drop);
  return { b, params, output };
}

/** Graph input of the step graph's target: `label` [B] int64 0/1 (classification) or `target` [B] float, standardised. */
export function targetInput(b: GraphBuilder, task: FinetuneTask, batch: number | string): Value {
  return task === "classification" ? b.input("label", "int64", [batch]) : b.input("target", "float32", [batch]);
}

/**
 * The loss on the head output: mean squared error against the standardised target, or binary
 * cross-entropy against 0/1 labels, written as two-class softmax cross-entropy over logits (0, z),
 * which equals BCE-with-logits and is stable for large |z|.
 */
export function taskLoss(b: GraphBuilder, task: FinetuneTask, output: Value, target: Value): Value {
  if (task === "classification") {
    const z = b.unsqueeze(output, [1]); // [B,1]
    return b.softmaxCrossEntropy(b.concat([b.mul(z, b.constF32(0)), z], 1), target).loss; // logits [B,2]
  }
  const d = b.sub(output, target);
  return b.div(b.reduceSum(b.mul(d, d), [0], false), b.cast(b.dimOf(output, 0), "float32"));
}

/**
 * The trained part of a fine-tuning whose first trained layer is `first`: layers first..L-1 and the
 * pooled head, from inputs FROZEN_HIDDEN [B,T,H] and `attention_mask`, only their parameters as inputs.
 */
function trainedPart(
  b: GraphBuilder,
  c: BertConfig,
  first: number,
  o: Pick<ForwardOptions, "batch" | "tokens">,
  drop: DropoutHook = (x) => x,
): { params: ReadonlyMap<string, Value>; output: Value } {
  const layout = finetuneLayout(c);
  const names = trainableParams(c, c.numHiddenLayers - first);
  const { p, params } = parameterInputs(b, Object.fromEntries(names.map((n) => [n, layout[n]!])));
  const hidden = b.input(FROZEN_HIDDEN, "float32", [o.batch, o.tokens, c.hiddenSize]);
  const attentionMask = b.input("attention_mask", "int64", [o.batch, o.tokens]);
  const out = encoderLayers(b, c, p, hidden, attentionMask, first, c.numHiddenLayers, drop);
  return { params, output: pooledHead(b, c, p, out[out.length - 1] ?? hidden, attentionMask, drop) };
}

export interface FinetuneStepOptions extends ForwardOptions {
  readonly task: FinetuneTask;
  /** What trains: the head and the last N encoder layers, or everything. */
  readonly layers: TrainableLayers;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
}

/**
 * One fine-tuning step as one ONNX graph: forward, task loss, gradients for the trainable parameters
 * only, clipping and AdamW (optimizer-graph.ts). With `--layers N` the graph starts from the frozen
 * part's output (input FROZEN_HIDDEN [B,T,H] and `attention_mask`) and takes only the trained
 * parameters; with "all" it reads the tokens. Dropout acts in the trained part and on the pooled state.
 * Outputs: `loss`, `grad_norm`, `output`, and `new.*`, `new_m.*`, `new_v.*` of each trainable parameter.
 */
export function buildFinetuneStepGraph(c: BertConfig, o: FinetuneStepOptions): Uint8Array {
  const trainable = trainableParams(c, o.layers);
  const first = firstTrainedLayer(c, o.layers);
  let b: GraphBuilder;
  let params: ReadonlyMap<string, Value>;
  let output: Value;
  if (first === null) {
    ({ b, params, output } = buildFinetuneForward(c, o, "specieslm_finetune_step"));
  } else {
    b = new GraphBuilder("specieslm_finetune_step");
    ({ params, output } = trainedPart(b, c, first, o, dropoutHook(b, o.dropout, o.dropoutSeed)));
  }
  const loss = taskLoss(b, o.task, output, targetInput(b, o.task, o.batch));
  const wrt = trainable.map((n) => {
    const v = params.get(n);
    if (!v) throw new Error(`trainable parameter ${n} is not in the fine-tuning layout`);
    return v;
  });
  const grads = gradient(b, loss, wrt);
  const opt = appendAdamW(b, wrt, grads, {
    weightDecay: o.weightDecay,
    maxGradNorm: o.maxGradNorm,
    mName: stepNames.m,
    vName: stepNames.v,
  });
  const outputs: Record<string, Value> = { loss, grad_norm: opt.gradNorm, output };
  for (const p of wrt) {
    outputs[stepNames.newParam(p.name)] = opt.params.get(p.name)!;
    outputs[stepNames.newM(p.name)] = opt.m.get(p.name)!;
    outputs[stepNames.newV(p.name)] = opt.v.get(p.name)!;
  }
  return serializeGraph(b.build(outputs));
}

/** The prediction graph (no dropout, any batch and length): output `output` [B], the raw head output. */
export function buildFinetunePredictGraph(c: BertConfig): Uint8Array {
  const f = buildFinetuneForward(c, { batch: "batch", tokens: "tokens" }, "specieslm_finetune_predict");
  return serializeGraph(f.b.build({ output: f.output }));
}

/**
 * The prediction from the frozen part's output (no dropout, any batch and length): the trained part of
 * `buildFinetuneStepGraph` alone, output `output` [B]. With a FrozenPrefix it predicts without running
 * the frozen layers again.
 */
export function buildTrainedPartPredictGraph(c: BertConfig, first: number): Uint8Array {
  const b = new GraphBuilder("specieslm_finetune_trained_part");
  return serializeGraph(b.build({ output: trainedPart(b, c, first, { batch: "batch", tokens: "tokens" }).output }));
}
