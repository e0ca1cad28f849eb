import { existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModelFolder } from "../src/model/model-folder.js";
import { type TrainOptions, train } from "../src/train/trainer.js";
import { MINIMAL_BERT_CONFIG } from "./helpers/bert-config.js";
import { once } from "./helpers/once.js";
import { readRunLog as readLog, makeToyCorpus, stepLosses, stopAt, toyTrainOptions } from "./helpers/toy-corpus.js";

describe("specieslm train", () => {
  let root = "";
  let corpus = "";
  const base = (out: string, over: Partial<TrainOptions> = {}): TrainOptions => toyTrainOptions(corpus, out, { k: 6, ...over });

  beforeAll(async () => {
    ({ root, corpus } = await makeToyCorpus("specieslm-train-"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  // Runs that more than one test reads.
  const trainedRun = once(() => train(base(join(root, "run-a"), { steps: 40, validEvery: 20, batchSize: 16, lr: 5e-3 })));
  const wholeRun = once(() => train(base(join(root, "whole"))));

  it("writes a Hugging Face checkpoint that the loader reads back, and a JSONL log whose loss falls", async () => {
    const out = join(root, "run-a");
    const res = await trainedRun();
    expect(res.steps).toBe(40);
    const folder = await loadModelFolder(res.checkpoint);
    expect(folder.config.conditioning).toBe("token");
    expect(folder.vocab.speciesNames).toEqual(["alpha", "beta"]);
    const steps = readLog(out).filter((e) => e.kind === "step");
    expect(steps).toHaveLength(40);
    const first = steps.slice(0, 4).reduce((a, e) => a + e.loss, 0) / 4;
    const last = steps.slice(-4).reduce((a, e) => a + e.loss, 0) / 4;
    expect(last).toBeLessThan(first - 0.25); // deterministic: seeded init, batches and masking
    expect(readLog(out).filter((e) => e.kind === "valid")).toHaveLength(2);
  });

  it("resumes to the same losses as an uninterrupted run", async () => {
    const whole = join(root, "whole");
    await wholeRun();
    const split = join(root, "split");
    await train(base(split, stopAt(3)));
    const partial = readLog(split).filter((e) => e.kind === "step");
    expect(partial).toHaveLength(3);
    await train({ ...base(split), resume: true });
    const a = stepLosses(whole);
    const b = stepLosses(split);
    expect(b).toHaveLength(8);
    b.forEach((x, i) => expect(x).toBeCloseTo(a[i]!, 5));
  });

  it("refuses a resume with other options and leaves the checkpoint untouched", async () => {
    const out = join(root, "whole");
    await wholeRun();
    const ck = join(out, "checkpoint", "model.safetensors");
    const before = statSync(ck).mtimeMs;
    await expect(train({ ...base(out), lr: 1e-3, resume: true })).rejects.toThrow(/run options differ.*lr/);
    await expect(train({ ...base(out), maskStride: 13, resume: true })).rejects.toThrow(/run options differ.*maskStride/);
    await expect(train({ ...base(out), maskReplace: "mask", resume: true })).rejects.toThrow(/run options differ.*maskReplace/);
    await expect(train(base(out))).rejects.toThrow(/already holds a checkpoint/);
    expect(statSync(ck).mtimeMs).toBe(before);
  });

  it("trains the embedding and agnostic modes", async () => {
    for (const conditioning of ["embedding", "none"] as const) {
      const res = await train(base(join(root, `run-${conditioning}`), { conditioning, steps: 4 }));
      const folder = await loadModelFolder(res.checkpoint);
      expect(folder.config.conditioning).toBe(conditioning);
      expect(folder.weights.has("specieslm.species_embeddings.weight")).toBe(conditioning === "embedding");
    }
  });

  it("--init-from starts from a checkpoint's weights and refuses one of another shape", async () => {
    const trained = (await trainedRun()).checkpoint; // 40 steps, loss down by more than 0.25
    const source = await loadModelFolder(trained);
    // A learning rate of 1e-8 moves no weight measurably: the new run's weights are the source's.
    const res = await train(base(join(root, "continued"), { initFrom: trained, steps: 1, lr: 1e-8, warmup: 0, seed: 9 }));
    const cont = await loadModelFolder(res.checkpoint);
    let maxDiff = 0;
    for (const [name, t] of source.weights) {
      const a = t.data as Float32Array;
      const b = cont.weights.get(name)!.data as Float32Array;
      for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    }
    expect(maxDiff).toBeLessThan(1e-6);
    const fresh = readLog(join(root, "run-a")).find((e) => e.kind === "step")!.loss;
    const first = readLog(join(root, "continued")).find((e) => e.kind === "step")!.loss;
    expect(first).toBeLessThan(fresh - 0.1); // a trained start, not a fresh init
    await expect(train(base(join(root, "c2"), { initFrom: trained, conditioning: "embedding" }))).rejects.toThrow(
      /--init-from .*the checkpoint is \(token, .*pass the ones it was trained with/,
    );
    await expect(train(base(join(root, "c3"), { initFrom: join(root, "nope") }))).rejects.toThrow(/nope/);
    await expect(
      train({
        ...base(join(root, "continued"), { initFrom: trained, steps: 1, lr: 1e-8, warmup: 0, seed: 9 }),
        initFrom: undefined,
        resume: true,
      }),
    ).rejects.toThrow(/run options differ.*initFrom/);
  });

  it("rejects a mask stride that leaves no visible token between spans", async () => {
    await expect(train(base(join(root, "stride"), { maskStride: 6 }))).rejects.toThrow(/mask stride must be an integer above k = 6/);
    expect(existsSync(join(root, "stride", "checkpoint"))).toBe(false);
  });

  it("stops with clear errors on a bad corpus folder and a config that does not fit the vocab", async () => {
    await expect(train(base(join(root, "x"), { corpus: join(root, "nope") }))).rejects.toThrow(/not a corpus folder/);
    const cfg = join(root, "bad-config.json");
    writeFileSync(cfg, JSON.stringify({ ...MINIMAL_BERT_CONFIG, num_hidden_layers: 1 }));
    await expect(train(base(join(root, "y"), { config: cfg }))).rejects.toThrow(/does not fit the corpus vocabulary/);
    expect(existsSync(join(root, "y", "checkpoint"))).toBe(false);
  });
});
