import { existsSync } from "node:fs";
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { loadCorpusSplit, readCorpus } from "../corpus/read-corpus.js";
import { ConfigError, InputError } from "../errors.js";
import { f32, type HostTensor } from "../host-tensor.js";
import type { BertConfig, Conditioning } from "../model/config.js";
import { type EmbeddingInit, initWeights } from "../model/init-weights.js";
import { loadModelFolder } from "../model/model-folder.js";
import { paramLayout } from "../model/param-layout.js";
import { type PresetName, PRESETS, presetConfig, readConfigFile } from "../model/presets.js";
import { Session } from "../runtime/session.js";
import { buildVocab } from "../tokenizer/build-vocab.js";
import { KmerTokenizer } from "../tokenizer/kmer-tokenizer.js";
import type { Vocab } from "../tokenizer/vocab.js";
import { kmerSpanMasker, maskedBatch, type MaskedBatch, type MaskReplace, type RowMasker, rowsForStep } from "./batches.js";
import type { MaskStride } from "./masking.js";
import { readOptimizerState, readTrainerState, recoverCheckpoint, runMismatches, saveCheckpoint, type TrainerState } from "./checkpoint.js";
import { longestRow, tokenizeSplit, type TokenizedSplit } from "./dataset.js";
import { curriculumKey, curriculumLr, type Curriculum, optimizerOrigin, type PlacedStage, placeStages, stageAt } from "./curriculum.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { trimRunLog } from "./run-log.js";
import { checkSchedule, type DecayKind } from "./schedule.js";
import { buildEvalGraph, buildStepGraph, stepNames } from "./step-graph.js";
import { firstBaseTable, validate, type ValidationResult } from "./validate.js";

import type { LogEntry, TrainOptions, TrainResult } from "./train-options.js";

export type { LogEntry, TrainOptions, TrainResult };

export const DEFAULT_K = 1;

/** The token size of the run checkpointed in `out` (6 for runs from before --k, which carry no key). */
/** The token size of the run a --resume continues; DEFAULT_K when there is no checkpoint yet (it starts afresh). */
export async function checkpointK(out: string): Promise<number> {
  const saved = await resumableState(out);
  return saved ? runK(saved) : DEFAULT_K;
}

/**
 * The checkpoint state a --resume continues from, after putting back one that a kill left aside;
 * undefined when the run never reached a checkpoint, so `--resume` in a crash loop starts it afresh.
 */
async function resumableState(out: string): Promise<TrainerState | undefined> {
  const ckDir = join(out, "checkpoint");
  await recoverCheckpoint(ckDir);
  return existsSync(ckDir) ? readTrainerState(ckDir) : undefined;
}

function runK(state: TrainerState): number {
  return typeof state.run.k === "number" ? state.run.k : 6;
}

/** Options that define a run: a resume must agree on all of them. */
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
    // 6-mer runs from before --k existed carry no key.
    ...(o.k !== undefined && o.k !== 6 ? { k: o.k } : {}),
    // Runs from before --init existed started random and carry no key.
    ...(o.initFrom !== undefined ? { initFrom: o.initFrom } : initOf(o) !== "random" ? { init: initOf(o) } : {}),
  };
}

function initOf(o: TrainOptions): EmbeddingInit {
  return o.init ?? "structured";
}

/** Positions a preset model gets: 512 (as published) or, for longer rows (5' regions), the next power of two. */
export function positionsFor(longestRow: number): number {
  let n = DEFAULT_POSITIONS;
  while (n < longestRow) n *= 2;
  return n;
}

const DEFAULT_POSITIONS = 512;

/**
 * The corpus's region type and full length (the longest training record) for config.json, so
 * inference reads a five_prime model's shorter sequences left-padded to that length.
 */
export function regionFields(region: string | null, records: readonly { sequence: string }[]): Pick<BertConfig, "region" | "regionLength"> {
  if (region !== "three_prime" && region !== "five_prime") return {};
  let longest = 0;
  for (const r of records) longest = Math.max(longest, r.sequence.length);
  return longest > 0 ? { region, regionLength: longest } : { region };
}

