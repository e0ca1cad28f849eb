import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finetune, type FinetuneOptions, validationSplit } from "../src/finetune/index.js";
import { readReadoutTable } from "../src/readout/readout-table.js";
import { mulberry32 } from "../src/rng.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { writeRandomModel } from "./helpers/random-model.js";

describe("validationSplit", () => {
  it("keeps groups whole, holds out about the fraction, and depends only on the seed", () => {
    const groups = Array.from({ length: 200 }, (_, i) => `g${i % 37}`);
    const a = validationSplit(groups, 0.1, 4, "t");
    const held = new Set(Array.from(a.valid, (i) => groups[i]));
    expect(Array.from(a.train).some((i) => held.has(groups[i]!))).toBe(false);
    expect(a.train.length + a.valid.length).toBe(200);
    expect(a.valid.length).toBeGreaterThanOrEqual(20);
    expect(a.valid.length).toBeLessThan(20 + 6);
    expect(validationSplit([...groups].reverse(), 0.1, 4, "t").valid.length).toBe(a.valid.length);
    expect(validationSplit(groups, 0.1, 5, "t").valid).not.toEqual(a.valid);
  });
});

describe("finetune --resume", () => {
  let dir = "";
  let model: MaskedLanguageModel;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "specieslm-ft-resume-"));
    await writeRandomModel(join(dir, "model"), { k: 1, species: ["alpha"], positions: 64 });
    model = await MaskedLanguageModel.load(join(dir, "model"), { threads: 1 });
    const rng = mulberry32(2);
    const rows = Array.from({ length: 60 }, (_, i) => {
      const s = Array.from({ length: 40 }, () => "ACGT"[rng.int(4)]).join("");
      return `r${i}\talpha\t${s}\t${[...s].filter((b) => b === "A").length}`;
    });
    writeFileSync(join(dir, "t.tsv"), ["id\tspecies\tsequence\ty", ...rows].join("\n") + "\n");
  });
  afterAll(async () => {
    await model.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a run interrupted after step 5 and resumed ends with the weights and predictions of an uninterrupted run", async () => {
    const table = await readReadoutTable(join(dir, "t.tsv"), { id: "id", sequence: "sequence", speciesColumn: "species", targets: ["y"] });
    const o = (out: string): FinetuneOptions => ({
      model,
      modelName: "m",
      table,
      target: "y",
      out,
      layers: 1,
      epochs: 3,
      batchSize: 8,
      lr: 0.003,
      warmup: 0.1,
      weightDecay: 0.01,
      dropout: 0,
      maxGradNorm: 1,
      seed: 1,
      validFraction: 0.2,
      validEvery: 2,
      patience: 100,
      resume: false,
    });
    const full = await finetune(o(join(dir, "full")));
    const stop = new AbortController();
    const first = await finetune({
      ...o(join(dir, "part")),
      signal: stop.signal,
      onLog: (e) => {
        if (e.kind === "step" && e.step === 5) stop.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.steps).toBe(5);
    const resumed = await finetune({ ...o(join(dir, "part")), resume: true });
    expect(resumed.steps).toBe(full.steps);
    expect(resumed.bestStep).toBe(full.bestStep);
    expect(resumed.bestLoss).toBe(full.bestLoss);
    expect(readFileSync(join(dir, "part", "valid_predictions.tsv"), "utf8")).toBe(readFileSync(join(dir, "full", "valid_predictions.tsv"), "utf8"));
    const losses = (run: string) =>
      readFileSync(join(dir, run, "train_log.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { kind: string; loss?: number })
        .filter((e) => e.kind === "step")
        .map((e) => e.loss);
    expect(losses("part")).toEqual(losses("full"));
  }, 60_000);
});
