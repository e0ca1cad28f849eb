import { WeightsError } from "../errors.js";
import { GraphBuilder } from "../graph/builder.js";
import { f32, type HostTensor } from "../graph/host-tensor.js";
import type { Graph, Value } from "../graph/types.js";
import { bertEncoder, meanPooledEmbedding, mlmDecoder, mlmTransform, type ParamSource } from "./bert.js";
import type { BertConfig } from "./config.js";

/**
 * What an inference graph computes. Inputs are always `input_ids` [B,T] and `attention_mask` [B,T]
 * (int64), plus `species_ids` [B] for embedding-conditioned models, plus `read_index` [M] for the
 * gathered heads.
 */
export interface InferenceOutputs {
  /** `logits` [B,T,V]: the full MLM head at every token (what Hugging Face returns). */
  readonly logits?: boolean;
  /** `hidden_states.0` .. `hidden_states.L`, each [B,T,H]. */
  readonly hiddenStates?: boolean;
  /** `embedding` [B,H]: mean over real tokens of the mean of hidden_states[fromLayer:]. */
  readonly embeddingFromLayer?: number;
  /**
   * `kmer_nucleotide_probs` [M, k, 4]: the MLM head only at the flattened token positions `read_index`
   * (into B*T), softmax over the k-mer logits only, folded per offset o into P(base at offset o). This is
   * the part of the reconstruction recipe that needs the model; the hidden x vocab product runs on M rows, not B*T.
   */
  readonly kmerNucleotides?: { readonly kmerIds: Int32Array; readonly k: number };
}

/** One-hot filter [4^k, k*4]: row j (k-mer with base-4 code j, A=0 C=1 G=2 T=3), column o*4+c = 1 when base o is c. */
export function kmerBaseFilter(k: number): HostTensor<"float32"> {
  const n = 4 ** k;
  const t = f32([n, k * 4]);
  for (let j = 0; j < n; j++) {
    for (let o = 0; o < k; o++) {
      const base = Math.floor(j / 4 ** (k - 1 - o)) % 4;
      t.data[j * k * 4 + o * 4 + base] = 1;
    }
  }
  return t;
}

export function weightSource(b: GraphBuilder, weights: ReadonlyMap<string, HostTensor>): ParamSource {
  const seen = new Map<string, Value>();
  return (name, shape) => {
    const hit = seen.get(name);
    if (hit) return hit;
    const t = weights.get(name);
    if (!t) throw new WeightsError(`the weights have no tensor "${name}" that the graph needs`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new WeightsError(`weight "${name}" has shape [${t.shape}] but the config implies [${shape}]`);
    }
    const v = b.initializer(name, t);
    seen.set(name, v);
    return v;
  };
}

/** Builds the inference graph of a masked LM with the weights embedded as initializers. */
export function buildInferenceGraph(c: BertConfig, weights: ReadonlyMap<string, HostTensor>, out: InferenceOutputs): Graph {
  const b = new GraphBuilder("specieslm_bert_mlm");
  const p = weightSource(b, weights);
  const inputIds = b.input("input_ids", "int64", ["batch", "tokens"]);
  const attentionMask = b.input("attention_mask", "int64", ["batch", "tokens"]);
  const speciesIds = c.conditioning === "embedding" ? b.input("species_ids", "int64", ["batch"]) : undefined;
  const { hidden } = bertEncoder(b, c, p, { inputIds, attentionMask, ...(speciesIds ? { speciesIds } : {}) });
  const last = hidden[hidden.length - 1]!;
  const outputs: Record<string, Value> = {};
  if (out.logits) outputs.logits = mlmDecoder(b, c, p, mlmTransform(b, c, p, last));
  if (out.hiddenStates) hidden.forEach((h, i) => (outputs[`hidden_states.${i}`] = h));
  if (out.embeddingFromLayer !== undefined) {
    outputs.embedding = meanPooledEmbedding(b, hidden, out.embeddingFromLayer, attentionMask);
  }
  if (out.kmerNucleotides) {
    const { kmerIds, k } = out.kmerNucleotides;
    const readIndex = b.input("read_index", "int64", ["reads"]);
    const rows = b.gather(b.reshape(last, [-1, c.hiddenSize]), readIndex); // [M,H]
    const t = mlmTransform(b, c, p, rows);
    const ids = b.constTensor({ dtype: "int64", shape: [kmerIds.length], data: BigInt64Array.from(kmerIds, (x) => BigInt(x)) }, "kmer_ids");
    const wk = b.gather(p("bert.embeddings.word_embeddings.weight", [c.vocabSize, c.hiddenSize]), ids); // [4^k,H]
    const bk = b.gather(p("cls.predictions.bias", [c.vocabSize]), ids); // [4^k]
    const probs = b.softmax(b.add(b.matmul(t, b.transpose(wk, [1, 0])), bk), -1); // [M,4^k]
    const folded = b.matmul(probs, b.constTensor(kmerBaseFilter(k), "kmer_base_filter")); // [M,k*4]
    outputs.kmer_nucleotide_probs = b.reshape(folded, [-1, k, 4]);
  }
  return b.build(outputs);
}
