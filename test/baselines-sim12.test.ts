import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluatePredictors } from "../src/analysis/index.js";
import { readSitesTsv } from "../src/pwm/index.js";
import { writeReport } from "../src/report/index.js";
import { KmerModel, loadMarkovCeiling } from "../src/baselines/index.js";
import { readSequenceInput } from "../src/infer/sequence-input.js";
import type { NucleotidePredictor } from "../src/baselines/index.js";

const SIM12 = resolve(import.meta.dirname, "../../shared/bench/sim12");
const SEQS = join(SIM12, "sequences.tsv");

describe.skipIf(!existsSync(SIM12))("k-mer baselines on sim12 (needs ../shared/bench/sim12)", () => {
  it("per-species (2,2) beats order 0 and pooled, and comes close to the exact ceiling on background", async () => {
    const fit = (o: Parameters<typeof KmerModel.fit>[1]) => KmerModel.fit(readSequenceInput(SEQS, { split: "train" }), o);
    const predictors: NucleotidePredictor[] = [
      await loadMarkovCeiling(join(SIM12, "truth.json")),
      (await fit({ kind: "composition" })).asPredictor(),
      (await fit({ left: 2, right: 2 })).asPredictor(),
      (await fit({ left: 2, right: 2, pooled: true })).asPredictor(),
    ];
    const report = await evaluatePredictors({
      predictors,
      records: readSequenceInput(SEQS, { split: "test" }),
      sites: await readSitesTsv(join(SIM12, "sites.tsv")),
      motifSource: "sim12 sites.tsv",
      siteMargin: 2, // the chain ceiling is exact only where the +-2 context is background too
      bootstrapSamples: 200,
    });
    const by = (n: string) => report.models.find((m) => m.name === n)!;
    const [ceil, order0, m22, pooled] = [by("ceiling"), by("composition"), by("markov-2-2"), by("markov-2-2-pooled")];
    expect(report.species).toHaveLength(12);
    expect(report.nucleotides).toBe(12 * 200 * 300);
    expect(m22.speciesAverage.crossEntropy).toBeLessThan(order0.speciesAverage.crossEntropy - 0.5);
    expect(m22.speciesAverage.crossEntropy).toBeLessThan(pooled.speciesAverage.crossEntropy - 0.1);
    // measured gap ~0.013 nats: finite training data plus motif bases counted as background in training
    const gap = m22.speciesAverage.backgroundCrossEntropy - ceil.speciesAverage.backgroundCrossEntropy;
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(0.025);
    const cmp = report.comparisons.find((c) => c.a === "markov-2-2" && c.b === "markov-2-2-pooled")!;
    expect(cmp.ceDifference).toBeLessThan(0);
    expect(cmp.ceDifferenceCi95[1]).toBeLessThan(0);

    const dir = await mkdtemp(join(tmpdir(), "report-"));
    try {
      const paths = await writeReport(report, join(dir, "sim12"));
      const html = await readFile(paths.html, "utf8");
      expect(html).toContain("<svg");
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
      expect(JSON.parse(await readFile(paths.json, "utf8")).models).toHaveLength(4);
      expect(await readFile(paths.tsv, "utf8")).toMatch(/^section\tmodel/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
