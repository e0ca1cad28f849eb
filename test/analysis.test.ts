import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { consensusFromPwm, compilePwm, parseMeme, readConsensusList, readMemeFile, readTransfacFile, scanConsensus, scanPwm } from "../src/pwm/index.js";
import { evaluatePredictors } from "../src/analysis/index.js";
import { lineChart, niceTicks, renderReportHtml } from "../src/report/index.js";
import { mcnemarTest } from "../src/stats/index.js";
import type { NucleotidePredictor, SequenceRecord } from "../src/baselines/index.js";
import { ParseError } from "../src/errors.js";

const FIX = resolve(import.meta.dirname, "fixtures/motifs");

/** Predicts a fixed row for every position: P(A)=0.7, others 0.1. */
const alwaysA: NucleotidePredictor = {
  name: "always-A",
  predict: (r: SequenceRecord) => Float32Array.from({ length: r.sequence.length * 4 }, (_, k) => (k % 4 === 0 ? 0.7 : 0.1)),
};
/** Async and batched, uniform. */
const uniform: NucleotidePredictor = {
  name: "uniform",
  predict: async (r) => new Float32Array(r.sequence.length * 4).fill(0.25),
  predictMany: async (rs) => rs.map((r) => new Float32Array(r.sequence.length * 4).fill(0.25)),
};

