import { erfc } from "../analysis/stats.js";
import { averageRanks } from "./rank-tests.js";

/** AUROC with its DeLong standard error and 95% interval (normal, clipped to [0, 1], as pROC). */
export interface AurocResult {
  readonly auc: number;
  readonly se: number;
  readonly ci95: readonly [number, number];
  readonly positives: number;
  readonly negatives: number;
}

export interface PairedAurocResult {
  readonly difference: number;
  readonly se: number;
  readonly z: number;
  readonly p: number;
}

interface Placements {
  readonly auc: number;
  /** V10: per positive, the fraction of negatives it outscores (ties 1/2). */
  readonly v10: Float64Array;
  /** V01: per negative, the fraction of positives that outscore it (ties 1/2). */
  readonly v01: Float64Array;
}

/**
 * DeLong et al. (1988) placement values, through midranks (Sun and Xu 2014): for a positive with rank
 * R among all scores and R+ among the positives, V10 = (R - R+) / n_neg; likewise for negatives.
 */
function placements(scores: ArrayLike<number>, labels: ArrayLike<boolean>): Placements {
  const pos: number[] = [], neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] ? pos : neg).push(scores[i]!);
  const m = pos.length, n = neg.length;
  if (m === 0 || n === 0) throw new RangeError(`AUROC needs both classes: ${m} positive and ${n} negative instances`);
  const all = averageRanks([...pos, ...neg]);
  const rp = averageRanks(pos), rn = averageRanks(neg);
  const v10 = Float64Array.from(pos, (_, i) => (all[i]! - rp[i]!) / n);
  const v01 = Float64Array.from(neg, (_, j) => 1 - (all[m + j]! - rn[j]!) / m);
  let s = 0;
  for (const v of v10) s += v;
  return { auc: s / m, v10, v01 };
}

function covariance(a: Float64Array, b: Float64Array): number {
  const k = a.length;
  if (k < 2) return 0;
  let ma = 0, mb = 0;
  for (let i = 0; i < k; i++) (ma += a[i]!), (mb += b[i]!);
  ma /= k;
  mb /= k;
  let s = 0;
  for (let i = 0; i < k; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / (k - 1);
}

/** AUROC of `scores` for `labels` (true = positive class) with DeLong's variance. */
export function aurocDeLong(scores: ArrayLike<number>, labels: ArrayLike<boolean>): AurocResult {
  const p = placements(scores, labels);
  const m = p.v10.length, n = p.v01.length;
  const se = Math.sqrt(Math.max(0, covariance(p.v10, p.v10) / m + covariance(p.v01, p.v01) / n));
  return { auc: p.auc, se, ci95: [Math.max(0, p.auc - 1.959964 * se), Math.min(1, p.auc + 1.959964 * se)], positives: m, negatives: n };
}

/** DeLong's test of AUROC(a) - AUROC(b) for two scores of the same instances (two-sided). */
export function pairedDeLong(a: ArrayLike<number>, b: ArrayLike<number>, labels: ArrayLike<boolean>): PairedAurocResult {
  const pa = placements(a, labels), pb = placements(b, labels);
  const m = pa.v10.length, n = pa.v01.length;
  const var10 = covariance(pa.v10, pa.v10) + covariance(pb.v10, pb.v10) - 2 * covariance(pa.v10, pb.v10);
  const var01 = covariance(pa.v01, pa.v01) + covariance(pb.v01, pb.v01) - 2 * covariance(pa.v01, pb.v01);
  const se = Math.sqrt(Math.max(0, var10 / m + var01 / n));
  const difference = pa.auc - pb.auc;
  const z = se > 0 ? difference / se : 0;
  return { difference, se, z, p: se > 0 ? Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) : 1 };
}
