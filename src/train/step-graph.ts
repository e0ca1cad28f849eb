import { gradient } from "../graph/gradient.js";
import { serializeGraph } from "../graph/onnx/serialize.js";
import type { Value } from "../graph/types.js";
import type { BertConfig } from "../model/config.js";
import { buildLossGraph } from "./loss-graph.js";
import { appendAdamW } from "./optimizer-graph.js";

export interface StepGraphOptions {
  readonly batch: number;
  readonly tokens: number;
  readonly dropout: number;
  readonly dropoutSeed: number;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
}

/** Graph input/output names of the training step, so the trainer feeds state back by name. */
export const stepNames = {
  newParam: (p: string) => `new.${p}`,
  m: (p: string) => `adam_m.${p}`,
  v: (p: string) => `adam_v.${p}`,
  newM: (p: string) => `new_m.${p}`,
  newV: (p: string) => `new_v.${p}`,
};

/**
 * One training step as one ONNX graph: masked-LM forward (head on masked rows only), loss,
 * gradients by the project's autodiff, global-norm clipping and AdamW. Inputs: the batch
 * (`input_ids`, `attention_mask`, `read_index`, `read_labels`, `species_ids` for embedding
 * conditioning), parameters, `adam_m.*`, `adam_v.*`, `lr`, `adam_step`. Outputs: `loss`,
 * `grad_norm`, `new.*`, `new_m.*`, `new_v.*`.
 */
export function buildStepGraph(c: BertConfig, o: StepGraphOptions): Uint8Array {
  const g = buildLossGraph(c, { batch: o.batch, tokens: o.tokens, dropout: o.dropout, dropoutSeed: o.dropoutSeed, gatherReads: true });
  const params = [...g.params.values()];
  const grads = gradient(g.b, g.loss, params);
  const opt = appendAdamW(g.b, params, grads, {
    weightDecay: o.weightDecay,
    maxGradNorm: o.maxGradNorm,
    mName: stepNames.m,
    vName: stepNames.v,
  });
  const outputs: Record<string, Value> = { loss: g.loss, grad_norm: opt.gradNorm };
  for (const p of params) {
    outputs[stepNames.newParam(p.name)] = opt.params.get(p.name)!;
    outputs[stepNames.newM(p.name)] = opt.m.get(p.name)!;
    outputs[stepNames.newV(p.name)] = opt.v.get(p.name)!;
  }
  return serializeGraph(g.b.build(outputs));
}

/** Validation graph: loss and per-offset base probabilities at the masked rows, no dropout, no update. */
export function buildEvalGraph(c: BertConfig, batch: number | string, tokens: number, kmerIds: Int32Array, k: number): Uint8Array {
  const g = buildLossGraph(c, { batch, tokens, gatherReads: true, nucleotideReadout: { kmerIds, k } });
  return serializeGraph(g.b.build({ loss: g.loss, kmer_nucleotide_probs: g.nucleotides! }));
}
