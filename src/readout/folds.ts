import { InputError } from "../errors.js";
import { mulberry32 } from "../rng.js";

/** Fold index (0..k-1) per record. */
export type FoldAssignment = Int32Array;

/**
 * KFold with a fixed seed: records shuffled (Fisher-Yates on the project's seeded PRNG), then dealt
 * into k folds of sizes differing by at most one.
 */
export function kFold(n: number, k: number, seed: number): FoldAssignment {
  checkFoldCount(n, k);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const folds = new Int32Array(n);
  order.forEach((rec, pos) => (folds[rec] = Math.floor((pos * k) / n)));
  return folds;
}

/**
 * GroupKFold: every group stays in one fold, so homologues (a gene family, an ortholog key) never sit on
 * both sides of a split. As scikit-learn's: groups by size, largest first, each to the currently
 * lightest fold (ties to the lowest fold index); group names break size ties, so the result does not
 * depend on row order.
 */
export function groupKFold(groups: readonly string[], k: number, column: string): FoldAssignment {
  checkFoldCount(groups.length, k);
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  if (sizes.size < k) {
    throw new InputError(
      `group column "${column}" has ${sizes.size} distinct group(s), so ${k - sizes.size} of ${k} folds would be empty; ` +
        `lower --folds to at most ${sizes.size}, or group more finely`,
    );
  }
  const load = new Float64Array(k);
  const foldOf = new Map<string, number>();
  for (const [g, size] of [...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    let best = 0;
    for (let f = 1; f < k; f++) if (load[f]! < load[best]!) best = f;
    foldOf.set(g, best);
    load[best]! += size;
  }
  return Int32Array.from(groups, (g) => foldOf.get(g)!);
}

function checkFoldCount(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 3)
    throw new InputError(`--folds must be an integer >= 3 (ridge picks its penalty by an inner CV over the other folds), got ${k}`);
  if (n < 2 * k) {
    throw new InputError(`too few records for ${k}-fold cross-validation: ${n} record(s), need at least ${2 * k} (two per fold); lower --folds or add records`);
  }
}
