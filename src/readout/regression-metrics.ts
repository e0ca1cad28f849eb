import { quantileSorted } from "../stats/stats.js";
import { mulberry32 } from "../rng.js";
import { pearson as correlation, spearman as rankCorrelation } from "../stats/roc.js";

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
  let sse = 0,
    sst = 0;
  for (let i = 0; i < n; i++) {
    sse += (y[i]! - yHat[i]!) ** 2;
    sst += (y[i]! - mean) ** 2;
  }
  return sst > 0 ? 1 - sse / sst : NaN;
}

/** Pearson's r and Spearman's rho as numbers (the intervals here come from the bootstrap, not Fisher z). */
const pearson = (a: ArrayLike<number>, b: ArrayLike<number>): number => correlation(a, b).r;
const spearman = (a: ArrayLike<number>, b: ArrayLike<number>): number => rankCorrelation(a, b).r;

export function regressionMetrics(y: ArrayLike<number>, yHat: ArrayLike<number>): RegressionMetrics {
  return { r2: r2Score(y, yHat), pearson: pearson(y, yHat), spearman: spearman(y, yHat) };
}

/**
 * Percentile bootstrap over records: `samples` resamples with replacement (the project's seeded PRNG, so
 * intervals are reproducible), `stat` evaluated on each resample's record indices; 95% interval.
 */
function bootstrapCi(n: number, samples: number, seed: number, stat: (idx: Int32Array) => number): [number, number] {
  const rng = mulberry32(seed);
  const draws = new Float64Array(samples);
  const idx = new Int32Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    draws[s] = stat(idx);
  }
  const sorted = draws.filter(Number.isFinite).sort();
  return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
}

const pick = (x: ArrayLike<number>, idx: Int32Array) => Float64Array.from(idx, (i) => x[i]!);

/** Bootstrap 95% intervals of r2, Pearson and Spearman (the same resamples for each, by seed). */
export function bootstrapMetricCis(y: ArrayLike<number>, yHat: ArrayLike<number>, samples: number, seed: number): MetricCis {
  const on = (metric: (a: Float64Array, b: Float64Array) => number) => bootstrapCi(y.length, samples, seed, (idx) => metric(pick(y, idx), pick(yHat, idx)));
  return { r2: on(r2Score), pearson: on(pearson), spearman: on(spearman) };
}

/** Bootstrap 95% interval of r2(A) - r2(B) on the same resampled records. */
export function bootstrapR2Difference(
  y: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  samples: number,
  seed: number,
): readonly [number, number] {
  return bootstrapCi(y.length, samples, seed, (idx) => {
    const yb = pick(y, idx);
    return r2Score(yb, pick(a, idx)) - r2Score(yb, pick(b, idx));
  });
}
