import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { corpusFromTable } from "../../src/corpus/corpus-from-table.js";
import { mulberry32, type Rng } from "../../src/rng.js";
import type { TrainOptions } from "../../src/train/trainer.js";

/** Which toy table: its seed, each species' GC fraction, records per species, and each record's length. */
export interface ToyTableOptions {
  readonly seed?: number;
  readonly gc?: readonly [alpha: number, beta: number];
  readonly perSpecies?: number;
  readonly length?: (rng: Rng) => number;
}

/** Two species whose sequences differ in composition, so conditioning has something to learn (default: 60 of 40 nt each, GC 0.2 and 0.6). */
export function writeToyTable(path: string, o: ToyTableOptions = {}): void {
  const rng = mulberry32(o.seed ?? 5);
  const [alphaGc, betaGc] = o.gc ?? [0.2, 0.6];
  const lines = ["species\tid\tsequence"];
  for (const [sp, gc] of [
    ["alpha", alphaGc],
    ["beta", betaGc],
  ] as const) {
    for (let i = 0; i < (o.perSpecies ?? 60); i++) {
      let s = "";
      for (let j = 0, n = o.length?.(rng) ?? 40; j < n; j++) {
        const r = rng.next();
        s += r < gc / 2 ? "G" : r < gc ? "C" : r < gc + (1 - gc) / 2 ? "A" : "T";
      }
      lines.push(`${sp}\t${sp}_${i}\t${s}`);
    }
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

/**
 * A new temporary folder `root` (named from `prefix`) holding a toy table (toy.tsv, written by `write`)
 * and its corpus (corpus/, seed 1); the caller removes root.
 */
export async function makeToyCorpus(prefix: string, write: (path: string) => void = writeToyTable): Promise<{ root: string; corpus: string }> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  write(join(root, "toy.tsv"));
  const corpus = join(root, "corpus");
  await corpusFromTable({ table: join(root, "toy.tsv"), outDir: corpus, seed: 1 });
  return { root, corpus };
}

/** Options that abort a run once it has logged step `n` (a run cut short, for resume tests). */
export function stopAt(n: number): Partial<TrainOptions> {
  const ctl = new AbortController();
  return {
    signal: ctl.signal,
    onLog: (e) => {
      if (e.kind === "step" && e.step === n) ctl.abort();
    },
  };
}

/** The entries of a run's train_log.jsonl. */
export const readRunLog = (dir: string) =>
  readFileSync(join(dir, "train_log.jsonl"), "utf8")
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { kind: string; step: number; loss: number });

/** The losses of a run's training steps, in order. */
export const stepLosses = (dir: string): number[] =>
  readRunLog(dir)
    .filter((e) => e.kind === "step")
    .map((e) => e.loss);

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
