/** Small statistics helpers for paired model comparisons; no dependencies. */

/** Complementary error function (Numerical Recipes erfcc, |relative error| < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface SignTestResult {
  /** Two-sided p-value. */
  p: number;
  method: "exact" | "normal";
}

/**
 * McNemar's test as a two-sided sign test on the discordant pairs: onlyA nucleotides where only model A
 * is right, onlyB where only B is. Exact binomial(n, 1/2) up to n = 100,000, else the normal approximation
 * with continuity correction (indistinguishable at that size).
 */
export function mcnemarTest(onlyA: number, onlyB: number): SignTestResult {
  const n = onlyA + onlyB;
  if (n === 0) return { p: 1, method: "exact" };
  const k = Math.min(onlyA, onlyB);
  if (n > 100_000) {
    const z = (Math.abs(onlyA - onlyB) - 1) / Math.sqrt(n);
    return { p: Math.min(1, erfc(Math.max(z, 0) / Math.SQRT2)), method: "normal" };
  }
  // log P(X = j) for X ~ Binomial(n, 1/2), summed for j = 0..k with log-sum-exp
  const ln2n = n * Math.LN2;
  let logC = 0;
  let maxLog = -Infinity;
  const logs: number[] = [];
  for (let j = 0; j <= k; j++) {
    if (j > 0) logC += Math.log(n - j + 1) - Math.log(j);
    const v = logC - ln2n;
    logs.push(v);
    if (v > maxLog) maxLog = v;
  }
  let s = 0;
  for (const v of logs) s += Math.exp(v - maxLog);
  const tail = Math.exp(maxLog + Math.log(s));
  return { p: Math.min(1, 2 * tail), method: "exact" };
}

/** Index of the q-quantile in a sorted array (nearest-rank, q in [0, 1]). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx]!;
}
