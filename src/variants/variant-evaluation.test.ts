import { describe, expect, it } from "vitest";
import { evaluateVariantScores, joinScoreTables } from "./variant-evaluation.js";
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

  it("joins models' tables on the id: scores as NAME.score, k-mer columns once, same AUROCs as each table alone", () => {
    const labels = ["1", "1", "0", "0"];
    const a = table(labels);
    // The second model's rows in another order, with a k-mer column the first table also has.
    const withKmer = (t: ReturnType<typeof table>, kmer: string[]) => ({
      ...t,
      columns: [...t.columns, "kmer_2_2_llr"],
      rows: t.rows.map((r, i) => [...r, kmer[i]!]),
    });
    const b = { ...table(labels), path: "b.tsv" };
    const bRows = b.rows.map((r) => [...r]);
    bRows[0]![4] = "1"; // model b ranks a's first positive last on llr
    const t1 = withKmer(a, ["-1", "-2", "0", "1"]);
    const t2 = withKmer({ ...b, rows: [bRows[2]!, bRows[0]!, bRows[3]!, bRows[1]!] }, ["0", "-1", "1", "-2"]);
    const j = joinScoreTables([
      { name: "aware", table: t1 },
      { name: "agnostic", table: t2 },
    ]);
    expect(j.columns).toEqual(["id", "pos", "ref", "alt", "effect", "kmer_2_2_llr", "aware.llr", "aware.influence", "agnostic.llr", "agnostic.influence"]);
    expect(j.rows[0]).toEqual(["a", "1", "A", "C", "1", "-1", "-2", "0.9", "1", "0.9"]);
    const e = evaluateVariantScores(j, { label: "effect" });
    const alone = (t: typeof t1) => evaluateVariantScores(t, { label: "effect", scores: ["llr"] }).scores[0]!.auroc!.auroc;
    expect(e.scores.find((s) => s.name === "-aware.llr")!.auroc!.auroc).toBe(alone(t1));
    expect(e.scores.find((s) => s.name === "-agnostic.llr")!.auroc!.auroc).toBe(alone({ ...t2, rows: [...t2.rows].sort() }));
    expect(e.scores.map((s) => s.name)).toContain("-kmer_2_2_llr");
    // A variant listed twice (two genes' promoters) is matched occurrence by occurrence.
    const twice = (t: typeof t1, llr2: string) => {
      const a = t.rows.find((r) => r[0] === "a")!;
      return { ...t, rows: [...t.rows, [...a.slice(0, 4), llr2, ...a.slice(5)]] };
    };
    const jj = joinScoreTables([
      { name: "x", table: twice(t1, "-7") },
      { name: "y", table: twice(t2, "-9") },
    ]);
    expect(jj.rows.map((r) => [r[0], r[jj.columns.indexOf("x.llr")], r[jj.columns.indexOf("y.llr")]])).toEqual([
      ["a", "-2", "1"],
      ["b", "-1", "-1"],
      ["c", "0.5", "0.5"],
      ["d", "1", "1"],
      ["a", "-7", "-9"],
    ]);
    expect(() =>
      joinScoreTables([
        { name: "x", table: t1 },
        { name: "y", table: { ...t2, rows: t2.rows.slice(1) } },
      ]),
    ).toThrow(/b\.tsv: holds other variants than t\.tsv/);
  });

  it("published AUROCs are listed beside ours, for 0/1 labels only", () => {
    const e = evaluateVariantScores(table(["1", "1", "0", "0"]), {
      label: "effect",
      published: [{ name: "dependency score, Tomaz da Silva 2025", auroc: 0.634 }],
    });
    expect(e.published).toEqual([{ name: "dependency score, Tomaz da Silva 2025", auroc: 0.634 }]);
    expect(renderVariantReportHtml(e)).toContain("<td>dependency score, Tomaz da Silva 2025 (published)</td><td>–</td><td>–</td><td>0.634</td>");
    expect(() => evaluateVariantScores(table(["3", "2", "1", "0"]), { label: "effect", published: [{ name: "x", auroc: 0.6 }] })).toThrow(/need a 0\/1 label/);
  });
});
