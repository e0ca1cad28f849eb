import { InputError } from "../errors.js";
import type { Matrix } from "ml-matrix";
import type { FeatureSet } from "./feature-spec.js";
import { groupKFold, kFold } from "./folds.js";
import { wilcoxonSignedRank, type WilcoxonResult } from "./rank-tests.js";
import { bootstrapMetricCis, bootstrapR2Difference, regressionMetrics, type MetricCis, type RegressionMetrics } from "./regression-metrics.js";
import { DEFAULT_ALPHAS, ridgeCrossValidate } from "./ridge.js";
import type { FinetunedPredictions } from "./finetuned-predictions.js";
import { featureMatrix, type FeatureSources } from "./sequence-features.js";

export interface ReadoutOptions {
  readonly folds: number;
  readonly seed: number;
  /** Group labels per record (GroupKFold) and the column they came from. */
  readonly groups?: { readonly column: string; readonly values: readonly string[] };
  readonly bootstrapSamples: number;
  readonly alphas?: readonly number[];
  readonly title: string;
  readonly onSetDone?: (target: string, set: string) => void;
  /** Out-of-fold predictions of the finetune:RUN sets, by RUN; their folds must be this readout's. */
  readonly finetuned?: ReadonlyMap<string, FinetunedPredictions>;
}

export interface FeatureSetResult {
  readonly name: string;
  readonly features: number;
  readonly metrics: RegressionMetrics;
  readonly ci95: MetricCis;
  /** r2 within each outer fold (their spread shows how stable the estimate is). */
  readonly foldR2: readonly number[];
  /** Ridge penalty chosen in each outer fold. */
  readonly alphas: readonly number[];
}

/** A vs B on the same records and folds. */
export interface ReadoutComparison {
  readonly a: string;
  readonly b: string;
  readonly r2Difference: number;
  readonly r2DifferenceCi95: readonly [number, number];
  /** Wilcoxon signed-rank on the per-record squared residuals (as the paper). */
  readonly wilcoxon: WilcoxonResult;
  /** Records where A's squared residual is smaller. */
  readonly aCloser: number;
}

export interface TargetReport {
  readonly target: string;
  readonly measured: Float64Array;
  readonly sets: readonly FeatureSetResult[];
  readonly comparisons: readonly ReadoutComparison[];
  /** Out-of-fold predictions per set, in record order. */
  readonly predictions: ReadonlyMap<string, Float64Array>;
}

export interface ReadoutReport {
  readonly title: string;
  readonly createdAt: string;
  readonly records: number;
  readonly ids: readonly string[];
  readonly folds: number;
  readonly foldKind: "KFold" | "GroupKFold";
  readonly foldOf: Int32Array;
  readonly seed: number;
  readonly bootstrapSamples: number;
  readonly alphaRange: readonly [number, number];
  readonly targets: readonly TargetReport[];
  readonly notes: readonly string[];
}

function foldR2(y: Float64Array, p: Float64Array, folds: Int32Array, k: number): number[] {
  return Array.from({ length: k }, (_, f) => {
    const idx = [...folds.keys()].filter((i) => folds[i] === f);
    return regressionMetrics(
      idx.map((i) => y[i]!),
      idx.map((i) => p[i]!),
    ).r2;
  });
}

/**
 * Cross-validated ridge readout of every target from every feature set, on one fold assignment shared
 * by all sets, so their out-of-fold residuals pair record by record.
 */
export function runReadout(
  src: FeatureSources,
  targets: ReadonlyMap<string, Float64Array>,
  sets: readonly FeatureSet[],
  o: ReadoutOptions,
  notes: readonly string[] = [],
): ReadoutReport {
  const n = src.ids.length;
  const foldOf = o.groups ? groupKFold(o.groups.values, o.folds, o.groups.column) : kFold(n, o.folds, o.seed);
  const alphas = o.alphas ?? DEFAULT_ALPHAS;
  const cache = new Map<string, Matrix>();
  const finetunedOf = (s: FeatureSet): FinetunedPredictions | undefined => {
    const b = s.blocks[0];
    if (b?.kind !== "finetune") return undefined;
    const f = o.finetuned?.get(b.run);
    if (!f) throw new InputError(`feature set "${s.name}": the predictions of ${b.run} were not read`);
    if (f.foldOf.some((v, i) => v !== foldOf[i]))
      throw new InputError(`finetune:${b.run} was cross-validated on other folds than this readout's; give the same --folds, --seed and --group`);
    return f;
  };
  const finetuned = sets.map(finetunedOf);
  const matrices = sets.map((s, i) => (finetuned[i] ? null : featureMatrix(s, src, cache)));
  const reports: TargetReport[] = [];
  for (const [target, y] of targets) {
    const predictions = new Map<string, Float64Array>();
    const results = sets.map((s, i): FeatureSetResult => {
      const m = matrices[i];
      const cv = m ? ridgeCrossValidate(m, y, foldOf, alphas) : { predictions: finetuned[i]!.predictions.get(target)!, alphas: [] };
      predictions.set(s.name, cv.predictions);
      o.onSetDone?.(target, s.name);
      return {
        name: s.name,
        features: m ? m.columns : 0,
        metrics: regressionMetrics(y, cv.predictions),
        ci95: bootstrapMetricCis(y, cv.predictions, o.bootstrapSamples, o.seed),
        foldR2: foldR2(y, cv.predictions, foldOf, o.folds),
        alphas: Array.from(cv.alphas),
      };
    });
    const comparisons: ReadoutComparison[] = [];
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        const pa = predictions.get(sets[i]!.name)!,
          pb = predictions.get(sets[j]!.name)!;
        const d = y.map((v, r) => (v - pa[r]!) ** 2 - (v - pb[r]!) ** 2);
        comparisons.push({
          a: sets[i]!.name,
          b: sets[j]!.name,
          r2Difference: results[i]!.metrics.r2 - results[j]!.metrics.r2,
          r2DifferenceCi95: bootstrapR2Difference(y, pa, pb, o.bootstrapSamples, o.seed),
          wilcoxon: wilcoxonSignedRank(d),
          aCloser: d.filter((v) => v < 0).length,
        });
      }
    }
    reports.push({ target, measured: y, sets: results, comparisons, predictions });
  }
  return {
    title: o.title,
    createdAt: new Date().toISOString(),
    records: n,
    ids: src.ids,
    folds: o.folds,
    foldKind: o.groups ? "GroupKFold" : "KFold",
    foldOf,
    seed: o.seed,
    bootstrapSamples: o.bootstrapSamples,
    alphaRange: [alphas[0]!, alphas[alphas.length - 1]!],
    targets: reports,
    notes,
  };
}
