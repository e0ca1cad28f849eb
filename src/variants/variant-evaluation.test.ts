import { describe, expect, it } from "vitest";
import { evaluateVariantScores } from "./variant-evaluation.js";
import { renderVariantReportHtml } from "./variant-report-html.js";

const table = (label: string[]) => ({
  path: "t.tsv",
  columns: ["id", "pos", "ref", "alt", "llr", "influence", "effect"],
  rows: [
    ["a", "1", "A", "C", "-2", "0.9"],
    ["b", "2", "A", "C", "-1", "0.1"],
    ["c", "3", "A", "C", "0.5", "0.8"],
    ["d", "4", "A", "C", "1", "NA"],
  ].map((r, i) => [...r, label[i]!]),
});

describe("variants evaluate", () => {
  it("binary labels: llr negated (low llr = effect), NA rows left out of that score only", () => {
    const e = evaluateVariantScores(table(["1", "1", "0", "0"]), { label: "effect" });
    expect(e.kind).toBe("binary");
    expect(e.scores.map((s) => [s.name, s.n, s.auroc!.auroc])).toEqual([
      ["-llr", 4, 1],
      ["influence", 3, 0.5],
    ]);
    expect(e.comparisons[0]).toMatchObject({ a: "-llr", b: "influence", n: 3 });
    expect(renderVariantReportHtml(e)).toMatch(/<td>-llr<\/td><td>4<\/td><td>2 \/ 2<\/td><td class="best">1\.000<\/td>/);
  });

  it("numeric labels: Pearson and Spearman of the oriented score", () => {
    const e = evaluateVariantScores(table(["3", "2", "1", "0"]), { label: "effect", scores: ["llr"] });
    expect(e.kind).toBe("continuous");
    expect(e.scores[0]!.spearman!.r).toBeCloseTo(1, 12);
  });

  it("--abs: |label| against |score| (effect sizes of either sign)", () => {
    // |llr| = 2, 1, 0.5, 1 against |effect| = 4, 1, 0.5, 2: ranks agree except the tie at 1.
    const e = evaluateVariantScores(table(["-4", "1", "-0.5", "2"]), { label: "effect", scores: ["llr"], abs: true });
    expect(e.scores[0]!.name).toBe("|llr|");
    expect(e.scores[0]!.spearman!.r).toBeCloseTo(0.9487, 3);
    expect(evaluateVariantScores(table(["-4", "1", "-0.5", "2"]), { label: "effect", scores: ["llr"] }).scores[0]!.spearman!.r).toBeLessThan(0.5);
    expect(() => evaluateVariantScores(table(["1", "0", "1", "0"]), { label: "effect", abs: true })).toThrow(/--abs needs a continuous label/);
  });

  it("a missing label column is an error naming the columns", () => {
    expect(() => evaluateVariantScores(table(["1", "0", "1", "0"]), { label: "label" })).toThrow(/no label column "label"; columns: id, pos/);
  });
});
