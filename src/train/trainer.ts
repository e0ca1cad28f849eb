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
import { readOptimizerState, readTrainerState, runMismatches, saveCheckpoint, type TrainerState } from "./checkpoint.js";
import { tokenizeSplit, type TokenizedSplit } from "./dataset.js";
import { checkSchedule, type DecayKind, learningRate } from "./schedule.js";
import { buildEvalGraph, buildStepGraph, stepNames } from "./step-graph.js";
import { firstBaseTable, validate, type ValidationResult } from "./validate.js";

export interface TrainOptions {
  readonly corpus: string;
  readonly out: string;
  readonly conditioning: Conditioning;
  /** Preset name (tiny, small, base) or a config.json path. */
  readonly config: string;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly warmup: number;
  readonly decay: DecayKind;
  readonly seed: number;
  readonly validEvery: number;
  /** Validation sequences per species (fixed masked copies). */
  readonly validPerSpecies: number;
  readonly dropout: number;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
  /**
   * Masked spans start every `maskStride` k-mer tokens (masking.ts), or every s tokens with s drawn
   * per row from a list; absent = 15% random spans.
   */
  readonly maskStride?: MaskStride;
  /**
   * What a masked token becomes: "bert" (default, as published: 80% [MASK], 10% a random k-mer, 10%
   * kept, drawn per token) or "mask" (always [MASK], the layout reconstruction reads). Per token, a
   * span of k is all [MASK] in only 0.8^k = 26% of "bert" spans; in the others a kept token reveals
   * the hidden nucleotide or a random one contradicts its neighbours.
   */
  readonly maskReplace?: MaskReplace;
  /** Starting point of embeddings and attention (model/init-weights.ts); default structured. */
  readonly init?: EmbeddingInit;
  /** Token size of a new model: 6 (overlapping 6-mers, the published SpeciesLM; default) or 1 (single nucleotides). */
  readonly k?: number;
  /**
   * Start from the weights of this checkpoint folder instead of `init` (continued pre-training): same
   * config, conditioning and species; the optimizer and the schedule start afresh.
   */
  readonly initFrom?: string;
  readonly resume: boolean;
  readonly threads?: number;
  /** ORT execution providers, e.g. ["cuda", "cpu"]; default CPU. */
  readonly providers?: readonly string[];
  /** Aborting (Ctrl-C) writes a checkpoint at the current step and returns. */
  readonly signal?: AbortSignal;
  readonly onLog?: (entry: LogEntry) => void;
}

export type LogEntry =
  | { kind: "step"; step: number; loss: number; lr: number; gradNorm: number; tokensPerSecond: number }
  | { kind: "valid"; step: number; loss: number; perSpecies: ValidationResult["perSpecies"]; meanAccuracy: number; meanCrossEntropy: number }
  | { kind: "checkpoint"; step: number; dir: string };

export interface TrainResult {
  readonly steps: number;
  readonly checkpoint: string;
  readonly lastValidation: ValidationResult | null;
  readonly interrupted: boolean;
}

/** Options that define a run: a resume must agree on all of them. */
function runKey(o: TrainOptions): TrainerState["run"] {
  return { corpus: o.corpus, conditioning: o.conditioning, config: o.config, batchSize: o.batchSize, lr: o.lr, warmup: o.warmup,
    decay: o.decay, seed: o.seed, dropout: o.dropout, weightDecay: o.weightDecay, maxGradNorm: o.maxGradNorm, steps: o.steps,
    ...(o.maskStride !== undefined ? { maskStride: typeof o.maskStride === "number" ? o.maskStride : o.maskStride.join(",") } : {}),
    ...(o.maskReplace === "mask" ? { maskReplace: o.maskReplace } : {}),
    // 6-mer runs from before --k existed carry no key.
    ...(o.k !== undefined && o.k !== 6 ? { k: o.k } : {}),
    // Runs from before --init existed started random and carry no key.
    ...(o.initFrom !== undefined ? { initFrom: o.initFrom } : initOf(o) !== "random" ? { init: initOf(o) } : {}) };
}

function initOf(o: TrainOptions): EmbeddingInit {
  return o.init ?? "structured";
}

