import { erfc } from "../stats/stats.js";
import { InputError } from "../errors.js";
import type { ScoreTrack } from "./contribution-scores.js";
import { reverseComplementCode } from "./seed-kmers.js";
import { shuffledWithinSequences, type Seqlets } from "./seqlets.js";
import { benjaminiHochberg } from "./tomtom.js";
import { MOTIF_DEFAULTS as D } from "./discovery-defaults.js";

export interface WordSeqletOptions {
  /** Word length (default 6). */
  k?: number;
  /** False discovery rate over words (default 0.05). */
  fdr?: number;
  /** Quantile of the null's k-window sums that a word's mean, and each occurrence taken, must reach (default 0.95). */
  quantile?: number;
  /** Pool a word with its reverse complement (default true). */
  bothStrands?: boolean;
  seed?: number;
}

export interface WordSeqlets {
  readonly seqlets: Seqlets;
  /** `[4^k]`: 1 for the recurrent words (canonical codes when both strands are pooled). */
  readonly recurrent: Uint8Array;
}

/**
 * Adds seqlets at the occurrences of recurrent words: k-mers whose occurrences outside the called
 * seqlets score, on average, significantly above the null (shuffled within sequences; a z-test on the
 * mean of n occurrences, Benjamini-Hochberg over words) and at least at the null's `quantile`. Each
 * occurrence of such a word that itself reaches that quantile becomes a seqlet (its window centred on
 * the word). A motif the model has learned weakly gives ~1 bit per site, far below a window threshold
 * set against the null's windows, yet hundreds of sites of the same word make it unmistakable
 * (docs/decisions/motif-recurrent-words.md). Windows already in a seqlet are left out of the counts,
 * so shifted pieces of strong sites do not pass as words.
 */
export function addWordSeqlets(track: ScoreTrack, called: Seqlets, opts: WordSeqletOptions = {}): WordSeqlets {
  const k = opts.k ?? D.seedLength,
    fdr = opts.fdr ?? D.fdr,
    quantile = opts.quantile ?? D.wordQuantile,
    both = opts.bothStrands ?? D.bothStrands;
  if (!(k >= 3 && k <= 10)) throw new InputError(`word length must be in [3, 10], got ${k}`);
  if (!(quantile > 0 && quantile < 1)) throw new InputError(`word quantile must be in (0, 1), got ${quantile}`);
  const covered = new Uint8Array(track.contrib.length);
  for (let s = 0; s < called.seq.length; s++) {
    const g = track.starts[called.seq[s]!]! + called.start[s]!;
    covered.fill(1, g, g + called.width);
  }
  const occ = wordOccurrences(track, track.contrib, covered, k, both);
  const nul = wordOccurrences(track, shuffledWithinSequences(track, opts.seed ?? D.seed, covered), covered, k, both);
  const nullSorted = Float32Array.from(nul.sums).sort();
  if (nullSorted.length === 0) return { seqlets: called, recurrent: new Uint8Array(4 ** k) };
  const cut = nullSorted[Math.min(nullSorted.length - 1, Math.floor(quantile * nullSorted.length))]!;
  let mu = 0,
    m2 = 0;
  for (const v of nullSorted) mu += v;
  mu /= nullSorted.length;
  for (const v of nullSorted) m2 += (v - mu) ** 2;
  const sd = Math.sqrt(m2 / nullSorted.length);

  const n = new Float64Array(4 ** k),
    sum = new Float64Array(4 ** k);
  for (let j = 0; j < occ.sums.length; j++) {
    n[occ.code[j]!]! += 1;
    sum[occ.code[j]!]! += occ.sums[j]!;
  }
  const tested: Array<{ code: number; p: number; mean: number }> = [];
  for (let c = 0; c < n.length; c++) {
    if (n[c]! < 2) continue;
    const mean = sum[c]! / n[c]!;
    const z = (mean - mu) / (sd / Math.sqrt(n[c]!));
    tested.push({ code: c, p: 0.5 * erfc(z / Math.SQRT2), mean });
  }
  tested.sort((a, b) => a.p - b.p);
  const q = benjaminiHochberg(tested.map((t) => t.p));
  const passing = new Uint8Array(4 ** k);
  tested.forEach((t, i) => {
    if (q[i]! <= fdr && t.mean >= cut) passing[t.code] = 1;
  });

  // occurrences of passing words that reach the cut themselves, best first, without overlaps
  const cand: number[] = [];
  for (let j = 0; j < occ.sums.length; j++) if (passing[occ.code[j]!] && occ.sums[j]! >= cut) cand.push(j);
  cand.sort((a, b) => occ.sums[b]! - occ.sums[a]!);
  const seq = Array.from(called.seq),
    start = Array.from(called.start),
    score = Array.from(called.score);
  const flank = (called.width - called.window) >> 1,
    lead = (called.window - k) >> 1;
  for (const j of cand) {
    const g = occ.at[j]!;
    let free = true;
    for (let i = g; i < g + k && free; i++) free = covered[i] === 0;
    const s = occ.seqOf[j]!;
    const o = track.starts[s]!,
      L = track.starts[s + 1]! - o;
    if (!free || L < called.width) continue;
    covered.fill(1, g, g + k);
    seq.push(s);
    start.push(Math.min(Math.max(g - o - lead - flank, 0), L - called.width));
    score.push(occ.sums[j]!);
  }
  return {
    seqlets: { ...called, seq: Int32Array.from(seq), start: Int32Array.from(start), score: Float32Array.from(score) },
    recurrent: passing,
  };
}

interface WordOccurrences {
  readonly code: Int32Array;
  readonly sums: Float32Array;
  readonly at: Int32Array;
  readonly seqOf: Int32Array;
}

/** Every k-mer of ACGT outside `covered`, with its summed score (canonical code when both strands are pooled). */
function wordOccurrences(track: ScoreTrack, values: Float32Array, covered: Uint8Array, k: number, both: boolean): WordOccurrences {
  const cap = values.length;
  const code = new Int32Array(cap),
    sums = new Float32Array(cap),
    at = new Int32Array(cap),
    seqOf = new Int32Array(cap);
  let j = 0;
  for (let s = 0; s < track.ids.length; s++) {
    const end = track.starts[s + 1]! - k;
    for (let g = track.starts[s]!; g <= end; g++) {
      let c = 0,
        v = 0,
        ok = true;
      for (let i = 0; i < k && ok; i++) {
        const b = track.bases[g + i]!;
        ok = b <= 3 && covered[g + i] === 0;
        c = c * 4 + b;
        v += values[g + i]!;
      }
      if (!ok) continue;
      code[j] = both ? Math.min(c, reverseComplementCode(c, k)) : c;
      sums[j] = v;
      at[j] = g;
      seqOf[j++] = s;
    }
  }
  return { code: code.subarray(0, j), sums: sums.subarray(0, j), at: at.subarray(0, j), seqOf: seqOf.subarray(0, j) };
}
