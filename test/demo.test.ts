import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DemoProgress } from "../src/analysis/demo.js";

// runDemo trains in child processes that run the built modules (dist/): `npm test` builds first.
const { DEMO_MODELS, DEMO_SIMULATION, demoVerdict, demoPreferenceTable, runDemo } = (await import(
  "../dist/analysis/demo.js"
)) as typeof import("../src/analysis/demo.js");

/** The demo's recipe on a tenth of its data and 3 steps per model: what runs and what comes out, not how well. */
describe("runDemo (small)", () => {
  const out = mkdtempSync(join(tmpdir(), "specieslm-demo-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const events: DemoProgress[] = [];
  const steps = 3;
  const run = runDemo({ out, steps, config: "tiny", simulation: { ...DEMO_SIMULATION, perSpecies: 40 }, onProgress: (e) => events.push(e) });

  it("reports its stages in order and every optimizer step of both models", async () => {
    await run;
    expect(events.map((e) => e.kind).filter((k) => k !== "step")).toEqual(["corpus", "training", "trained", "evaluating", "species-swap"]);
    const stepEvents = events.filter((e) => e.kind === "step");
    expect(stepEvents.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stepEvents.every((e) => e.total === 2 * steps)).toBe(true);
  });

  it("trains a species-embedding and an agnostic 6-mer model with the demo's recipe", async () => {
    await run;
    for (const conditioning of ["embedding", "none"]) {
      const ck = join(out, `model-${conditioning}`, "checkpoint");
      const state = JSON.parse(readFileSync(join(ck, "trainer_state.json"), "utf8"));
      expect(state.step).toBe(steps);
      // The options `specieslm train --k 6 --batch-size 32 --seed 1` gave the demo's runs (k = 6 carries no key).
      expect(state.run).toMatchObject({ conditioning, config: "tiny", batchSize: 32, seed: 1, lr: 2e-3, dropout: 0, weightDecay: 0.01, maxGradNorm: 1, steps });
      expect(state.run.k).toBeUndefined();
      expect(state.run.init).toBe("structured");
      const vocab = readFileSync(join(ck, "vocab.txt"), "utf8").split("\n");
      expect(vocab).toContain("ACGTAC");
      const log = readFileSync(join(out, `model-${conditioning}`, "train_log.jsonl"), "utf8");
      expect(log.split("\n").filter((l) => l.startsWith('{"kind":"step"'))).toHaveLength(steps);
    }
  });

  it("evaluates the two models and both k-mer tables, and tests the species-aware one against the others", async () => {
    const r = await run;
    expect(r.report.models.map((m) => m.name)).toEqual([DEMO_MODELS.aware, DEMO_MODELS.agnostic, DEMO_MODELS.kmer, DEMO_MODELS.kmerPooled]);
    expect(r.headline.tests.map((t) => t.against)).toEqual([DEMO_MODELS.agnostic, DEMO_MODELS.kmer, DEMO_MODELS.kmerPooled]);
    for (const [i, m] of r.headline.models.entries()) expect(m.crossEntropy).toBe(r.report.models[i]!.speciesAverage.crossEntropy);
    expect(demoVerdict(r.headline).match(/ by \d+\.\d{3} nats/g)).toHaveLength(3);
    expect(r.seconds.training).toBeLessThanOrEqual(r.seconds.total);
  });

  it("writes the preference table it returns: one row per (family, species) cell", async () => {
    const r = await run;
    expect(r.swap.preferences).toHaveLength(3 * DEMO_SIMULATION.species);
    expect(readFileSync(r.files.motifVariantPreference, "utf8")).toBe(demoPreferenceTable(r.swap));
    expect(r.positive).toBe(r.swap.preferences.filter((p) => p.preference > 0).length);
    expect(JSON.parse(readFileSync(r.files.json, "utf8")).title).toBe("specieslm demo: species-aware vs agnostic vs k-mer");
  });
});
