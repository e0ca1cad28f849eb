import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mulberry32 } from "../../src/rng.js";
import type { TrainOptions } from "../../src/train/trainer.js";

/** Two species whose sequences differ in composition, so conditioning has something to learn. */
export function writeToyTable(path: string): void {
  const rng = mulberry32(5);
  const lines = ["species\tid\tsequence"];
  for (const [sp, gc] of [
    ["alpha", 0.2],
    ["beta", 0.6],
  ] as const) {
    for (let i = 0; i < 60; i++) {
      let s = "";
      for (let j = 0; j < 40; j++) {
        const r = rng.next();
        s += r < gc / 2 ? "G" : r < gc ? "C" : r < gc + (1 - gc) / 2 ? "A" : "T";
      }
      lines.push(`${sp}\t${sp}_${i}\t${s}`);
    }
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

/** The entries of a run's train_log.jsonl. */
export const readRunLog = (dir: string) =>
  readFileSync(join(dir, "train_log.jsonl"), "utf8")
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { kind: string; step: number; loss: number });

/**
 * Options of a small, deterministic training run on the toy corpus (tiny config, batch 8, 8 steps,
 * seed 3, no dropout): each test overrides what it is about.
 */
export function toyTrainOptions(corpus: string, out: string, over: Partial<TrainOptions> = {}): TrainOptions {
  return {
    corpus,
    out,
    conditioning: "token",
    config: "tiny",
    steps: 8,
    batchSize: 8,
    lr: 2e-3,
    warmup: 2,
    decay: "linear",
    seed: 3,
    validEvery: 4,
    validPerSpecies: 4,
    dropout: 0,
    weightDecay: 0.01,
    maxGradNorm: 1,
    resume: false,
    threads: 1,
    ...over,
  };
}
