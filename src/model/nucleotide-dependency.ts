import type { GraphBuilder } from "../graph/builder.js";
import type { Value } from "../graph/types.js";
import { mlmTransform, type ParamSource } from "./bert.js";
import type { BertConfig } from "./config.js";
import { kmerNucleotideHead } from "./kmer-head.js";

/**
 * Smoothing of the log-odds: p' = (p + eps) / (1 + 4 eps), log-odds = ln p' - ln(1 - p'). Keeps a base
 * the model rules out (p ~ 1e-9) from dominating max |change| with a difference of two huge logs.
 */
export const LOG_ODDS_EPS = 1e-6;

/**
 * Per-nucleotide predictions of UNMASKED sequences, in-graph: the MLM head is read at every k-mer
 * token of the last hidden state [B,T,H] (tokens `head`..T-2, after [CLS] and the species token of
 * "token" conditioning, before [SEP]), softmax over the 4^k k-mer logits only, folded per offset into
 * P(base at offset o) [B,n,k,4] (n = L-k+1 tokens). Nucleotide j is read from every token q covering it
 * (q = j-k+1..j, within 0..n-1) at offset j-q: their per-offset distributions are averaged (summed,
 * then divided by the total, which is the count since each sums to 1). Each offset's plane is placed by
 * zero padding (o in front, k-1-o behind) so the fold needs no per-length constant. For k = 1 this is
 * the plain softmax over A,C,G,T at each token. Returns [B, L, 4].
 */
export function unmaskedNucleotideProbs(b: GraphBuilder, c: BertConfig, p: ParamSource, last: Value, kmerIds: Int32Array, k: number): Value {
  const head = c.conditioning === "token" ? 2 : 1;
  const tokens = b.slice(last, 1, head, -1, "kmers"); // [B,n,H]
  const folded = kmerNucleotideHead(b, c, p, mlmTransform(b, c, p, tokens), kmerIds, k); // [B,n,k,4]
  let sum: Value | undefined;
  for (let o = 0; o < k; o++) {
    const plane = b.squeeze(b.slice(folded, 2, o, o + 1, 1), [2]); // [B,n,4]: token q's P(base at q+o)
    const placed = b.pad(plane, [0, o, 0], [0, k - 1 - o, 0], [plane.shape[0]!, "nucleotides", 4]); // [B,L,4]
    sum = sum ? b.add(sum, placed) : placed;
  }
  return b.div(sum!, b.reduceSum(sum!, [-1], true));
}

/** ln p' - ln(1 - p') with p' = (p + eps) / (1 + 4 eps), elementwise. */
export function smoothedLogOdds(b: GraphBuilder, probs: Value): Value {
  const pe = b.div(b.add(probs, b.constF32(LOG_ODDS_EPS)), b.constF32(1 + 4 * LOG_ODDS_EPS));
  return b.sub(b.log(pe), b.log(b.sub(b.constF32(1), pe)));
}

/**
 * Dependency reductions of mutant rows against their reference, in-graph:
 * `change` [B,L] = max over the 4 bases at j of |log-odds(mutant) - log-odds(ref)|, times `weight`
 * [B,L] (1 at the positions to count, 0 at the mutated position itself and past a row's end);
 * `influence` [B] = weighted mean over j of `change` (the variant influence score).
 * `refLogOdds` is [B,L,4] or [1,L,4] (one reference for every row).
 */
export function dependencyReductions(b: GraphBuilder, logOdds: Value, refLogOdds: Value, weight: Value): { change: Value; influence: Value } {
  const change = b.mul(b.reduceMax(b.abs(b.sub(logOdds, refLogOdds)), [-1], false), weight); // [B,L]
  const influence = b.div(b.reduceSum(change, [1], false), b.reduceSum(weight, [1], false)); // [B]
  return { change, influence };
}

/**
 * Dependency map rows from mutant rows laid out three per mutated position (the three other bases):
 * [B/3, L], the max over those three of `change`.
 */
export function maxOverAlternatives(b: GraphBuilder, change: Value): Value {
  const grouped = b.reshape(b.unsqueeze(change, [1]), [-1, 3, 0]); // [B/3, 3, L]
  return b.reduceMax(grouped, [1], false);
}
