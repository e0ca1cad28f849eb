import { midranks } from "../stats/roc.js";
import { erfc } from "../stats/stats.js";

export interface WilcoxonResult {
  /** Non-zero differences tested (zeros are dropped, as scipy's default "wilcox" rule). */
  readonly n: number;
  /** Sum of the ranks of the positive differences. */
  readonly wPlus: number;
  /** Two-sided p-value. */
  readonly p: number;
  readonly method: "exact" | "normal";
}

/**
 * Wilcoxon signed-rank test of paired differences d (two-sided, zeros dropped). Exact null
 * distribution for n <= 50 without tied |d| (as scipy's "auto"), else the normal approximation with
 * the tie-corrected variance and no continuity correction (scipy's default).
 */
export function wilcoxonSignedRank(d: ArrayLike<number>): WilcoxonResult {
  const nz = Array.from(d).filter((v) => v !== 0 && Number.isFinite(v));
  const n = nz.length;
  if (n === 0) return { n: 0, wPlus: 0, p: 1, method: "exact" };
  const ranks = midranks(nz.map(Math.abs));
  let wPlus = 0;
  nz.forEach((v, i) => {
    if (v > 0) wPlus += ranks[i]!;
  });
  const tied = new Set(ranks).size < n;
  if (n <= 50 && !tied) return { n, wPlus, p: exactSignedRankP(n, wPlus), method: "exact" };
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of counts.values()) tieTerm += t * t * t - t;
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const z = sd > 0 ? (wPlus - mean) / sd : 0;
  return { n, wPlus, p: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)), method: "normal" };
}

/** P-value from the exact distribution of W+ under H0: counts of subsets of {1..n} by their sum. */
function exactSignedRankP(n: number, wPlus: number): number {
  const max = (n * (n + 1)) / 2;
  const ways = new Float64Array(max + 1);
  ways[0] = 1;
  for (let r = 1; r <= n; r++) for (let s = max; s >= r; s--) ways[s] = ways[s]! + ways[s - r]!;
  const total = 2 ** n;
  let below = 0,
    above = 0;
  for (let s = 0; s <= max; s++) {
    if (s <= wPlus) below += ways[s]!;
    if (s >= wPlus) above += ways[s]!;
  }
  return Math.min(1, (2 * Math.min(below, above)) / total);
}
