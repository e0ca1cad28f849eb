import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { train } from "../src/train/trainer.js";
import type { LogEntry } from "../src/train/train-options.js";
import { readRunLog, toyTrainOptions, makeToyCorpus } from "./helpers/toy-corpus.js";

// The child process runs the built module (dist/train/train-child-main.js): `npm test` builds first.
const { trainInChild, trainSideBySide } = (await import("../dist/train/train-in-child.js")) as typeof import("../src/train/train-in-child.js");

describe("training in a child process", () => {
  let root = "";
  let corpus = "";
  beforeAll(async () => {
    ({ root, corpus } = await makeToyCorpus("specieslm-train-child-"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("logs and saves the same run as train() in this process, entry for entry", async () => {
    await train(toyTrainOptions(corpus, join(root, "here")));
    const seen: LogEntry[] = [];
    const result = await trainInChild(toyTrainOptions(corpus, join(root, "child"), { onLog: (e) => seen.push(e) }));
    expect(result.steps).toBe(8);
    const here = readRunLog(join(root, "here"));
    const child = readRunLog(join(root, "child"));
    expect(child.map((e) => [e.kind, e.step, e.loss])).toEqual(here.map((e) => [e.kind, e.step, e.loss]));
    expect(seen.map((e) => [e.kind, e.step, "loss" in e ? e.loss : undefined])).toEqual(here.map((e) => [e.kind, e.step, e.loss]));
  }, 120_000);

  it("two runs side by side give the runs each makes alone", async () => {
    const [a, b] = await trainSideBySide([
      toyTrainOptions(corpus, join(root, "side-token")),
      toyTrainOptions(corpus, join(root, "side-none"), { conditioning: "none" }),
    ]);
    expect([a!.steps, b!.steps]).toEqual([8, 8]);
    await train(toyTrainOptions(corpus, join(root, "alone-token")));
    await train(toyTrainOptions(corpus, join(root, "alone-none"), { conditioning: "none" }));
    const losses = (d: string) => readRunLog(join(root, d)).map((e) => e.loss);
    expect(losses("side-none")).toEqual(losses("alone-none"));
    expect(losses("side-token")).toEqual(losses("alone-token"));
  }, 120_000);

  it("a failing run rejects with the child's typed error and message", async () => {
    const missing = join(root, "no-such-corpus");
    await expect(trainInChild(toyTrainOptions(missing, join(root, "bad")))).rejects.toMatchObject({
      code: "INPUT",
      message: expect.stringContaining(missing),
    });
  }, 60_000);
});