async function makeConfig(o: TrainOptions, vocab: Vocab, species: readonly string[], longestRow: number): Promise<BertConfig> {
  const common = {
    vocabSize: vocab.size,
    conditioning: o.conditioning,
    numSpecies: species.length,
    kmerSize: vocab.k,
    species,
    maxPositionEmbeddings: positionsFor(longestRow),
  };
  if (o.config in PRESETS) return presetConfig(o.config as PresetName, common);
  if (!existsSync(o.config)) throw new ConfigError(`--config "${o.config}" is neither a preset (${Object.keys(PRESETS).join(", ")}) nor a file`);
  const c = await readConfigFile(o.config);
  if (c.vocabSize !== vocab.size) {
    throw new ConfigError(
      `${o.config}: vocab_size ${c.vocabSize} does not fit the corpus vocabulary (${vocab.size} tokens: 5 specials, ${4 ** vocab.k} k-mers, ${species.length} species); set vocab_size to ${vocab.size}`,
    );
  }
  return { ...c, conditioning: o.conditioning, numSpecies: species.length };
}

/** Weights of a checkpoint to continue from, after checking it is the model `config` describes. */
async function startingWeights(dir: string, config: BertConfig, species: readonly string[]): Promise<Map<string, HostTensor<"float32">>> {
  const from = await loadModelFolder(dir);
  const got = from.vocab.speciesNames.join(",");
  if (got !== species.join(",")) {
    throw new InputError(
      `--init-from ${dir}: its species (${got}) are not the corpus's (${species.join(",")}); continue a model only on a corpus of the same species`,
    );
  }
  const shape = (c: BertConfig) =>
    `${c.conditioning}, ${c.numHiddenLayers} layers, hidden ${c.hiddenSize}, ${c.numAttentionHeads} heads, intermediate ${c.intermediateSize}, ${c.maxPositionEmbeddings} positions, vocab ${c.vocabSize}`;
  if (shape(from.config) !== shape(config)) {
    throw new InputError(
      `--init-from ${dir}: the checkpoint is (${shape(from.config)}) but --config/--conditioning give (${shape(config)}); pass the ones it was trained with`,
    );
  }
  const weights = new Map<string, HostTensor<"float32">>();
  for (const name of Object.keys(paramLayout(config))) {
    const t = from.weights.get(name);
    if (!t || t.dtype !== "float32") throw new InputError(`--init-from ${dir}: no float32 tensor ${name} in its weights`);
    weights.set(name, t as HostTensor<"float32">);
  }
  return weights;
}

/** Mixed into the run's seed for the validation masks, so they differ from every training step's. */
const VALIDATION_SEED_SALT = 0x7a11d;

/**
 * Validation rows: the first `n` valid records of each species, masked once with a fixed seed in the
 * training layout (a model trained on strided spans scores worse on random ones, which can touch and
 * hide neighbouring nucleotides together, than by the reconstruction recipes it is used with).
 */
function validationBatches(split: TokenizedSplit, n: number, batch: number, mask: RowMasker, seed: number, species: readonly string[]): MaskedBatch[] {
  const perSpecies = species.map(() => 0);
  const rows: number[] = [];
  for (let r = 0; r < split.rows; r++) {
    const s = split.species[r]!;
    if (perSpecies[s]! < n) {
      perSpecies[s]!++;
      rows.push(r);
    }
  }
  const out: MaskedBatch[] = [];
  for (let i = 0; i < rows.length; i += batch) out.push(maskedBatch(split, Int32Array.from(rows.slice(i, i + batch)), mask, seed ^ VALIDATION_SEED_SALT, i));
  return out;
}

/** The run's stages: the schedule's, or one stage from the single-recipe options. */
function stagesOf(o: TrainOptions): PlacedStage[] {
  if (o.schedule) return placeStages(o.schedule, o.steps);
  checkSchedule({ peak: o.lr, warmupSteps: o.warmup, totalSteps: o.steps, decay: o.decay, floor: 0 });
  const stage = {
    name: "single",
    share: 1,
    lrScale: 1,
    warmup: o.warmup / o.steps,
    decay: o.decay,
    maskReplace: o.maskReplace ?? "bert",
    edges: 0,
    ...(o.maskStride !== undefined ? { maskStride: o.maskStride } : {}),
  };
  return [{ stage, index: 0, start: 0, end: o.steps, warmupSteps: o.warmup }];
}

