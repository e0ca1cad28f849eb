import { ConfigError } from "../errors.js";
import type { GraphBuilder } from "../graph/builder.js";
import type { Value } from "../graph/types.js";
import type { BertConfig } from "./config.js";

/**
 * BertForMaskedLM exactly as Hugging Face computes it: post-LayerNorm encoder, exact (erf) GELU,
 * absolute positions, token type 0, additive attention mask of float32.min, decoder tied to the
 * word embeddings. Written once: inference graphs use weights as initializers, the training graph
 * takes them as inputs and differentiates this same forward pass.
 *
 * Shapes: B = batch, T = tokens, H = hidden, A = heads, D = H / A, V = vocab, M = read positions.
 */

/** Where parameter tensors come from: an initializer (inference) or a graph input (training). */
export type ParamSource = (name: string, shape: readonly number[]) => Value;

/** A hook that applies dropout at a named site (training); identity when absent. */
export type DropoutHook = (x: Value, site: string) => Value;

export interface BertInputs {
  /** [B, T] int64 token ids. */
  readonly inputIds: Value;
  /** [B, T] int64, 1 for real tokens and 0 for padding; absent means all real. */
  readonly attentionMask?: Value;
  /** [B] int64 species index, for conditioning = "embedding". */
  readonly speciesIds?: Value;
}

export interface EncoderOutputs {
  /** hidden_states[0..L], each [B, T, H]: embeddings output, then one per layer. */
  readonly hidden: readonly Value[];
}

function linear(b: GraphBuilder, p: ParamSource, x: Value, name: string, inDim: number, outDim: number): Value {
  const w = p(b.paramName(`${name}.weight`), [outDim, inDim]); // PyTorch Linear: [out, in]
  const bias = p(b.paramName(`${name}.bias`), [outDim]);
  return b.add(b.matmul(x, b.transpose(w, [1, 0])), bias);
}

function layerNorm(b: GraphBuilder, p: ParamSource, x: Value, name: string, h: number, eps: number): Value {
  return b.layerNorm(x, p(b.paramName(`${name}.weight`), [h]), p(b.paramName(`${name}.bias`), [h]), eps).y;
}

/** bert.embeddings: word + position + token type (+ species embedding), LayerNorm, dropout -> [B,T,H]. */
export function bertEmbeddings(b: GraphBuilder, c: BertConfig, p: ParamSource, inp: BertInputs, drop: DropoutHook = (x) => x): Value {
  const H = c.hiddenSize;
  return b.scope("bert.embeddings", () => {
    const word = b.gather(p(b.paramName("word_embeddings.weight"), [c.vocabSize, H]), inp.inputIds); // [B,T,H]
    const positions = b.range(b.dimOf(inp.inputIds, 1), inp.inputIds.shape[1]!); // [T]
    const pos = b.gather(p(b.paramName("position_embeddings.weight"), [c.maxPositionEmbeddings, H]), positions); // [T,H]
    const type0 = b.gather(p(b.paramName("token_type_embeddings.weight"), [c.typeVocabSize, H]), b.constI64(0)); // [H]
    let sum = b.add(b.add(word, pos), type0);
    if (c.conditioning === "embedding") {
      if (!inp.speciesIds) throw new ConfigError("conditioning 'embedding' needs species ids as an input");
      const table = p("specieslm.species_embeddings.weight", [c.numSpecies, H]);
      sum = b.add(sum, b.unsqueeze(b.gather(table, inp.speciesIds), [1])); // + [B,1,H]
    }
    return drop(layerNorm(b, p, sum, "LayerNorm", H, c.layerNormEps), "embeddings");
  });
}

/** [B, 1, 1, T] additive mask: 0 where attended, float32.min where padded (as HF's get_extended_attention_mask). */
function extendedMask(b: GraphBuilder, mask: Value): Value {
  const inv = b.sub(b.constF32(1), b.cast(mask, "float32"));
  return b.unsqueeze(b.mul(inv, b.constF32(-3.4028234663852886e38)), [1, 2]);
}

function selfAttention(b: GraphBuilder, c: BertConfig, p: ParamSource, x: Value, mask: Value | null, drop: DropoutHook): Value {
  const H = c.hiddenSize;
  const A = c.numAttentionHeads;
  const D = H / A;
  const heads = (name: string, perm: number[]) => b.transpose(b.reshape(linear(b, p, x, `attention.self.${name}`, H, H), [0, 0, A, D]), perm);
  const q = heads("query", [0, 2, 1, 3]); // [B,A,T,D]
  const k = heads("key", [0, 2, 3, 1]); // [B,A,D,T]
  const v = heads("value", [0, 2, 1, 3]); // [B,A,T,D]
  let scores = b.mul(b.matmul(q, k), b.constF32(1 / Math.sqrt(D))); // [B,A,T,T]
  if (mask) scores = b.add(scores, mask);
  const probs = drop(b.softmax(scores, -1), "attention_probs");
  const ctx = b.reshape(b.transpose(b.matmul(probs, v), [0, 2, 1, 3]), [0, 0, H]); // [B,T,H]
  const out = drop(linear(b, p, ctx, "attention.output.dense", H, H), "attention_output");
  return layerNorm(b, p, b.add(out, x), "attention.output.LayerNorm", H, c.layerNormEps);
}

