import { Matrix } from "ml-matrix";
import { auroc, delongTest, midranks, spearman } from "../src/stats/roc.js";
import { describe, expect, it } from "vitest";
import {
  expandEmbeddings,
  fitRidge,
  groupKFold,
  kFold,
  kmerCountMatrix,
  parseFeatureSets,
  r2Score,
  ridgeCrossValidate,
  wilcoxonSignedRank,
} from "../src/readout/index.js";
import { mulberry32 } from "../src/rng.js";

describe("ridge (known answers)", () => {
  it("one feature, alpha 4: standardised x has sum of squares 4, so beta halves to the slope 1 and intercept 2.5", () => {
    // x = 1..4, y = 2x: xs = (x - 2.5) / sqrt(1.25), sum xs^2 = 4, sum xs*yc = 10 / sqrt(1.25);
    // beta = (10 / sqrt(1.25)) / (4 + 4), weight = beta / sqrt(1.25) = 1, intercept = 5 - 1 * 2.5
    const fit = fitRidge(new Matrix([[1], [2], [3], [4]]), Float64Array.from([2, 4, 6, 8]), 4);
    expect(fit.weights[0]).toBeCloseTo(1, 12);
    expect(fit.intercept).toBeCloseTo(2.5, 12);
  });

  it("matches the closed form (Xs^T Xs + alpha I)^-1 Xs^T yc with two correlated features and a constant column", () => {
    const X = new Matrix([
      [1, 0, 7],
      [2, 1, 7],
      [3, 1, 7],
      [4, 3, 7],
      [5, 2, 7],
    ]);
    const y = Float64Array.from([1, 3, 2, 6, 5]);
    const fit = fitRidge(X, y, 0.5);
    // by hand: x1 mean 3, var 2; x2 mean 1.4, var 1.04; the constant column is zero after centring
    const s1 = Math.sqrt(2),
      s2 = Math.sqrt(1.04);
    const xs = [
      [-2, -1.4],
      [-1, -0.4],
      [0, -0.4],
      [1, 1.6],
      [2, 0.6],
    ].map(([a, b]) => [a! / s1, b! / s2]);
    const yc = [-2.4, -0.4, -1.4, 2.6, 1.6];
    const A = [
        [0, 0],
        [0, 0],
      ],
      r = [0, 0];
    xs.forEach((row, i) => {
      for (let a = 0; a < 2; a++) {
        r[a]! += row[a]! * yc[i]!;
        for (let b = 0; b < 2; b++) A[a]![b]! += row[a]! * row[b]!;
      }
    });
    A[0]![0]! += 0.5;
    A[1]![1]! += 0.5;
    const det = A[0]![0]! * A[1]![1]! - A[0]![1]! * A[1]![0]!;
    const beta = [(A[1]![1]! * r[0]! - A[0]![1]! * r[1]!) / det, (A[0]![0]! * r[1]! - A[1]![0]! * r[0]!) / det];
    expect(fit.weights[0]).toBeCloseTo(beta[0]! / s1, 10);
    expect(fit.weights[1]).toBeCloseTo(beta[1]! / s2, 10);
    expect(fit.weights[2]).toBe(0);
    expect(fit.intercept).toBeCloseTo(3.4 - 3 * fit.weights[0]! - 1.4 * fit.weights[1]!, 10);
  });

  it("cross-validation recovers a linear signal and never sees the held-out fold", () => {
    const rng = mulberry32(7);
    const n = 120;
    const X = new Matrix(Array.from({ length: n }, () => [rng.normal(), rng.normal(), rng.normal()]));
    const y = Float64Array.from({ length: n }, (_, i) => 2 * X.get(i, 0) - X.get(i, 1) + 0.3 * rng.normal());
    const folds = kFold(n, 5, 1);
    const cv = ridgeCrossValidate(X, y, folds);
    expect(r2Score(y, cv.predictions)).toBeGreaterThan(0.95);
    // change the targets of fold 0 only: predictions of fold 0 must not move (they come from the other folds)
    const y2 = y.map((v, i) => (folds[i] === 0 ? v + 100 : v));
    const cv2 = ridgeCrossValidate(X, y2, folds);
    folds.forEach((f, i) => {
      if (f === 0) expect(cv2.predictions[i]).toBeCloseTo(cv.predictions[i]!, 9);
    });
  });
});

