import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadCorpusSplit, readCorpus } from "../corpus/read-corpus.js";
import type { CorpusRecord } from "../corpus/types.js";
import { InputError } from "../errors.js";
import { f32, type HostTensor } from "../host-tensor.js";
import type { BertConfig } from "../model/config.js";
import { type EmbeddingInit, initWeights } from "../model/init-weights.js";
import { loadModelFolder } from "../model/model-folder.js";
import { paramLayout } from "../model/param-layout.js";
import { buildVocab } from "../tokenizer/build-vocab.js";
import type { Vocab } from "../tokenizer/vocab.js";
import { readOptimizerState, readTrainerState, recoverCheckpoint, runMismatches, saveCheckpoint, type TrainerState } from "./checkpoint.js";
import { curriculumKey, type PlacedStage } from "./curriculum.js";
import { longestRow } from "./dataset.js";
import { newModelConfig, regionFields, startingWeights } from "./new-model.js";
import { stepNames } from "./step-graph.js";
import type { TrainOptions } from "./train-options.js";

// A run's state on disk and in memory: opened fresh, resumed from its checkpoint, saved at a step.

/** Token size of a new model when none is given. */
export const DEFAULT_K = 1;

/** The model a run trains and its AdamW moments (stepNames.m/v), updated in place by each step. */
export interface RunState {
  readonly vocab: Vocab;
  readonly config: BertConfig;
  readonly weights: Map<string, HostTensor<"float32">>;
  readonly moments: Map<string, HostTensor<"float32">>;
  /** Steps completed before this process took the run over (0 for a fresh run). */
  readonly start: number;
}

/** What a run reads of its corpus before the model exists. */
export interface RunCorpus {
  readonly species: readonly string[];
  /** "three_prime" | "five_prime" | null, as corpus.json says. */
  readonly region: string | null;
  readonly train: CorpusRecord[];
}

export async function readRunCorpus(dir: string): Promise<RunCorpus> {
  const corpus = await readCorpus(dir);
  const train = await loadCorpusSplit(dir, "train");
  return { species: corpus.species.map((s) => s.name), region: corpus.region, train };
}

export const checkpointDir = (out: string): string => join(out, "checkpoint");

/** The token size of the run a --resume continues; DEFAULT_K when there is no checkpoint yet (it starts afresh). */
export async function checkpointK(out: string): Promise<number> {
  const saved = await resumableState(out);
  return saved ? runK(saved) : DEFAULT_K;
}

/**
 * The checkpoint state a --resume continues from, after putting back one that a kill left aside;
 * undefined when the run never reached a checkpoint, so `--resume` in a crash loop starts it afresh.
 */
export async function resumableState(out: string): Promise<TrainerState | undefined> {
  const ckDir = checkpointDir(out);
  await recoverCheckpoint(ckDir);
  return existsSync(ckDir) ? readTrainerState(ckDir) : undefined;
}

/** The token size a run key records (a key without k is a 6-mer run: see runKey). */
export function runK(state: TrainerState): number {
  return typeof state.run.k === "number" ? state.run.k : 6;
}

/**
 * Options that define a run: a resume must agree on all of them. The key leaves out k = 6 and a random
 * init (the values of runs keyed before those options existed), so checkpoints keyed so still resume.
 */
function runKey(o: TrainOptions): TrainerState["run"] {
  const recipe = o.schedule
    ? curriculumKey(o.schedule)
    : {
        warmup: o.warmup,
        decay: o.decay,
        ...(o.maskStride !== undefined ? { maskStride: typeof o.maskStride === "number" ? o.maskStride : o.maskStride.join(",") } : {}),
        ...(o.maskReplace === "mask" ? { maskReplace: o.maskReplace } : {}),
      };
  return {
    corpus: o.corpus,
    conditioning: o.conditioning,
    config: o.config,
    batchSize: o.batchSize,
    lr: o.lr,
    seed: o.seed,
    dropout: o.dropout,
    weightDecay: o.weightDecay,
    maxGradNorm: o.maxGradNorm,
    steps: o.steps,
    ...recipe,
    ...(o.k !== undefined && o.k !== 6 ? { k: o.k } : {}),
    ...(o.initFrom !== undefined ? { initFrom: o.initFrom } : initOf(o) !== "random" ? { init: initOf(o) } : {}),
  };
}

function initOf(o: TrainOptions): EmbeddingInit {
  return o.init ?? "structured";
}

/** A new run's model: a config sized to the corpus (minimal edge masks when a stage masks edges) and its first weights. */
export async function startRun(o: TrainOptions, stages: readonly PlacedStage[], corpus: RunCorpus): Promise<RunState> {
  const ckDir = checkpointDir(o.out);
  if (existsSync(ckDir)) throw new InputError(`${ckDir} already holds a checkpoint; pass --resume to continue it, or choose another --out`);
  const { species } = corpus;
  const vocab = buildVocab({ k: o.k!, species });
  let config = await newModelConfig(o, vocab, species, longestRow(corpus.train, vocab.k, o.conditioning));
  if (stages.some((p) => p.stage.edges > 0)) config = { ...config, edgeMasks: "minimal" };
  config = { ...config, ...regionFields(corpus.region, corpus.train) };
  const weights =
    o.initFrom !== undefined
      ? await startingWeights(o.initFrom, config, species)
      : initWeights(config, o.seed, { embeddings: initOf(o), kmerIds: vocab.kmerIds });
  return withMoments({ vocab, config, weights, moments: new Map(), start: 0 });
}

/** The run `saved` describes, read back from its checkpoint, after checking the options are the run's. */
export async function resumeRun(o: TrainOptions, saved: TrainerState): Promise<RunState> {
  const ckDir = checkpointDir(o.out);
  const diff = runMismatches(saved.run, runKey(o));
  if (diff.length) throw new InputError(`cannot resume ${ckDir}: the run options differ (${diff.join("; ")}); the checkpoint is left untouched`);
  const { vocab, config, weights } = await loadModelFolder(ckDir);
  const moments = await readOptimizerState(ckDir);
  return withMoments({ vocab, config, weights, moments, start: saved.step });
}

/** Zero AdamW moments for every parameter that has none. */
function withMoments(run: RunState): RunState {
  for (const [name, shape] of Object.entries(paramLayout(run.config))) {
    for (const key of [stepNames.m(name), stepNames.v(name)]) if (!run.moments.has(key)) run.moments.set(key, f32(shape));
  }
  return run;
}

/** Writes the run at `step` as a checkpoint folder `dir` that a resume continues exactly. */
export async function saveRun(dir: string, run: RunState, o: TrainOptions, species: readonly string[], step: number): Promise<void> {
  const state: TrainerState = { formatVersion: 1, step, run: runKey(o), species };
  await saveCheckpoint(dir, { config: run.config, vocab: run.vocab, weights: run.weights, optimizer: run.moments, state });
}
