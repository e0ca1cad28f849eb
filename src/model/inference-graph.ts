import { WeightsError } from "../errors.js";
import { GraphBuilder } from "../graph/builder.js";
import type { HostTensor } from "../host-tensor.js";
import type { Graph, Value } from "../graph/types.js";
import { bertEncoder, meanPooledEmbedding, mlmDecoder, mlmTransform, type ParamSource } from "./bert.js";
import type { BertConfig } from "./config.js";
import { kmerNucleotideHead } from "./kmer-head.js";
import { dependencyReductions, maxOverAlternatives, smoothedLogOdds, unmaskedNucleotideProbs } from "./nucleotide-dependency.js";

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
  /**
   * Per-nucleotide predictions of the unmasked input (src/model/nucleotide-dependency.ts; every row of
   * a batch one length, unpadded: the k-mer tokens are read up to the last-but-one). "log-odds":
   * `nucleotide_probs` and `log_odds` [B,L,4]. "influence": inputs `ref_log_odds` [B,L,4] and `weight`
   * [B,L]; outputs `change` [B,L] and `influence` [B]. "map": inputs `ref_log_odds` [1,L,4] and
   * `weight` [B,L] with rows three per mutated position; outputs `dependency` [B/3,L] and `influence` [B].
   */
  readonly unmaskedNucleotides?: { readonly kmerIds: Int32Array; readonly k: number; readonly reduce: "log-odds" | "influence" | "map" };
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
    outputs.kmer_nucleotide_probs = kmerNucleotideHead(b, c, p, mlmTransform(b, c, p, rows), kmerIds, k);
  }
  if (out.unmaskedNucleotides) {
    const { kmerIds, k, reduce } = out.unmaskedNucleotides;
    const probs = unmaskedNucleotideProbs(b, c, p, last, kmerIds, k);
    const logOdds = smoothedLogOdds(b, probs);
    if (reduce === "log-odds") Object.assign(outputs, { nucleotide_probs: probs, log_odds: logOdds });
    else {
      // One reference per row when scoring variants; one shared reference for a dependency map.
      const ref = b.input("ref_log_odds", "float32", [reduce === "map" ? 1 : "batch", "nucleotides", 4]);
      const weight = b.input("weight", "float32", ["batch", "nucleotides"]);
      const { change, influence } = dependencyReductions(b, logOdds, ref, weight);
      outputs.influence = influence;
      if (reduce === "influence") outputs.change = change;
      else outputs.dependency = maxOverAlternatives(b, change);
    }
  }
  return b.build(outputs);
}
