import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { FoldAssignment } from "./folds.js";

/**
 * Ridge regression on standardised features with the penalty chosen by leave-one-out cross-validation
 * inside each training set (scikit-learn's RidgeCV default), solved with ml-matrix: a maintained
 * linear-algebra library (Gram products and a symmetric eigendecomposition), so no elimination is
 * written by hand here.
 *
 * With Xs the standardised training features, A = Xs^T Xs = Q diag(lambda) Q^T is diagonalised once;
 * then for every penalty alpha the fit is beta = Q diag(1 / (lambda + alpha)) Q^T Xs^T (y - mean y) and
 * the exact leave-one-out residual is e_i / (1 - h_ii) with h_ii = 1/n + sum_k U_ik^2 / (lambda_k + alpha),
 * U = Xs Q (the intercept is not penalised, so it contributes the 1/n).
 */

/** Penalties tried: 10^-3 .. 10^7 in quarter decades (ascending; ties go to the smaller, as np.argmin). */
export const DEFAULT_ALPHAS: readonly number[] = Array.from({ length: 41 }, (_, i) => Number((10 ** (-3 + i * 0.25)).toPrecision(12)));

/** A ridge fit in original feature units: y_hat = x . w + intercept. */
export interface RidgeFit {
  readonly weights: Float64Array;
  readonly intercept: number;
  readonly alpha: number;
}

export interface RidgeCvResult {
  /** Out-of-fold prediction per record. */
  readonly predictions: Float64Array;
  /** Penalty chosen in each outer fold. */
  readonly alphas: Float64Array;
}

/** One training set, standardised (population sd, as StandardScaler) and diagonalised once. */
class StandardisedRidge {
  readonly n: number;
  private readonly mu: Float64Array;
  private readonly invSd: Float64Array;
  private readonly yMean: number;
  private readonly yc: Float64Array;
  private readonly Q: Matrix;
  private readonly U: Matrix;
  private readonly lambda: Float64Array;
  private readonly z: Float64Array;

  constructor(X: Matrix, y: Float64Array) {
    this.n = X.rows;
    this.mu = Float64Array.from(X.mean("column"));
    // constant columns keep scale 1 and become all zero, as StandardScaler does
    this.invSd = Float64Array.from(X.variance("column", { unbiased: false, mean: Array.from(this.mu) }), (v, j) =>
      v > 1e-12 * Math.max(1, this.mu[j]! ** 2) ? 1 / Math.sqrt(v) : 1,
    );
    const Xs = X.clone().subRowVector(Array.from(this.mu)).mulRowVector(Array.from(this.invSd));
    this.yMean = y.reduce((s, v) => s + v, 0) / this.n;
    this.yc = y.map((v) => v - this.yMean);
    const evd = new EigenvalueDecomposition(Xs.gram(), { assumeSymmetric: true });
    this.Q = evd.eigenvectorMatrix;
    this.lambda = Float64Array.from(evd.realEigenvalues, (l) => Math.max(l, 0));
    this.U = Xs.mmul(this.Q);
    this.z = Float64Array.from(this.U.transposeMultiply(Matrix.columnVector(Array.from(this.yc))).getColumn(0));
  }

  /** Mean squared leave-one-out error for each penalty: fits U (z / (lambda + a)), leverages U^2 (1 / (lambda + a)). */
  looMse(alphas: readonly number[]): Float64Array {
    const p = this.lambda.length;
    const shrink = new Matrix(p, alphas.length);
    const zShrink = new Matrix(p, alphas.length);
    alphas.forEach((a, c) => {
      for (let k = 0; k < p; k++) {
        shrink.set(k, c, 1 / (this.lambda[k]! + a));
        zShrink.set(k, c, this.z[k]! / (this.lambda[k]! + a));
      }
    });
    const fits = this.U.mmul(zShrink);
    const leverage = this.U.clone()
      .pow(2)
      .mmul(shrink)
      .add(1 / this.n);
    return Float64Array.from(alphas, (_, c) => {
      let sse = 0;
      for (let i = 0; i < this.n; i++) sse += ((this.yc[i]! - fits.get(i, c)) / (1 - leverage.get(i, c))) ** 2;
      return sse / this.n;
    });
  }

  /** Weights in original feature units and the intercept, for one penalty. */
  fit(alpha: number): RidgeFit {
    const beta = this.Q.mmul(Matrix.columnVector(Array.from(this.z, (z, k) => z / (this.lambda[k]! + alpha))));
    const weights = Float64Array.from(beta.getColumn(0), (b, j) => b * this.invSd[j]!);
    const intercept = this.yMean - weights.reduce((s, w, j) => s + w * this.mu[j]!, 0);
    return { weights, intercept, alpha };
  }
}

function predict(X: Matrix, fit: RidgeFit): Float64Array {
  const out = X.mmul(Matrix.columnVector(Array.from(fit.weights))).getColumn(0);
  return Float64Array.from(out, (v) => v + fit.intercept);
}

/** Ridge on standardised features with a fixed penalty. */
export function fitRidge(X: Matrix, y: Float64Array, alpha: number): RidgeFit {
  return new StandardisedRidge(X, y).fit(alpha);
}

/** Ridge with the penalty of least leave-one-out error among `alphas`. */
export function fitRidgeCv(X: Matrix, y: Float64Array, alphas: readonly number[] = DEFAULT_ALPHAS): RidgeFit {
  const model = new StandardisedRidge(X, y);
  const mse = model.looMse(alphas);
  let best = 0;
  for (let c = 1; c < alphas.length; c++) if (mse[c]! < mse[best]!) best = c;
  return model.fit(alphas[best]!);
}

/**
 * Cross-validated predictions: for each fold, RidgeCV (standardisation and penalty from the other
 * folds only) fitted on the other folds predicts it.
 */
export function ridgeCrossValidate(X: Matrix, y: Float64Array, folds: FoldAssignment, alphas: readonly number[] = DEFAULT_ALPHAS): RidgeCvResult {
  const k = Math.max(...folds) + 1;
  const all = Array.from({ length: X.columns }, (_, j) => j);
  const predictions = new Float64Array(X.rows);
  const chosen = new Float64Array(k);
  for (let f = 0; f < k; f++) {
    const test: number[] = [],
      train: number[] = [];
    folds.forEach((g, i) => (g === f ? test : train).push(i));
    const fit = fitRidgeCv(
      X.selection(train, all),
      Float64Array.from(train, (i) => y[i]!),
      alphas,
    );
    chosen[f] = fit.alpha;
    predict(X.selection(test, all), fit).forEach((v, r) => (predictions[test[r]!] = v));
  }
  return { predictions, alphas: chosen };
}
