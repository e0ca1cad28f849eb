import { describe, expect, it } from "vitest";
import { mulberry32 } from "../rng.js";
import { auprc, auroc, averagePrecision, delongTest, midranks, pearson, spearman } from "./roc.js";

/** DeLong's variance written from the definition: psi over every (positive, negative) pair. */
function bruteDelong(s: number[], y: boolean[]): { auc: number; se: number } {
  const X = s.filter((_, i) => y[i]),
    Y = s.filter((_, i) => !y[i]);
  const psi = (a: number, b: number) => (a > b ? 1 : a === b ? 0.5 : 0);
  const v10 = X.map((x) => Y.reduce((t, yv) => t + psi(x, yv), 0) / Y.length);
  const v01 = Y.map((yv) => X.reduce((t, x) => t + psi(x, yv), 0) / X.length);
  const m = (a: number[]) => a.reduce((t, x) => t + x, 0) / a.length;
  const v = (a: number[]) => a.reduce((t, x) => t + (x - m(a)) ** 2, 0) / (a.length - 1);
  return { auc: m(v10), se: Math.sqrt(v(v10) / X.length + v(v01) / Y.length) };
}

describe("rank statistics", () => {
  it("AUROC and average precision of the scikit-learn doc example (0.75, 0.8333)", () => {
    const s = [0.1, 0.4, 0.35, 0.8],
      y = [false, false, true, true];
    expect(auroc(s, y).auroc).toBeCloseTo(0.75, 12);
    expect(averagePrecision(s, y)).toBeCloseTo(0.8333333333, 9);
  });

  it("DeLong's interval equals the pairwise definition, ties included", () => {
    const rng = mulberry32(5);
    const y = Array.from({ length: 60 }, (_, i) => i % 3 === 0);
    const s = y.map((l) => Math.round((rng.normal() + (l ? 0.8 : 0)) * 4) / 4); // rounded: many ties
    const r = auroc(s, y),
      b = bruteDelong(s, y);
    expect(r.auroc).toBeCloseTo(b.auc, 12);
    expect(r.se).toBeCloseTo(b.se, 12);
    expect(r.ci95[0]).toBeCloseTo(b.auc - 1.959964 * b.se, 5);
    expect([r.positives, r.negatives]).toEqual([20, 40]);
  });

  it("the paired DeLong test: p = 1 for identical scores, small for a real difference", () => {
    const rng = mulberry32(9);
    const y = Array.from({ length: 200 }, (_, i) => i % 2 === 0);
    const good = y.map((l) => rng.normal() + (l ? 1.5 : 0)),
      noise = y.map(() => rng.normal());
    expect(delongTest(good, good, y).difference).toBe(0);
    const d = delongTest(good, noise, y);
    expect(d.difference).toBeGreaterThan(0.2);
    expect(d.p).toBeLessThan(1e-4);
  });

  it("AUPRC: ties count together; the bootstrap interval holds the estimate", () => {
    expect(averagePrecision([1, 1, 1, 1], [true, false, false, false])).toBeCloseTo(0.25, 12);
    const rng = mulberry32(2);
    const y = Array.from({ length: 100 }, (_, i) => i < 30);
    const s = y.map((l) => rng.normal() + (l ? 1 : 0));
    const r = auprc(s, y, 300, 1);
    expect(r.ci95[0]).toBeLessThan(r.auprc);
    expect(r.ci95[1]).toBeGreaterThan(r.auprc);
  });

  it("Pearson and Spearman (scipy doc examples)", () => {
    expect(pearson([1, 2, 3, 4, 5], [10, 9, 2.5, 6, 4]).r).toBeCloseTo(-0.7426106572325057, 12);
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).r).toBeCloseTo(0.8207826816681233, 12);
    expect([...midranks([3, 1, 3, 2])]).toEqual([3.5, 1, 3.5, 2]);
  });
});
