import { InputError } from "../errors.js";
import { mulberry32 } from "../rng.js";
import type { ScoreTrack } from "./contribution-scores.js";
import { MOTIF_DEFAULTS as D, type SeqletNull } from "./discovery-defaults.js";

/**
 * `empirical`: the null is the window sums of the same scores shuffled within each sequence (same
 * values, no spatial clustering). `laplace`: a Laplace distribution fitted to that null (median and mean
 * absolute deviation), which smooths the far tail where few null windows fall.
 */

export interface SeqletOptions {
  /** Width of the window whose summed contribution is tested (default 8). */
  window?: number;
  /** Bases added on each side of a passing window to form the seqlet (default 4). */
  flank?: number;
  /** False discovery rate of passing windows against the null (default 0.05). */
  fdr?: number;
  null?: SeqletNull;
  seed?: number;
}

/** Seqlets as parallel arrays (one entry per seqlet); each spans `[start, start + width)` of its sequence. */
export interface Seqlets {
  readonly seq: Int32Array;
  readonly start: Int32Array;
  /** Summed contribution of the window that called the seqlet. */
  readonly score: Float32Array;
  readonly width: number;
  readonly window: number;
  /** Window sum a window needed to pass. */
  readonly threshold: number;
  readonly windows: number;
  /** Windows at or above the threshold, in the data and (expected) in the null. */
  readonly passing: number;
  readonly nullPassing: number;
}

/** Seqlets: the best non-overlapping windows whose summed score passes the FDR threshold. */
export function callSeqlets(track: ScoreTrack, opts: SeqletOptions = {}): Seqlets {
  const w = opts.window ?? D.window;
  const flank = opts.flank ?? D.flank;
  const fdr = opts.fdr ?? D.fdr;
  if (!(w >= 1)) throw new InputError(`seqlet window must be >= 1, got ${w}`);
  if (!(fdr > 0 && fdr < 1)) throw new InputError(`seqlet FDR must be in (0, 1), got ${fdr}`);
  const width = w + 2 * flank;
  const obs = windowSums(track, track.contrib, w);
  const nul = windowSums(track, shuffledWithinSequences(track, opts.seed ?? D.seed), w);
  const sortedObs = Float32Array.from(obs.sums).sort().reverse();
  const nullAbove = (opts.null ?? D.null) === "laplace" ? laplaceTail(nul.sums) : empiricalTail(nul.sums);
  // largest passing set whose estimated FDR stays at or below the target
  let threshold = Infinity,
    passing = 0,
    nullPassing = 0;
  for (let j = 0; j < sortedObs.length; j++) {
    const t = sortedObs[j]!;
    if (!(t > 0)) break;
    const nNull = nullAbove(t);
    if (nNull / (j + 1) <= fdr) {
      threshold = t;
      passing = j + 1;
      nullPassing = nNull;
    }
  }
  const cand: number[] = [];
  for (let j = 0; j < obs.sums.length; j++) if (obs.sums[j]! >= threshold) cand.push(j);
  cand.sort((a, b) => obs.sums[b]! - obs.sums[a]!);
  const taken = new Uint8Array(track.contrib.length);
  const seq: number[] = [],
    start: number[] = [],
    score: number[] = [];
  for (const j of cand) {
    const g = obs.at[j]!;
    let free = true;
    for (let i = g; i < g + w && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, g, g + w);
    const k = obs.seqOf[j]!;
    const o = track.starts[k]!,
      L = track.starts[k + 1]! - o;
    if (L < width) continue;
    seq.push(k);
    start.push(Math.min(Math.max(g - o - flank, 0), L - width));
    score.push(obs.sums[j]!);
  }
  return {
    seq: Int32Array.from(seq),
    start: Int32Array.from(start),
    score: Float32Array.from(score),
    width,
    window: w,
    threshold,
    windows: obs.sums.length,
    passing,
    nullPassing,
  };
}

interface WindowSums {
  readonly sums: Float32Array;
  /** Flat track index of each window's first base. */
  readonly at: Int32Array;
  readonly seqOf: Int32Array;
}

/** Sums of every full window of each sequence, from one prefix-sum pass over the flat track. */
function windowSums(track: ScoreTrack, values: Float32Array, w: number): WindowSums {
  const n = track.ids.length;
  let count = 0;
  for (let k = 0; k < n; k++) count += Math.max(0, track.starts[k + 1]! - track.starts[k]! - w + 1);
  const prefix = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) prefix[i + 1] = prefix[i]! + values[i]!;
  const sums = new Float32Array(count),
    at = new Int32Array(count),
    seqOf = new Int32Array(count);
  let j = 0;
  for (let k = 0; k < n; k++) {
    const end = track.starts[k + 1]! - w;
    for (let g = track.starts[k]!; g <= end; g++, j++) {
      sums[j] = prefix[g + w]! - prefix[g]!;
      at[j] = g;
      seqOf[j] = k;
    }
  }
  return { sums, at, seqOf };
}

/** The scores shuffled within each sequence; positions marked in `fixed` keep their value and take no part. */
export function shuffledWithinSequences(track: ScoreTrack, seed: number, fixed?: Uint8Array): Float32Array {
  const out = Float32Array.from(track.contrib);
  const rng = mulberry32(seed);
  const free: number[] = [];
  for (let k = 0; k < track.ids.length; k++) {
    free.length = 0;
    for (let i = track.starts[k]!; i < track.starts[k + 1]!; i++) if (!fixed?.[i]) free.push(i);
    for (let i = free.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = out[free[i]!]!;
      out[free[i]!] = out[free[j]!]!;
      out[free[j]!] = t;
    }
  }
  return out;
}

/** Number of null windows at or above t, by binary search in the sorted null. */
function empiricalTail(nullSums: Float32Array): (t: number) => number {
  const sorted = Float32Array.from(nullSums).sort();
  return (t) => {
    let lo = 0,
      hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return sorted.length - lo;
  };
}

/** Expected null windows at or above t under a Laplace fit (median, mean absolute deviation). */
function laplaceTail(nullSums: Float32Array): (t: number) => number {
  const sorted = Float32Array.from(nullSums).sort();
  const mu = sorted[sorted.length >> 1] ?? 0;
  let mad = 0;
  for (const v of sorted) mad += Math.abs(v - mu);
  const b = Math.max(mad / Math.max(sorted.length, 1), 1e-12);
  return (t) => sorted.length * (t >= mu ? 0.5 * Math.exp(-(t - mu) / b) : 1 - 0.5 * Math.exp((t - mu) / b));
}
