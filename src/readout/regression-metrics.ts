import { quantileSorted } from "../analysis/stats.js";
import { mulberry32 } from "../rng.js";
import { averageRanks } from "./rank-tests.js";

/** How well out-of-fold predictions match the measurements. */
export interface RegressionMetrics {
  /** 1 - SSE / SST (coefficient of determination, scikit-learn's r2_score). */
  readonly r2: number;
  readonly pearson: number;
  readonly spearman: number;
}

export interface MetricCis {
  readonly r2: readonly [number, number];
  readonly pearson: readonly [number, number];
  readonly spearman: readonly [number, number];
}

export function r2Score(y: ArrayLike<number>, yHat: ArrayLike<number>): number {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let sse = 0, sst = 0;
  for (let i = 0; i < n; i++) (sse += (y[i]! - yHat[i]!) ** 2), (sst += (y[i]! - mean) ** 2);
  return sst > 0 ? 1 - sse / sst : NaN;
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) (ma += a[i]!), (mb += b[i]!);
  ma /= n;
  mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma, db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Spearman's rho: Pearson on midranks. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(averageRanks(a), averageRanks(b));
}

export function regressionMetrics(y: ArrayLike<number>, yHat: ArrayLike<number>): RegressionMetrics {
  return { r2: r2Score(y, yHat), pearson: pearson(y, yHat), spearman: spearman(y, yHat) };
}

/**
 * Percentile bootstrap over records (resampled with replacement; `samples` draws from the project's
 * seeded PRNG, so the intervals are reproducible).
 */
export function bootstrapMetricCis(y: ArrayLike<number>, yHat: ArrayLike<number>, samples: number, seed: number): MetricCis {
  const n = y.length;
  const rng = mulberry32(seed);
  const draws = { r2: new Float64Array(samples), pearson: new Float64Array(samples), spearman: new Float64Array(samples) };
  const yb = new Float64Array(n), pb = new Float64Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const j = rng.int(n);
      yb[i] = y[j]!;
      pb[i] = yHat[j]!;
    }
    const m = regressionMetrics(yb, pb);
    draws.r2[s] = m.r2;
    draws.pearson[s] = m.pearson;
    draws.spearman[s] = m.spearman;
  }
  const ci = (x: Float64Array): [number, number] => {
    const sorted = x.filter(Number.isFinite).sort();
    return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
  };
  return { r2: ci(draws.r2), pearson: ci(draws.pearson), spearman: ci(draws.spearman) };
}

/** Bootstrap 95% interval of r2(A) - r2(B) on the same resampled records. */
export function bootstrapR2Difference(y: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, samples: number, seed: number): readonly [number, number] {
  const n = y.length;
  const rng = mulberry32(seed);
  const diffs = new Float64Array(samples);
  const yb = new Float64Array(n), ab = new Float64Array(n), bb = new Float64Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const j = rng.int(n);
      yb[i] = y[j]!;
      ab[i] = a[j]!;
      bb[i] = b[j]!;
    }
    diffs[s] = r2Score(yb, ab) - r2Score(yb, bb);
  }
  const sorted = diffs.filter(Number.isFinite).sort();
  return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
}