async function makeConfig(o: TrainOptions, vocab: Vocab, species: readonly string[]): Promise<BertConfig> {
  const common = { vocabSize: vocab.size, conditioning: o.conditioning, numSpecies: species.length, kmerSize: vocab.k, species };
  if (o.config in PRESETS) return presetConfig(o.config as PresetName, common);
  if (!existsSync(o.config)) throw new ConfigError(`--config "${o.config}" is neither a preset (${Object.keys(PRESETS).join(", ")}) nor a file`);
  const c = await readConfigFile(o.config);
  if (c.vocabSize !== vocab.size) {
    throw new ConfigError(`${o.config}: vocab_size ${c.vocabSize} does not fit the corpus vocabulary (${vocab.size} tokens: 5 specials, ${4 ** vocab.k} k-mers, ${species.length} species); set vocab_size to ${vocab.size}`);
  }
  return { ...c, conditioning: o.conditioning, numSpecies: species.length };
}

/** Weights of a checkpoint to continue from, after checking it is the model `config` describes. */
async function startingWeights(dir: string, config: BertConfig, species: readonly string[]): Promise<Map<string, HostTensor<"float32">>> {
  const from = await loadModelFolder(dir);
  const got = from.vocab.speciesNames.join(",");
  if (got !== species.join(",")) {
    throw new InputError(`--init-from ${dir}: its species (${got}) are not the corpus's (${species.join(",")}); continue a model only on a corpus of the same species`);
  }
  const shape = (c: BertConfig) => `${c.conditioning}, ${c.numHiddenLayers} layers, hidden ${c.hiddenSize}, ${c.numAttentionHeads} heads, intermediate ${c.intermediateSize}, ${c.maxPositionEmbeddings} positions, vocab ${c.vocabSize}`;
  if (shape(from.config) !== shape(config)) {
    throw new InputError(`--init-from ${dir}: the checkpoint is (${shape(from.config)}) but --config/--conditioning give (${shape(config)}); pass the ones it was trained with`);
  }
  const weights = new Map<string, HostTensor<"float32">>();
  for (const name of Object.keys(paramLayout(config))) {
    const t = from.weights.get(name);
    if (!t || t.dtype !== "float32") throw new InputError(`--init-from ${dir}: no float32 tensor ${name} in its weights`);
    weights.set(name, t as HostTensor<"float32">);
  }
  return weights;
}

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
  for (let i = 0; i < rows.length; i += batch) out.push(maskedBatch(split, Int32Array.from(rows.slice(i, i + batch)), mask, seed ^ 0x7a11d, i));
  return out;
}

