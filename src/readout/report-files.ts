/** The files of a readout report (`readout -o PREFIX`, `finetune --folds K -o RUN`) and the columns of its predictions TSV. */

/** Columns of the out-of-fold predictions TSV (written by renderPredictionsTsv, read back by `readout --features finetune:RUN`). */
export const PREDICTION_COLUMNS = {
  id: "id",
  fold: "fold",
  /** A set's prediction of a target; the target's own column holds the measurement. */
  prediction: (target: string, set: string) => `${target}:${set}`,
} as const;

export interface ReadoutPaths {
  readonly tsv: string;
  /** Paired comparisons of feature sets (header only with one set). */
  readonly comparisons: string;
  readonly json: string;
  readonly html: string;
  readonly predictions: string;
}

/** The files of a report written under `prefix`. */
export function readoutPaths(prefix: string): ReadoutPaths {
  return {
    tsv: `${prefix}.tsv`,
    comparisons: `${prefix}.comparisons.tsv`,
    json: `${prefix}.json`,
    html: `${prefix}.html`,
    predictions: `${prefix}.predictions.tsv`,
  };
}