function feedForward(b: GraphBuilder, c: BertConfig, p: ParamSource, x: Value, drop: DropoutHook): Value {
  const inter = b.gelu(linear(b, p, x, "intermediate.dense", c.hiddenSize, c.intermediateSize));
  const out = drop(linear(b, p, inter, "output.dense", c.intermediateSize, c.hiddenSize), "output");
  return layerNorm(b, p, b.add(out, x), "output.LayerNorm", c.hiddenSize, c.layerNormEps);
}

/** Embeddings + encoder: returns every hidden state ([B,T,H] each), as `output_hidden_states=True`. */
export function bertEncoder(b: GraphBuilder, c: BertConfig, p: ParamSource, inp: BertInputs, drop: DropoutHook = (x) => x): EncoderOutputs {
  const x = bertEmbeddings(b, c, p, inp, drop);
  return { hidden: [x, ...encoderLayers(b, c, p, x, inp.attentionMask, 0, c.numHiddenLayers, drop)] };
}

/**
 * Encoder layers `from`..`to`-1 on a hidden state x ([B,T,H], the output of layer `from`-1 or of the
 * embeddings): their outputs, one per layer. Fine-tuning runs the frozen ones once and the trained ones per step.
 */
export function encoderLayers(
  b: GraphBuilder,
  c: BertConfig,
  p: ParamSource,
  x: Value,
  attentionMask: Value | undefined,
  from: number,
  to: number,
  drop: DropoutHook = (v) => v,
): Value[] {
  if (c.hiddenSize % c.numAttentionHeads !== 0) {
    throw new ConfigError(`hidden_size ${c.hiddenSize} is not a multiple of num_attention_heads ${c.numAttentionHeads}`);
  }
  if (from >= to) return [];
  const mask = attentionMask ? extendedMask(b, attentionMask) : null;
  const out: Value[] = [];
  for (let i = from; i < to; i++) {
    const h = out[out.length - 1] ?? x;
    out.push(b.scope(`bert.encoder.layer.${i}`, () => feedForward(b, c, p, selfAttention(b, c, p, h, mask, drop), drop)));
  }
  return out;
}

/** cls.predictions.transform: dense + GELU + LayerNorm, on [..., H]. */
export function mlmTransform(b: GraphBuilder, c: BertConfig, p: ParamSource, h: Value): Value {
  return b.scope("cls.predictions.transform", () =>
    layerNorm(b, p, b.gelu(linear(b, p, h, "dense", c.hiddenSize, c.hiddenSize)), "LayerNorm", c.hiddenSize, c.layerNormEps),
  );
}

/** Tied decoder: t @ word_embeddings^T + cls.predictions.bias -> [..., V]. */
export function mlmDecoder(b: GraphBuilder, c: BertConfig, p: ParamSource, t: Value): Value {
  const w = p("bert.embeddings.word_embeddings.weight", [c.vocabSize, c.hiddenSize]);
  const bias = p("cls.predictions.bias", [c.vocabSize]);
  return b.add(b.matmul(t, b.transpose(w, [1, 0])), bias);
}

/**
 * Embedding of each sequence: mean over tokens (real ones, by the attention mask) of the mean of
 * hidden_states[fromLayer:], -> [B, H].
 */
export function meanPooledEmbedding(b: GraphBuilder, hidden: readonly Value[], fromLayer: number, mask: Value | null): Value {
  const layers = hidden.slice(fromLayer);
  if (layers.length === 0) throw new ConfigError(`embedding layer ${fromLayer} is past the last hidden state (${hidden.length - 1})`);
  let sum = layers[0]!;
  for (const h of layers.slice(1)) sum = b.add(sum, h);
  const mean = b.mul(sum, b.constF32(1 / layers.length)); // [B,T,H]
  if (!mask) return b.reduceSum(b.mul(mean, b.reciprocal(b.cast(b.dimOf(mean, 1), "float32"))), [1], false);
  const m = b.unsqueeze(b.cast(mask, "float32"), [2]); // [B,T,1]
  return b.div(b.reduceSum(b.mul(mean, m), [1], false), b.reduceSum(m, [1], false)); // [B,H] / [B,1]
}
