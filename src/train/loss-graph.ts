import { GraphBuilder } from "../graph/builder.js";
import type { Value } from "../graph/types.js";
import { bertEncoder, type BertInputs, type DropoutHook, mlmDecoder, mlmTransform, type ParamSource } from "../model/bert.js";
import type { BertConfig } from "../model/config.js";
import { kmerNucleotideHead } from "../model/kmer-head.js";
import { paramLayout } from "../model/param-layout.js";

/** Label of tokens that do not count in the loss (Hugging Face's convention). */
export const IGNORE_INDEX = -100;

export interface LossGraph {
  readonly b: GraphBuilder;
  /** Scalar mean cross-entropy over labelled tokens. */
  readonly loss: Value;
  /** Every parameter, as a graph input named by its Hugging Face key, in paramLayout order. */
  readonly params: ReadonlyMap<string, Value>;
  /** [B,T,V] logits, or [M,V] with gatherReads. */
  readonly logits: Value;
  /** [M,k,4] with nucleotideReadout. */
  readonly nucleotides?: Value;
}

export interface LossGraphOptions {
  /** Static batch and token counts: training batches have one shape, so ORT plans memory once. */
  readonly batch: number | string;
  readonly tokens: number | string;
  /** Hidden dropout probability (0 = none); attention-probability dropout uses the same ratio. */
  readonly dropout?: number;
  /** Seed of ORT's Dropout generators (they advance per run; a new session restarts them). */
  readonly dropoutSeed?: number;
  /**
   * Score only the listed tokens: inputs `read_index` [M] (flattened into B*T) and `read_labels` [M]
   * replace `labels`, and the MLM head (hidden x vocab, the largest matmul of a small model) runs on
   * the M masked rows instead of all B*T. Same loss as full labels with IGNORE_INDEX elsewhere.
   */
  readonly gatherReads?: boolean;
  /** With gatherReads: also output `kmer_nucleotide_probs` [M,k,4] at the read rows (validation accuracy). */
  readonly nucleotideReadout?: { readonly kmerIds: Int32Array; readonly k: number };
}

/** The graph inputs of a training forward pass: parameters (named by `layout`), token batch, dropout. */
export interface TrainingInputs {
  readonly params: Map<string, Value>;
  readonly p: ParamSource;
  readonly inputs: BertInputs & { attentionMask: Value };
  /** Dropout at each site when `dropout` > 0 (a seed per site), else undefined. */
  readonly drop: DropoutHook | undefined;
}

/**
 * Declares the parameters of `layout` as float32 graph inputs and `input_ids`, `attention_mask` (and
 * `species_ids` for embedding conditioning) of the static batch shape: what every training graph takes.
 */
export function trainingInputs(
  b: GraphBuilder,
  c: BertConfig,
  layout: Readonly<Record<string, readonly number[]>>,
  o: Pick<LossGraphOptions, "batch" | "tokens" | "dropout" | "dropoutSeed">,
): TrainingInputs {
  const { params, p } = parameterInputs(b, layout);
  const inputIds = b.input("input_ids", "int64", [o.batch, o.tokens]);
  const attentionMask = b.input("attention_mask", "int64", [o.batch, o.tokens]);
  const speciesIds = c.conditioning === "embedding" ? b.input("species_ids", "int64", [o.batch]) : undefined;
  return { params, p, inputs: { inputIds, attentionMask, ...(speciesIds ? { speciesIds } : {}) }, drop: dropoutHook(b, o.dropout, o.dropoutSeed) };
}

/** The parameters of `layout` as float32 graph inputs named by their keys, and their ParamSource. */
export function parameterInputs(b: GraphBuilder, layout: Readonly<Record<string, readonly number[]>>): Pick<TrainingInputs, "params" | "p"> {
  const params = new Map<string, Value>();
  for (const [name, shape] of Object.entries(layout)) params.set(name, b.input(name, "float32", [...shape]));
  const p: ParamSource = (name) => {
    const v = params.get(name);
    if (!v) throw new Error(`parameter ${name} is not in the graph's parameter layout`);
    return v;
  };
  return { params, p };
}

/** Dropout of `ratio` at each site it is applied to, with a seed per site; undefined when the ratio is 0. */
export function dropoutHook(b: GraphBuilder, ratio = 0, seed = 0): DropoutHook | undefined {
  let site = 0;
  return ratio > 0 ? (x) => b.dropout(x, b.constF32(ratio), seed * 1000 + site++).y : undefined;
}

/**
 * The masked-LM forward pass with parameters as graph inputs, and its loss: inputs `input_ids`,
 * `attention_mask`, `labels` ([B,T] int64; IGNORE_INDEX where not scored; or `read_index` +
 * `read_labels`, see `gatherReads`) and `species_ids` ([B], embedding conditioning only). The same `bertEncoder` as inference: there is no second model.
 */
export function buildLossGraph(c: BertConfig, o: LossGraphOptions): LossGraph {
  const b = new GraphBuilder("specieslm_mlm_train");
  const { params, p, inputs, drop } = trainingInputs(b, c, paramLayout(c), o);
  const { hidden } = bertEncoder(b, c, p, inputs, drop);
  const last = hidden[hidden.length - 1]!;
  if (o.gatherReads) {
    const readIndex = b.input("read_index", "int64", ["reads"]);
    const readLabels = b.input("read_labels", "int64", ["reads"]);
    const rows = b.gather(b.reshape(last, [-1, c.hiddenSize]), readIndex); // [M,H]
    const t = mlmTransform(b, c, p, rows);
    const logits = mlmDecoder(b, c, p, t); // [M,V]
    const loss = b.softmaxCrossEntropy(logits, readLabels, IGNORE_INDEX).loss;
    const r = o.nucleotideReadout;
    return { b, loss, params, logits, ...(r ? { nucleotides: kmerNucleotideHead(b, c, p, t, r.kmerIds, r.k) } : {}) };
  }
  const labels = b.input("labels", "int64", [o.batch, o.tokens]);
  const logits = mlmDecoder(b, c, p, mlmTransform(b, c, p, last)); // [B,T,V]
  const { loss } = b.softmaxCrossEntropy(b.reshape(logits, [-1, c.vocabSize]), b.reshape(labels, [-1]), IGNORE_INDEX);
  return { b, loss, params, logits };
}
