import { f32, type HostTensor } from "../host-tensor.js";
import type { GraphBuilder } from "../graph/builder.js";
import type { Value } from "../graph/types.js";
import type { ParamSource } from "./bert.js";
import type { BertConfig } from "./config.js";

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

/**
 * The k-mer part of the reconstruction recipe, in-graph: from transformed hidden rows t [M,H] (or
 * [B,n,H]), the tied decoder restricted to the 4^k k-mer tokens, softmax over those only, folded into
 * P(base c at offset o) -> [M, k, 4] (or [B,n,k,4]). `kmerIds` [4^k] gives each k-mer's vocab id by
 * base-4 code.
 */
export function kmerNucleotideHead(b: GraphBuilder, c: BertConfig, p: ParamSource, t: Value, kmerIds: Int32Array, k: number): Value {
  const ids = b.constTensor({ dtype: "int64", shape: [kmerIds.length], data: BigInt64Array.from(kmerIds, (x) => BigInt(x)) }, "kmer_ids");
  const wk = b.gather(p("bert.embeddings.word_embeddings.weight", [c.vocabSize, c.hiddenSize]), ids); // [4^k,H]
  const bk = b.gather(p("cls.predictions.bias", [c.vocabSize]), ids); // [4^k]
  const probs = b.softmax(b.add(b.matmul(t, b.transpose(wk, [1, 0])), bk), -1); // [M,4^k]
  // The leading dims of t are kept (0 = copy): [M,k,4] from rows, [B,n,k,4] from the unmasked [B,n,H].
  const shape = [...t.shape.slice(0, -1).map(() => 0), k, 4];
  // Single nucleotides: the softmax over the four base tokens is the answer; the fold would be an identity matmul.
  if (k === 1) return b.reshape(probs, shape);
  const folded = b.matmul(probs, b.constTensor(kmerBaseFilter(k), "kmer_base_filter")); // [M,k*4]
  return b.reshape(folded, shape);
}

/**
 * Host-side end of the fold: P(A,C,G,T) of nucleotide p from the head's per-offset base probabilities
 * ([M, k, 4] rows) at the k-mers q = qFrom..qTo covering it, summed and renormalised. `rowOf(q)` is the
 * read row holding k-mer q (nucleotide p sits at offset p - q in it).
 */
export function foldNucleotide(
  probs: Float32Array,
  k: number,
  p: number,
  qFrom: number,
  qTo: number,
  rowOf: (q: number) => number,
): [number, number, number, number] {
  const sum: [number, number, number, number] = [0, 0, 0, 0];
  for (let q = qFrom; q <= qTo; q++) {
    const at = (rowOf(q) * k + (p - q)) * 4;
    for (let c = 0; c < 4; c++) sum[c]! += probs[at + c]!;
  }
  const z = sum[0] + sum[1] + sum[2] + sum[3];
  return [sum[0] / z, sum[1] / z, sum[2] / z, sum[3] / z];
}
