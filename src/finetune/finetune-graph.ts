import { GraphBuilder } from "../graph/builder.js";
import { gradient } from "../graph/gradient.js";
import { serializeGraph } from "../graph/onnx/serialize.js";
import type { Value } from "../graph/types.js";
import { bertEncoder, type BertInputs, type DropoutHook, meanPooledEmbedding, type ParamSource } from "../model/bert.js";
import type { BertConfig } from "../model/config.js";
import { paramLayout } from "../model/param-layout.js";
import { trainingInputs } from "../train/loss-graph.js";
import { appendAdamW } from "../train/optimizer-graph.js";
import { stepNames } from "../train/step-graph.js";
import { HEAD_BIAS, HEAD_WEIGHT, type FinetuneTask } from "./head.js";

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
  const pooled = drop(meanPooledEmbedding(b, hidden, hidden.length - 1, inp.attentionMask), "head"); // [B,H]
  const z = b.add(b.matmul(pooled, b.transpose(p(HEAD_WEIGHT, [1, c.hiddenSize]), [1, 0])), p(HEAD_BIAS, [1])); // [B,1]
  return b.reshape(z, [-1]);
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

export interface FinetuneStepOptions extends ForwardOptions {
  readonly task: FinetuneTask;
  /** Names of the parameters that train; the others are inputs the optimizer never sees. */
  readonly trainable: readonly string[];
  readonly weightDecay: number;
  readonly maxGradNorm: number;
}

/**
 * One fine-tuning step as one ONNX graph: forward, task loss, gradients for the trainable parameters
 * only (the autodiff walks back no further than they need), clipping and AdamW (optimizer-graph.ts).
 * Outputs: `loss`, `grad_norm`, `output`, and `new.*`, `new_m.*`, `new_v.*` of each trainable parameter.
 */
export function buildFinetuneStepGraph(c: BertConfig, o: FinetuneStepOptions): Uint8Array {
  const f = buildFinetuneForward(c, o, "specieslm_finetune_step");
  const loss = taskLoss(f.b, o.task, f.output, targetInput(f.b, o.task, o.batch));
  const params = o.trainable.map((n) => {
    const v = f.params.get(n);
    if (!v) throw new Error(`trainable parameter ${n} is not in the fine-tuning layout`);
    return v;
  });
  const grads = gradient(f.b, loss, params);
  const opt = appendAdamW(f.b, params, grads, {
    weightDecay: o.weightDecay,
    maxGradNorm: o.maxGradNorm,
    mName: stepNames.m,
    vName: stepNames.v,
  });
  const outputs: Record<string, Value> = { loss, grad_norm: opt.gradNorm, output: f.output };
  for (const p of params) {
    outputs[stepNames.newParam(p.name)] = opt.params.get(p.name)!;
    outputs[stepNames.newM(p.name)] = opt.m.get(p.name)!;
    outputs[stepNames.newV(p.name)] = opt.v.get(p.name)!;
  }
  return serializeGraph(f.b.build(outputs));
}

/** The prediction graph (no dropout, any batch and length): output `output` [B], the raw head output. */
export function buildFinetunePredictGraph(c: BertConfig): Uint8Array {
  const f = buildFinetuneForward(c, { batch: "batch", tokens: "tokens" }, "specieslm_finetune_predict");
  return serializeGraph(f.b.build({ output: f.output }));
}