/**
 * Trains a species-aware (or agnostic) masked LM on a corpus. All numerics run in ONNX Runtime:
 * each step is one run of the step graph; parameters and AdamW state go in and come back out.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  // A resume reads its checkpoint's state once: for the token size when none is given, and for the run key.
  const saved = options.resume ? await resumableState(options.out) : undefined;
  const o: TrainOptions = { ...options, k: options.k ?? (saved ? runK(saved) : DEFAULT_K) };
  if (!(o.lr > 0 && o.lr < 1)) throw new InputError(`--lr must be in (0, 1), got ${o.lr}`);
  const stages = stagesOf(o);
  const corpus = await readCorpus(o.corpus);
  const trainRecords = await loadCorpusSplit(o.corpus, "train");
  const species = corpus.species.map((s) => s.name);
  const ckDir = join(o.out, "checkpoint");
  let start = 0;
  let vocab: Vocab;
  let config: BertConfig;
  let weights: Map<string, HostTensor<"float32">>;
  let moments = new Map<string, HostTensor<"float32">>();
  if (saved) {
    const diff = runMismatches(saved.run, runKey(o));
    if (diff.length) throw new InputError(`cannot resume ${ckDir}: the run options differ (${diff.join("; ")}); the checkpoint is left untouched`);
    const folder = await loadModelFolder(ckDir);
    ({ vocab, config } = folder);
    weights = folder.weights;
    moments = await readOptimizerState(ckDir);
    start = saved.step;
  } else {
    if (existsSync(ckDir)) throw new InputError(`${ckDir} already holds a checkpoint; pass --resume to continue it, or choose another --out`);
    vocab = buildVocab({ k: o.k!, species });
    config = await makeConfig(o, vocab, species, longestRow(trainRecords, vocab.k, o.conditioning));
    if (stages.some((p) => p.stage.edges > 0)) config = { ...config, edgeMasks: "minimal" };
    config = { ...config, ...regionFields(corpus.region, trainRecords) };
    weights =
      o.initFrom !== undefined
        ? await startingWeights(o.initFrom, config, species)
        : initWeights(config, o.seed, { embeddings: initOf(o), kmerIds: vocab.kmerIds });
  }
  const layout = paramLayout(config);
  for (const [name, shape] of Object.entries(layout)) {
    for (const key of [stepNames.m(name), stepNames.v(name)]) if (!moments.has(key)) moments.set(key, f32(shape));
  }
  // Built before the splits are read so a bad stride fails at once.
  const layoutOf = (p: PlacedStage) => ({
    ...(p.stage.maskStride !== undefined ? { stride: p.stage.maskStride } : {}),
    edges: p.stage.edges,
  });
  const masks = stages.map((p) => kmerSpanMasker(vocab, { ...layoutOf(p), replace: p.stage.maskReplace }));
  const tok = new KmerTokenizer(vocab);
  const trainSplit = tokenizeSplit(trainRecords, tok, species, config.conditioning, config.maxPositionEmbeddings);
  const validSplit = tokenizeSplit(await loadCorpusSplit(o.corpus, "valid"), tok, species, config.conditioning, config.maxPositionEmbeddings);
  if (trainSplit.rows < o.batchSize)
    throw new InputError(`the train split of ${o.corpus} has ${trainSplit.rows} sequences, fewer than one batch of ${o.batchSize}`);

  const sessionOpts = { ...(o.threads ? { threads: o.threads } : {}), ...(o.providers ? { providers: o.providers } : {}) };
  const stepSession = await Session.create(
    buildStepGraph(config, {
      batch: o.batchSize,
      tokens: trainSplit.tokens,
      dropout: o.dropout,
      dropoutSeed: o.seed,
      weightDecay: o.weightDecay,
      maxGradNorm: o.maxGradNorm,
    }),
    sessionOpts,
  );
  // Validation keeps one layout for the whole run, the last stage's: the one the model is left for.
  const vBatches = validationBatches(
    validSplit,
    o.validPerSpecies,
    o.batchSize,
    kmerSpanMasker(vocab, { ...layoutOf(stages[stages.length - 1]!), replace: "mask" }),
    o.seed,
    species,
  );
  const evalSession = vBatches.length ? await Session.create(buildEvalGraph(config, "batch", validSplit.tokens, vocab.kmerIds, vocab.k), sessionOpts) : null;
  const feedsOf = (b: MaskedBatch): Record<string, HostTensor> => ({
    input_ids: b.inputIds,
    attention_mask: b.attentionMask,
    read_index: b.readIndex,
    read_labels: b.readLabels,
    ...(config.conditioning === "embedding" ? { species_ids: b.speciesIds } : {}),
  });
  await mkdir(o.out, { recursive: true });
  const logPath = join(o.out, "train_log.jsonl");
  // A fresh run starts its log afresh (one that died before its first checkpoint left steps in it).
  if (saved) await trimRunLog(logPath, start);
  else await writeFileAtomic(logPath, "");
  const log = async (e: LogEntry) => {
    o.onLog?.(e);
    await appendFile(logPath, JSON.stringify(e) + "\n");
  };
  const runValidation = async (step: number): Promise<ValidationResult | null> => {
    if (!evalSession) return null;
    const v = await validate(
      evalSession,
      weights,
      vBatches,
      feedsOf,
      {
        ids: validSplit.ids,
        species: validSplit.species,
        head: validSplit.head,
        firstBase: firstBaseTable(vocab.kmerIds, vocab.size, vocab.k),
      },
      species,
      vocab.k,
    );
    const per = Object.values(v.perSpecies);
    await log({
      kind: "valid",
      step,
      loss: v.loss,
      perSpecies: v.perSpecies,
      meanAccuracy: per.reduce((a, x) => a + x.accuracy, 0) / Math.max(1, per.length),
      meanCrossEntropy: per.reduce((a, x) => a + x.crossEntropy, 0) / Math.max(1, per.length),
    });
    return v;
  };
  const checkpoint = async (step: number, dir = ckDir) => {
    await saveCheckpoint(dir, { config, vocab, weights, optimizer: moments, state: { formatVersion: 1, step, run: runKey(o), species } });
    await log({ kind: "checkpoint", step, dir });
  };

  let step = start;
  let last: ValidationResult | null = null;
  while (step < o.steps && !o.signal?.aborted) {
    const t0 = performance.now();
    const placed = stageAt(stages, step);
    if (step === placed.start && stages.length > 1) {
      // A stage starts with a fresh AdamW state unless it keeps the last one (docs/decisions/k1-curriculum.md).
      if (placed.index > 0 && placed.stage.optimizer !== "keep") for (const [n, t] of moments) moments.set(n, f32(t.shape));
      await log({
        kind: "stage",
        step,
        stage: placed.index + 1,
        name: placed.stage.name,
        steps: placed.end - placed.start,
        lr: o.lr * placed.stage.lrScale,
      });
    }
    const batch = maskedBatch(trainSplit, rowsForStep(trainSplit, o.batchSize, step, o.seed), masks[placed.index]!, o.seed, step);
    const lr = curriculumLr(placed, o.lr, step);
    const feeds: Record<string, HostTensor> = {
      ...feedsOf(batch),
      lr: f32([], [lr]),
      adam_step: f32([], [step - optimizerOrigin(stages, placed) + 1]),
    };
    for (const [n, t] of weights) feeds[n] = t;
    for (const [n, t] of moments) feeds[n] = t;
    const out = await stepSession.run(feeds);
    for (const n of weights.keys()) {
      weights.set(n, out[stepNames.newParam(n)] as HostTensor<"float32">);
      moments.set(stepNames.m(n), out[stepNames.newM(n)] as HostTensor<"float32">);
      moments.set(stepNames.v(n), out[stepNames.newV(n)] as HostTensor<"float32">);
    }
    step++;
    const secs = (performance.now() - t0) / 1000;
    await log({
      kind: "step",
      step,
      loss: (out.loss!.data as Float32Array)[0]!,
      lr,
      gradNorm: (out.grad_norm!.data as Float32Array)[0]!,
      tokensPerSecond: (o.batchSize * trainSplit.tokens) / secs,
    });
    const stageEnds = step === placed.end;
    if (step % o.validEvery === 0 || stageEnds) {
      last = await runValidation(step);
      await checkpoint(step);
      // Each stage's model stays loadable on its own (stage-N-NAME/), e.g. to compare stages.
      if (stageEnds && stages.length > 1 && step < o.steps) await checkpoint(step, join(o.out, `stage-${placed.index + 1}-${placed.stage.name}`));
    }
  }
  const interrupted = step < o.steps;
  if (interrupted) await checkpoint(step);
  await stepSession.release();
  await evalSession?.release();
  return { steps: step, checkpoint: ckDir, lastValidation: last, interrupted };
}