/**
 * Trains a species-aware (or agnostic) masked LM on a corpus. All numerics run in ONNX Runtime:
 * each step is one run of the step graph; parameters and AdamW state go in and come back out.
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
  checkSchedule({ peak: o.lr, warmupSteps: o.warmup, totalSteps: o.steps, decay: o.decay, floor: 0 });
  const corpus = await readCorpus(o.corpus);
  const species = corpus.species.map((s) => s.name);
  const ckDir = join(o.out, "checkpoint");
  let start = 0;
  let vocab: Vocab;
  let config: BertConfig;
  let weights: Map<string, HostTensor<"float32">>;
  let moments = new Map<string, HostTensor<"float32">>();
  if (o.resume) {
    const state = await readTrainerState(ckDir);
    const diff = runMismatches(state.run, runKey(o));
    if (diff.length) throw new InputError(`cannot resume ${ckDir}: the run options differ (${diff.join("; ")}); the checkpoint is left untouched`);
    const folder = await loadModelFolder(ckDir);
    ({ vocab, config } = folder);
    weights = folder.weights;
    moments = await readOptimizerState(ckDir);
    start = state.step;
  } else {
    if (existsSync(ckDir)) throw new InputError(`${ckDir} already holds a checkpoint; pass --resume to continue it, or choose another --out`);
    vocab = buildVocab({ k: o.k ?? 6, species });
    config = await makeConfig(o, vocab, species);
    weights = o.initFrom !== undefined
      ? await startingWeights(o.initFrom, config, species)
      : initWeights(config, o.seed, { embeddings: initOf(o), kmerIds: vocab.kmerIds });
  }
  const layout = paramLayout(config);
  for (const [name, shape] of Object.entries(layout)) {
    for (const key of [stepNames.m(name), stepNames.v(name)]) if (!moments.has(key)) moments.set(key, f32(shape));
  }
  // Built before the splits are read so a bad --mask-stride fails at once.
  const maskLayout = o.maskStride !== undefined ? { stride: o.maskStride } : {};
  const mask = kmerSpanMasker(vocab, { ...maskLayout, replace: o.maskReplace });
  const tok = new KmerTokenizer(vocab);
  const trainSplit = tokenizeSplit(await loadCorpusSplit(o.corpus, "train"), tok, species, config.conditioning, config.maxPositionEmbeddings);
  const validSplit = tokenizeSplit(await loadCorpusSplit(o.corpus, "valid"), tok, species, config.conditioning, config.maxPositionEmbeddings);
  if (trainSplit.rows < o.batchSize) throw new InputError(`the train split of ${o.corpus} has ${trainSplit.rows} sequences, fewer than one batch of ${o.batchSize}`);

  const sessionOpts = { ...(o.threads ? { threads: o.threads } : {}), ...(o.providers ? { providers: o.providers } : {}) };
  const stepSession = await Session.create(buildStepGraph(config, {
    batch: o.batchSize, tokens: trainSplit.tokens, dropout: o.dropout, dropoutSeed: o.seed, weightDecay: o.weightDecay, maxGradNorm: o.maxGradNorm,
  }), sessionOpts);
  const vBatches = validationBatches(validSplit, o.validPerSpecies, o.batchSize, kmerSpanMasker(vocab, { ...maskLayout, replace: "mask" }), o.seed, species);
  const evalSession = vBatches.length
    ? await Session.create(buildEvalGraph(config, "batch", validSplit.tokens, vocab.kmerIds, vocab.k), sessionOpts)
    : null;
  const feedsOf = (b: MaskedBatch): Record<string, HostTensor> => ({
    input_ids: b.inputIds, attention_mask: b.attentionMask, read_index: b.readIndex, read_labels: b.readLabels,
    ...(config.conditioning === "embedding" ? { species_ids: b.speciesIds } : {}),
  });
  await mkdir(o.out, { recursive: true });
  const logPath = join(o.out, "train_log.jsonl");
  const log = async (e: LogEntry) => {
    o.onLog?.(e);
    await appendFile(logPath, JSON.stringify(e) + "\n");
  };
  const runValidation = async (step: number): Promise<ValidationResult | null> => {
    if (!evalSession) return null;
    const v = await validate(evalSession, weights, vBatches, feedsOf,
      { ids: validSplit.ids, species: validSplit.species, head: validSplit.head, firstBase: firstBaseTable(vocab.kmerIds, vocab.size, vocab.k) }, species, vocab.k);
    const per = Object.values(v.perSpecies);
    await log({ kind: "valid", step, loss: v.loss, perSpecies: v.perSpecies,
      meanAccuracy: per.reduce((a, x) => a + x.accuracy, 0) / Math.max(1, per.length),
      meanCrossEntropy: per.reduce((a, x) => a + x.crossEntropy, 0) / Math.max(1, per.length) });
    return v;
  };
  const checkpoint = async (step: number) => {
    await saveCheckpoint(ckDir, { config, vocab, weights, optimizer: moments, state: { formatVersion: 1, step, run: runKey(o), species } });
    await log({ kind: "checkpoint", step, dir: ckDir });
  };

  let step = start;
  let last: ValidationResult | null = null;
  const schedule = { peak: o.lr, warmupSteps: o.warmup, totalSteps: o.steps, decay: o.decay, floor: 0 };
  while (step < o.steps && !o.signal?.aborted) {
    const t0 = performance.now();
    const batch = maskedBatch(trainSplit, rowsForStep(trainSplit, o.batchSize, step, o.seed), mask, o.seed, step);
    const lr = learningRate(schedule, step);
    const feeds: Record<string, HostTensor> = { ...feedsOf(batch), lr: f32([], [lr]), adam_step: f32([], [step + 1]) };
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
    await log({ kind: "step", step, loss: (out.loss!.data as Float32Array)[0]!, lr, gradNorm: (out.grad_norm!.data as Float32Array)[0]!,
      tokensPerSecond: (o.batchSize * trainSplit.tokens) / secs });
    if (step % o.validEvery === 0 || step === o.steps) {
      last = await runValidation(step);
      await checkpoint(step);
    }
  }
  const interrupted = step < o.steps;
  if (interrupted) await checkpoint(step);
  await stepSession.release();
  await evalSession?.release();
  return { steps: step, checkpoint: ckDir, lastValidation: last, interrupted };
}