describe("evaluatePredictors", () => {
  const records = [
    { id: "r1", species: "s1", sequence: "AAAC" }, // always-A: 3/4 right
    { id: "r2", species: "s2", sequence: "ACNC" }, // N not scored: 1/3 right
  ];
  it("computes accuracy and cross-entropy per species, average, pooled and per position", async () => {
    const rep = await evaluatePredictors({
      predictors: [alwaysA, uniform],
      records,
      sites: new Map([["r1", [{ family: "F", start: 1, end: 3 }]]]),
      bootstrapSamples: 50,
    });
    const a = rep.models[0]!;
    const ceA = -Math.log(0.7),
      ceO = -Math.log(0.1);
    expect(rep.nucleotides).toBe(7);
    expect(a.perSpecies[0]!.all.accuracy).toBeCloseTo(0.75);
    expect(a.perSpecies[0]!.all.crossEntropy).toBeCloseTo((3 * ceA + ceO) / 4);
    expect(a.perSpecies[1]!.all.accuracy).toBeCloseTo(1 / 3);
    expect(a.speciesAverage.accuracy).toBeCloseTo((0.75 + 1 / 3) / 2);
    expect(a.pooled.accuracy).toBeCloseTo(4 / 7);
    expect(a.perPosition.n).toEqual([2, 2, 1, 2]);
    expect(a.perPosition.accuracy[1]).toBeCloseTo(0.5);
    expect(a.perFamily[0]!.all).toMatchObject({ n: 2, accuracy: 1 });
    expect(a.perSpecies[0]!.motif.n).toBe(2);
    expect(a.perSpecies[0]!.background.n).toBe(2);
    // every prediction has confidence 0.7: one calibration bin, ECE = |4/7 - 0.7|
    expect(a.calibration.ece).toBeCloseTo(Math.abs(4 / 7 - 0.7));
    const u = rep.models[1]!;
    expect(u.pooled.crossEntropy).toBeCloseTo(Math.log(4));
    expect(u.pooled.accuracy).toBeCloseTo(4 / 7); // ties go to A
    const c = rep.comparisons[0]!;
    expect([c.onlyA, c.onlyB]).toEqual([0, 0]);
    expect(c.ceDifference).toBeCloseTo((4 * ceA + 3 * ceO) / 7 - Math.log(4));
  });

  it("rejects a sites table that names none of the evaluated records", async () => {
    const sites = new Map([["other_1", [{ family: "F", start: 0, end: 2 }]]]);
    await expect(evaluatePredictors({ predictors: [alwaysA], records, sites })).rejects.toThrow(/names none of the evaluated records \(table: other_1/);
  });

  it("rejects predictions of the wrong shape", async () => {
    const bad: NucleotidePredictor = { name: "bad", predict: () => new Float32Array(3) };
    await expect(evaluatePredictors({ predictors: [bad], records })).rejects.toThrow(/expected \[L, 4\]/);
  });

  it("renders an HTML report with SVG charts and no scripts", async () => {
    const html = renderReportHtml(await evaluatePredictors({ predictors: [alwaysA, uniform], records, bootstrapSamples: 20 }));
    expect(html).toContain("<svg");
    expect(html).not.toContain("<script");
  });
});

describe("statistics", () => {
  it("McNemar exact sign test matches the binomial tail", () => {
    expect(mcnemarTest(0, 5).p).toBeCloseTo(2 / 32, 10);
    expect(mcnemarTest(3, 3).p).toBe(1);
    expect(mcnemarTest(40, 60).p).toBeCloseTo(0.0569, 3); // binom.test(40, 100) in R
    expect(mcnemarTest(60_000, 61_000).method).toBe("normal");
  });
  it("nice ticks cover the data range", () => {
    const t = niceTicks(0.37, 0.83);
    expect(t[0]).toBeLessThanOrEqual(0.37);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(0.83);
    expect(lineChart({ title: "t", series: [{ name: "a", x: [0, 1], y: [0, 1] }], xLabel: "x", yLabel: "y" })).toMatch(/^<svg[^>]*>.*<\/svg>$/s);
  });
});

describe("motif files", () => {
  it("parses MEME: matrices, names, background", async () => {
    const f = await readMemeFile(`${FIX}/tiny.meme`);
    expect(f.motifs.map((m) => [m.id, m.name, m.width])).toEqual([
      ["PUF3", "Puf3p", 4],
      ["M2", "M2", 2],
    ]);
    expect(Array.from(f.background!)).toEqual([0.3, 0.2, 0.2, 0.3]);
    expect(consensusFromPwm(f.motifs[0]!)).toBe("TGTW");
  });
  it("parses TRANSFAC with RNA (U) columns, JASPAR PO headers and counts", async () => {
    const ms = await readTransfacFile(`${FIX}/tiny.transfac`);
    expect(ms.map((m) => [m.id, m.name, m.width])).toEqual([
      ["RBP_1", "PUF4", 4],
      ["MA0001.1", "ABC1", 3],
    ]);
    expect(consensusFromPwm(ms[0]!)).toBe("TGTA");
    expect(Array.from(ms[1]!.probs.subarray(0, 4))).toEqual([0.75, 0.25, 0, 0]);
    expect(consensusFromPwm(ms[1]!)).toBe("AGW");
  });
  it("reads consensus lists, U as T, duplicates once", async () => {
    const ms = await readConsensusList(`${FIX}/consensus.txt`);
    expect(ms.map((m) => m.id)).toEqual(["TGTAAATA", "TGTAHMNTA", "WTATATAW"]);
    expect(ms[2]!.name).toBe("yeast_eff");
  });
  it.each([
    ["bad-row.meme", readMemeFile, 7],
    ["bad-row.transfac", readTransfacFile, 6],
    ["bad-consensus.txt", readConsensusList, 2],
  ] as const)("%s gives a ParseError with its line", async (file, read, line) => {
    const err = await (read as (p: string) => Promise<unknown>)(`${FIX}/${file}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).line).toBe(line);
    expect((err as ParseError).message).toContain(file);
  });
  it("rejects a file that is not MEME at line 1", () => {
    expect(() => parseMeme("hello\n", "x.meme")).toThrow(/x\.meme:1:/);
  });
  it("reads a MEME file without motifs (what a discovery that found none writes) as no motifs", () => {
    expect(parseMeme("MEME version 4\n\nALPHABET= ACGT\n\nstrands: +\n", "none.meme").motifs).toEqual([]);
  });
});

describe("motif scanning", () => {
  it("finds IUPAC consensus matches, optionally on the reverse strand", async () => {
    const [puf] = await readConsensusList(`${FIX}/consensus.txt`);
    const seq = "CCTGTAAATACCTATTTACA";
    expect(scanConsensus(seq, [puf!]).map((h) => [h.start, h.end])).toEqual([[2, 10]]);
    expect(scanConsensus(seq, [puf!], { bothStrands: true }).map((h) => [h.start, h.strand])).toEqual([
      [2, "+"],
      [12, "-"],
    ]);
  });
  it("PWM hits above the relative threshold", async () => {
    const { motifs } = await readMemeFile(`${FIX}/tiny.meme`);
    const pwm = compilePwm(motifs[0]!);
    const hits = scanPwm("AATGTAGGTGTTC", [pwm], { minRelativeScore: 0.95 });
    expect(hits.map((h) => h.start)).toEqual([2, 8]);
    expect(hits[0]!.score).toBeCloseTo(pwm.maxScore, 6);
  });
});
