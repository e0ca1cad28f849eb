import { mulberry32 } from "../rng.js";
import { erfc } from "./stats.js";

/**
 * Rank statistics for scoring a predictor against labels: AUROC with DeLong's variance (DeLong, DeLong &
 * Clarke-Pearson 1988, in the midrank form of Sun & Xu 2014), the paired DeLong test of two scores on
 * the same items, average precision (AUPRC) with a stratified bootstrap interval, Pearson and Spearman
 * correlation with Fisher-z intervals. Scores are oriented: larger = more likely positive.
 */

const Z95 = 1.959963984540054;

/** 1-based midranks (ties share the mean of their ranks). */
export function midranks(x: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const r = new Float64Array(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]!] === x[order[i]!]) j++;
    for (let t = i; t <= j; t++) r[order[t]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** DeLong's structural components: V10 per positive, V01 per negative (their means are the AUROC). */
function structural(scores: ArrayLike<number>, labels: ArrayLike<boolean>): { v10: Float64Array; v01: Float64Array } {
  const pos: number[] = [],
    neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] ? pos : neg).push(scores[i]!);
  const all = midranks([...pos, ...neg]);
  const rp = midranks(pos),
    rn = midranks(neg);
  const m = pos.length,
    n = neg.length;
  const v10 = Float64Array.from(pos, (_, i) => (all[i]! - rp[i]!) / n);
  const v01 = Float64Array.from(neg, (_, j) => 1 - (all[m + j]! - rn[j]!) / m);
  return { v10, v01 };
}

const mean = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
};
function cov(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a),
    mb = mean(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / (a.length - 1);
}

export interface AurocResult {
  readonly auroc: number;
  /** DeLong standard error and 95% interval (clipped to [0, 1]). */
  readonly se: number;
  readonly ci95: readonly [number, number];
  readonly positives: number;
  readonly negatives: number;
}

export function auroc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): AurocResult {
  const { v10, v01 } = structural(scores, labels);
  const m = v10.length,
    n = v01.length;
  if (m < 2 || n < 2) return { auroc: m && n ? mean(v10) : NaN, se: NaN, ci95: [NaN, NaN], positives: m, negatives: n };
  const a = mean(v10);
  const se = Math.sqrt(cov(v10, v10) / m + cov(v01, v01) / n);
  return { auroc: a, se, ci95: [Math.max(0, a - Z95 * se), Math.min(1, a + Z95 * se)], positives: m, negatives: n };
}

export interface PairedAurocResult {
  readonly difference: number;
  /** DeLong standard error of the difference. */
  readonly se: number;
  readonly z: number;
  readonly p: number;
}

/** Paired DeLong test of AUROC(a) - AUROC(b) on the same items: difference, its SE and two-sided p. */
export function delongTest(a: ArrayLike<number>, b: ArrayLike<number>, labels: ArrayLike<boolean>): PairedAurocResult {
  const A = structural(a, labels),
    B = structural(b, labels);
  const m = A.v10.length,
    n = A.v01.length;
  const diff = mean(A.v10) - mean(B.v10);
  const v = (cov(A.v10, A.v10) + cov(B.v10, B.v10) - 2 * cov(A.v10, B.v10)) / m + (cov(A.v01, A.v01) + cov(B.v01, B.v01) - 2 * cov(A.v01, B.v01)) / n;
  if (!(v > 0)) return { difference: diff, se: 0, z: NaN, p: diff === 0 ? 1 : NaN };
  const z = diff / Math.sqrt(v);
  return { difference: diff, se: Math.sqrt(v), z, p: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

/** Average precision: sum over distinct thresholds of (recall step) x precision, ties taken together. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((x, y) => scores[y]! - scores[x]!);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
  if (positives === 0) return NaN;
  let tp = 0,
    seen = 0,
    ap = 0,
    lastRecall = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) {
      if (labels[order[j]!]) tp++;
      seen++;
      j++;
    }
    const recall = tp / positives;
    ap += (recall - lastRecall) * (tp / seen);
    lastRecall = recall;
    i = j;
  }
  return ap;
}

/** Average precision with a 95% percentile interval from `resamples` bootstrap draws within each class. */
export function auprc(scores: ArrayLike<number>, labels: ArrayLike<boolean>, resamples = 1000, seed = 1): { auprc: number; ci95: readonly [number, number] } {
  const ap = averagePrecision(scores, labels);
  const pos: number[] = [],
    neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] ? pos : neg).push(i);
  if (pos.length < 2 || neg.length < 2) return { auprc: ap, ci95: [NaN, NaN] };
  const rng = mulberry32(seed);
  const draws = new Float64Array(resamples);
  const s = new Float64Array(scores.length);
  const l = new Array<boolean>(scores.length);
  for (let r = 0; r < resamples; r++) {
    let t = 0;
    for (const group of [pos, neg])
      for (let i = 0; i < group.length; i++, t++) {
        const pick = group[rng.int(group.length)]!;
        s[t] = scores[pick]!;
        l[t] = labels[pick]!;
      }
    draws[r] = averagePrecision(s, l);
  }
  draws.sort();
  return { auprc: ap, ci95: [draws[Math.floor(0.025 * (resamples - 1))]!, draws[Math.ceil(0.975 * (resamples - 1))]!] };
}

export interface Correlation {
  readonly r: number;
  /** Fisher-z 95% interval. */
  readonly ci95: readonly [number, number];
  readonly n: number;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): Correlation {
  const n = x.length;
  const r = cov(x, y) / Math.sqrt(cov(x, x) * cov(y, y));
  if (n < 4 || !Number.isFinite(r)) return { r, ci95: [NaN, NaN], n };
  const z = Math.atanh(Math.max(-0.999999, Math.min(0.999999, r)));
  const h = Z95 / Math.sqrt(n - 3);
  return { r, ci95: [Math.tanh(z - h), Math.tanh(z + h)], n };
}

/** Spearman's rho: Pearson's r of the midranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): Correlation {
  return pearson(midranks(x), midranks(y));
}