describe("rank statistics (hand-checked)", () => {
  it("midranks", () => expect(Array.from(midranks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2]));
  it("Spearman of a monotone map is 1", () => expect(spearman([1, 2, 3, 4], [1, 8, 27, 64]).r).toBeCloseTo(1, 12));

  it("Wilcoxon exact: d = 1, 2, 3, -4, 5 gives W+ = 11 and p = 2 * 7/32 (7 of 32 sign patterns have W+ <= 4)", () => {
    const w = wilcoxonSignedRank([1, 2, 3, -4, 5]);
    expect(w).toMatchObject({ n: 5, wPlus: 11, method: "exact" });
    expect(w.p).toBeCloseTo(0.4375, 12);
  });

  it("Wilcoxon with ties: |d| ranks 1.5, 1.5, 3.5, 3.5, 5; W+ = 13.5, var = 13.75 - 12/48, p = erfc(6/sqrt(13.5)/sqrt(2))", () => {
    const w = wilcoxonSignedRank([1, -1, 2, 2, 3, 0]);
    expect(w).toMatchObject({ n: 5, wPlus: 13.5, method: "normal" });
    expect(w.p).toBeCloseTo(0.10247, 4);
  });

  it("Wilcoxon normal approximation for n > 50: d = 1..60, z = (1830 - 915) / sqrt(18452.5)", () => {
    const w = wilcoxonSignedRank(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(w.method).toBe("normal");
    expect(w.p).toBeGreaterThan(1.5e-11);
    expect(w.p).toBeLessThan(1.8e-11);
  });

  it("DeLong: positives 0.9, 0.8, 0.4 vs negatives 0.7, 0.3, 0.2, 0.1: AUC 11/12, var = S10/3 + S01/4 = 1/72", () => {
    const r = auroc([0.9, 0.8, 0.4, 0.7, 0.3, 0.2, 0.1], [true, true, true, false, false, false, false]);
    expect(r.auroc).toBeCloseTo(11 / 12, 12);
    expect(r.se).toBeCloseTo(Math.sqrt(1 / 72), 12);
    expect(r.ci95[0]).toBeCloseTo(11 / 12 - 1.959964 * Math.sqrt(1 / 72), 5);
    expect(r.ci95[1]).toBe(1);
  });

  it("DeLong counts ties as 1/2, and a scorer against itself differs by 0 with p = 1", () => {
    expect(auroc([0.5, 0.9, 0.5, 0.1], [true, true, false, false]).auroc).toBeCloseTo(0.875, 12);
    const s = [0.3, 0.6, 0.2, 0.9, 0.4],
      l = [true, true, false, true, false];
    expect(delongTest(s, s, l)).toMatchObject({ difference: 0, p: 1 });
    expect(auroc([1, 2], [true, true]).auroc).toBeNaN(); // one class: no AUROC (siteAurocs skips such families)
  });
});

describe("features and folds", () => {
  it("k-mer counts skip k-mers that touch N", () => {
    const m = kmerCountMatrix(["ACGTNACG"], 2);
    const at = (s: string) =>
      m.get(
        0,
        [...s].reduce((c, b) => c * 4 + "ACGT".indexOf(b), 0),
      );
    expect([at("AC"), at("CG"), at("GT"), at("TA")]).toEqual([2, 2, 1, 0]);
    expect(m.getRow(0).reduce((a, b) => a + b, 0)).toBe(5);
  });

  it("feature sets: ',' separates sets, '+' joins blocks, cov ranges follow the header, embed expands per source", () => {
    const sets = parseFeatureSets("kmer3+gc,covfrac:b..d,embed+length", ["id", "a", "b", "c", "d"]);
    expect(sets.map((s) => s.name)).toEqual(["kmer3+gc", "covfrac:b..d", "embed+length"]);
    expect(sets[1]!.blocks[0]).toMatchObject({ kind: "cov", columns: ["b", "c", "d"], fraction: true });
    expect(expandEmbeddings(sets, ["tok", "tok@x"]).map((s) => s.name)).toEqual(["kmer3+gc", "covfrac:b..d", "embed[tok]+length", "embed[tok@x]+length"]);
    expect(() => parseFeatureSets("kmer7", [])).toThrow(/unknown feature "kmer7"/);
    const named = parseFeatureSets("codons=covfrac:b..c,lm=embed+gc", ["b", "c"]);
    expect(named.map((s) => s.name)).toEqual(["codons", "lm"]);
    expect(expandEmbeddings(named, ["tok"]).map((s) => s.name)).toEqual(["codons", "lm[tok]"]);
    expect(() => parseFeatureSets("cov:d..b", ["b", "c", "d"])).toThrow(/comes before/);
  });

  it("KFold deals fold sizes within one and is fixed by the seed; GroupKFold keeps each group in one fold", () => {
    const f = kFold(103, 10, 3);
    const sizes = Array.from({ length: 10 }, (_, k) => f.filter((x) => x === k).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Array.from(kFold(103, 10, 3))).toEqual(Array.from(f));
    expect(Array.from(kFold(103, 10, 4))).not.toEqual(Array.from(f));
    const groups = Array.from({ length: 60 }, (_, i) => `g${i % 13}`);
    const g = groupKFold(groups, 5, "family");
    const foldOfGroup = new Map<string, number>();
    groups.forEach((x, i) => {
      if (!foldOfGroup.has(x)) foldOfGroup.set(x, g[i]!);
      expect(foldOfGroup.get(x)).toBe(g[i]);
    });
    expect(new Set(g).size).toBe(5);
  });

  it("clear errors: too few records, a group column that leaves a fold empty", () => {
    expect(() => kFold(9, 5, 1)).toThrow(/too few records for 5-fold cross-validation: 9 record\(s\), need at least 10/);
    expect(() =>
      groupKFold(
        Array.from({ length: 40 }, (_, i) => `g${i % 3}`),
        5,
        "family",
      ),
    ).toThrow(/group column "family" has 3 distinct group\(s\), so 2 of 5 folds would be empty/);
  });
});
