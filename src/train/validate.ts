import type { HostTensor } from "../host-tensor.js";
import { foldNucleotide } from "../model/kmer-head.js";
import type { Session } from "../runtime/session.js";
import type { MaskedBatch } from "./batches.js";

/** Per-species validation numbers from fixed masked batches. */
export interface ValidationResult {
  /** Mean masked-token cross-entropy (nats per k-mer token), over all scored tokens. */
  readonly loss: number;
  /** Per species: nucleotides whose every covering k-mer was masked, how many the argmax got right, and their mean CE (nats). */
  readonly perSpecies: Record<string, { nucleotides: number; accuracy: number; crossEntropy: number }>;
}

/**
 * Scores nucleotides completely hidden by the masking (all k covering k-mer tokens masked), folding
 * the k-mer head's per-offset base probabilities as the reconstruction recipe does.
 */
export async function validate(
  session: Session,
  params: ReadonlyMap<string, HostTensor>,
  batches: readonly MaskedBatch[],
  extraFeeds: (b: MaskedBatch) => Record<string, HostTensor>,
  split: ValidationSplit,
  species: readonly string[],
  k: number,
): Promise<ValidationResult> {
  const acc = species.map(() => ({ n: 0, right: 0, ce: 0 }));
  let lossSum = 0;
  let lossCount = 0;
  for (const batch of batches) {
    const feeds: Record<string, HostTensor> = { ...extraFeeds(batch) };
    for (const [name, t] of params) feeds[name] = t;
    const out = await session.run(feeds, ["loss", "kmer_nucleotide_probs"]);
    const M = batch.readIndex.shape[0]!;
    lossSum += (out.loss!.data as Float32Array)[0]! * M;
    lossCount += M;
    scoreHidden(out.kmer_nucleotide_probs!.data as Float32Array, batch, split, acc, k);
  }
  const perSpecies: ValidationResult["perSpecies"] = {};
  species.forEach((s, i) => {
    const a = acc[i]!;
    if (a.n > 0) perSpecies[s] = { nucleotides: a.n, accuracy: a.right / a.n, crossEntropy: a.ce / a.n };
  });
  return { loss: lossSum / Math.max(1, lossCount), perSpecies };
}

/** The unmasked split the batches came from, and its vocab id -> first base table. */
export interface ValidationSplit {
  readonly ids: Int32Array;
  readonly species: Int32Array;
  readonly head: number;
  readonly firstBase: Int8Array;
}

function scoreHidden(probs: Float32Array, batch: MaskedBatch, split: ValidationSplit, acc: { n: number; right: number; ce: number }[], k: number): void {
  const T = batch.tokens;
  const readAt = new Map<number, number>(); // flattened position -> read row
  const reads = batch.readIndex.data;
  for (let j = 0; j < reads.length; j++) readAt.set(Number(reads[j]), j);
  for (let b = 0; b < batch.rows.length; b++) {
    const row = batch.rows[b]!;
    const sp = split.species[row]!;
    // Nucleotide p (0-based in the sequence) is hidden when k-mer tokens p-k+1..p are all read.
    const nKmers = countKmers(split.ids, row, T, split.head, split.firstBase);
    for (let p = k - 1; p < nKmers; p++) {
      let hidden = true;
      for (let q = p - k + 1; q <= p && hidden; q++) hidden = readAt.has(b * T + split.head + q);
      if (!hidden) continue;
      const prob = foldNucleotide(probs, k, p, p - k + 1, p, (q) => readAt.get(b * T + split.head + q)!);
      const truth = split.firstBase[split.ids[row * T + split.head + p]!]!; // k-mer p starts at nucleotide p
      if (truth < 0) continue;
      let best = 0;
      for (let c = 1; c < 4; c++) if (prob[c]! > prob[best]!) best = c;
      const a = acc[sp]!;
      a.n++;
      if (best === truth) a.right++;
      a.ce -= Math.log(Math.max(prob[truth]!, 1e-12));
    }
  }
}

/** Vocab id -> first base (0..3) of that k-mer, -1 for tokens that are not k-mers. */
export function firstBaseTable(kmerIds: Int32Array, vocabSize: number, k: number): Int8Array {
  const t = new Int8Array(vocabSize).fill(-1);
  kmerIds.forEach((id, code) => (t[id] = Math.floor(code / 4 ** (k - 1))));
  return t;
}

function countKmers(ids: Int32Array, row: number, T: number, head: number, firstBase: Int8Array): number {
  let n = 0;
  while (head + n < T && firstBase[ids[row * T + head + n]!]! >= 0) n++;
  return n;
}
