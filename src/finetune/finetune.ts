import { existsSync } from "node:fs";
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { f32, type HostTensor } from "../host-tensor.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { ReadoutTable } from "../readout/readout-table.js";
import { regressionMetrics } from "../readout/regression-metrics.js";
import type { MaskedLanguageModelBase } from "../runtime/masked-lm-base.js";
import { Session } from "../runtime/session.js";
import { readOptimizerState, readTrainerState, recoverCheckpoint, runMismatches, type TrainerState } from "../train/checkpoint.js";
import { trimRunLog } from "../train/run-log.js";
import { learningRate } from "../train/schedule.js";
import { stepNames } from "../train/step-graph.js";
import { encodeRecords, epochOrder, maskFeed, rowFeeds, validationSplit } from "./finetune-data.js";
import { buildFinetuneStepGraph, FROZEN_HIDDEN } from "./finetune-graph.js";
import { FrozenPrefix } from "./frozen-prefix.js";
import { type FinetuneMeta, loadFinetuned, saveFinetuneCheckpoint } from "./finetune-run.js";
import { type FinetuneTask, fromHeadOutput, initHead, recordLoss, targetScale } from "./head.js";
import { HeadPredictor, predictionFeeds } from "./predict.js";
import { firstTrainedLayer, type TrainableLayers, trainableParams } from "./trainable.js";

export interface FinetuneOptions {
  /** The pretrained model (its folder's weights are the starting point). */
  readonly model: MaskedLanguageModelBase;
  /** A name of the model for the run key (a --resume with another model is refused). */
  readonly modelName: string;
  readonly table: ReadoutTable;
  readonly target: string;
  /** Records to train on (train + validation split); default all. Cross-validation passes a fold's complement. */
  readonly rows?: Int32Array;
  readonly out: string;
  readonly layers: TrainableLayers;
  /** Regression or 0/1 classification; default: classification when every target is 0 or 1. */
  readonly task?: FinetuneTask;
  readonly transform?: "none" | "log";
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  /** Warmup as a fraction of all steps (linear warmup, then linear decay to 0). */
  readonly warmup: number;
  readonly weightDecay: number;
  readonly dropout: number;
  readonly maxGradNorm: number;
  readonly seed: number;
  /** Share of the records (whole groups) held out for validation and early stopping. */
  readonly validFraction: number;
  /** Steps between validations; default one epoch. */
  readonly validEvery?: number;
  /** Stop after this many validations without a lower loss. */
  readonly patience: number;
  readonly resume: boolean;
  readonly speciesProxy?: string;
  readonly threads?: number;
  readonly providers?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onLog?: (e: FinetuneLogEntry) => void;
  /** The frozen part's outputs for this model and table (cross-validation shares them across folds); made here when absent. */
  readonly frozen?: FrozenPrefix;
  /** Records to predict with the best model at the end (cross-validation's held-out fold). */
  readonly predict?: Int32Array;
}

export type FinetuneLogEntry =
  | { kind: "start"; step: number; totalSteps: number; train: number; valid: number; task: FinetuneTask; trainable: number }
  | { kind: "step"; step: number; epoch: number; loss: number; lr: number; gradNorm: number }
  | { kind: "valid"; step: number; loss: number; r2: number; pearson: number; spearman: number; best: boolean }
  | { kind: "checkpoint"; step: number; dir: string }
  | { kind: "stop"; step: number; reason: "patience" | "done" | "interrupted"; bestStep: number; bestLoss: number };

export interface FinetuneResult {
  readonly steps: number;
  readonly totalSteps: number;
  readonly bestStep: number;
  readonly bestLoss: number;
  readonly stoppedEarly: boolean;
  readonly interrupted: boolean;
  readonly train: Int32Array;
  readonly valid: Int32Array;
  /** Validation predictions of the best model (target units), in `valid` order. */
  readonly validPredictions: Float64Array;
  /** Predictions of the best model (target units) for `predict`, in its order (empty without it). */
  readonly predictions: Float64Array;
  /** The best weights (encoder + head), for predicting without reading them back. */
  readonly best: { readonly weights: ReadonlyMap<string, HostTensor<"float32">>; readonly meta: FinetuneMeta };
  readonly checkpoint: string;
  readonly bestDir: string;
}

/** True when every value is 0 or 1 (a 0/1 target is fitted as a classification). */
export const isBinary = (y: ArrayLike<number>): boolean => Array.prototype.every.call(y, (v: number) => v === 0 || v === 1);

function runKey(o: FinetuneOptions, task: FinetuneTask): TrainerState["run"] {
  return {
    model: o.modelName,
    table: o.table.path,
    target: o.target,
    task,
    layers: String(o.layers),
    epochs: o.epochs,
    batchSize: o.batchSize,
    lr: o.lr,
    warmup: o.warmup,
    weightDecay: o.weightDecay,
    dropout: o.dropout,
    maxGradNorm: o.maxGradNorm,
    seed: o.seed,
    validFraction: o.validFraction,
    patience: o.patience,
    rows: o.rows ? o.rows.length : o.table.ids.length,
    transform: o.transform ?? "none",
    ...(o.validEvery !== undefined ? { validEvery: o.validEvery } : {}),
  };
}

/**
 * Fine-tunes a pretrained encoder plus a linear head on one measurement. Each step is one run of the
 * step graph (forward, loss, gradients of the trainable parameters, AdamW); with `--layers N` it starts
 * from the frozen part's output, computed once per record (FrozenPrefix), which validation reads too. Validation every epoch on held-out groups; the best model is kept in OUT/best, the last
 * state in OUT/checkpoint (for --resume).
 */
export async function finetune(o: FinetuneOptions): Promise<FinetuneResult> {
  const model = o.model;
  const c = model.config;
  const yAll = o.table.targets.get(o.target);
  if (!yAll) throw new InputError(`${o.table.path}: no target column "${o.target}" was read`);
  const rows = o.rows ?? Int32Array.from(o.table.ids.keys());
  const groups = Array.from(rows, (r) => o.table.groups?.[r] ?? o.table.ids[r]!);
  const split = validationSplit(groups, o.validFraction, o.seed, `${o.table.path} (${rows.length} records)`);
  const train = split.train.map((i) => rows[i]!);
  const valid = split.valid.map((i) => rows[i]!);
  const task = o.task ?? (isBinary(yAll) ? "classification" : "regression");
  const scale = task === "regression" ? targetScale(Array.from(train, (r) => yAll[r]!)) : { mean: 0, std: 1 };
  const encoded = o.frozen?.encoded ?? encodeRecords(model, o.table, o.speciesProxy);
  const B = Math.min(o.batchSize, train.length);
  const perEpoch = Math.floor(train.length / B);
  const total = o.epochs * perEpoch;
  const validEvery = o.validEvery ?? perEpoch;
  const trainable = trainableParams(c, o.layers);
  const ckDir = join(o.out, "checkpoint");
  const bestDir = join(o.out, "best");
  const logPath = join(o.out, "train_log.jsonl");
  const key = runKey(o, task);

  let weights = new Map<string, HostTensor<"float32">>([...(model.folder.weights as Map<string, HostTensor<"float32">>), ...initHead(c.hiddenSize, o.seed)]);
  let moments = new Map<string, HostTensor<"float32">>();
  let meta: FinetuneMeta = {
    formatVersion: 1,
    task,
    target: o.target,
    transform: o.transform ?? "none",
    scale,
    layers: o.layers,
    step: 0,
    bestStep: 0,
    bestLoss: Infinity,
    badEvals: 0,
    stopped: false,
  };
  await recoverCheckpoint(ckDir);
  if (existsSync(ckDir)) {
    if (!o.resume) throw new InputError(`${ckDir} already holds a checkpoint; pass --resume to continue it, or choose another -o`);
    const state = await readTrainerState(ckDir);
    const diff = runMismatches(state.run, key);
    if (diff.length) throw new InputError(`cannot resume ${ckDir}: the run options differ (${diff.join("; ")}); the checkpoint is left untouched`);
    const saved = await loadFinetuned(ckDir);
    weights = new Map(saved.weights);
    moments = await readOptimizerState(ckDir);
    meta = saved.meta;
  }
  for (const n of trainable) {
    for (const k of [stepNames.m(n), stepNames.v(n)]) if (!moments.has(k)) moments.set(k, f32(weights.get(n)!.shape));
  }
  // A resumed run's best model is on disk (the starting model is saved as best at step 0).
  let best: { weights: ReadonlyMap<string, HostTensor<"float32">>; meta: FinetuneMeta } =
    meta.step > 0 ? await loadFinetuned(bestDir) : { weights: new Map(weights), meta };

  const sessionOpts = { ...(o.threads ? { threads: o.threads } : {}), ...(o.providers ? { providers: o.providers } : {}) };
  const stepSession = await Session.create(
    buildFinetuneStepGraph(c, {
      batch: B,
      tokens: encoded.tokens,
      task,
      layers: o.layers,
      dropout: o.dropout,
      dropoutSeed: o.seed,
      weightDecay: o.weightDecay,
      maxGradNorm: o.maxGradNorm,
    }),
    sessionOpts,
  );
  let predictor: HeadPredictor | null = null;
  const first = firstTrainedLayer(c, o.layers);
  let frozen: FrozenPrefix | null = null;
  await mkdir(o.out, { recursive: true });
  if (meta.step > 0) await trimRunLog(logPath, meta.step);
  else await writeFileAtomic(logPath, "");
  const log = async (e: FinetuneLogEntry) => {
    o.onLog?.(e);
    await appendFile(logPath, JSON.stringify(e) + "\n");
  };
  const targetFeed = (r: ArrayLike<number>): Record<string, HostTensor> =>
    task === "classification"
      ? { label: { dtype: "int64", shape: [r.length], data: BigInt64Array.from(Array.from(r), (i) => BigInt(yAll[i]!)) } }
      : {
          target: f32(
            [r.length],
            Array.from(r, (i) => (yAll[i]! - scale.mean) / scale.std),
          ),
        };
  const validate = async (w: ReadonlyMap<string, HostTensor<"float32">>) => {
    const z = await predictor!.outputs(w, valid, o.batchSize);
    let loss = 0;
    z.forEach((v, i) => (loss += recordLoss(task, scale, v, yAll[valid[i]!]!)));
    const pred = z.map((v) => fromHeadOutput(task, scale, v));
    return {
      loss: loss / z.length,
      pred,
      metrics: regressionMetrics(
        Array.from(valid, (r) => yAll[r]!),
        pred,
      ),
    };
  };
  const writeValidPredictions = (pred: Float64Array) =>
    writeFileAtomic(
      join(o.out, "valid_predictions.tsv"),
      `id\t${o.target}\tprediction\n` + Array.from(valid, (r, i) => `${o.table.ids[r]}\t${yAll[r]}\t${pred[i]}\n`).join(""),
    );
  const save = async (dir: string, w: ReadonlyMap<string, HostTensor<"float32">>, opt: ReadonlyMap<string, HostTensor<"float32">>) => {
    await saveFinetuneCheckpoint(dir, {
      config: c,
      vocab: model.folder.vocab,
      weights: w,
      optimizer: opt,
      meta,
      state: { formatVersion: 1, step: meta.step, run: key, species: model.folder.vocab.speciesNames },
    });
  };

  await log({
    kind: "start",
    step: meta.step,
    totalSteps: total,
    train: train.length,
    valid: valid.length,
    task,
    trainable: trainable.length,
  });
  let bestPred: Float64Array | null = null;
  let predictions = new Float64Array(0);
  let interrupted = false;
  try {
    if (first !== null) frozen = o.frozen ?? (await FrozenPrefix.create(c, first, weights, encoded, sessionOpts));
    predictor = await HeadPredictor.create(c, encoded, frozen, sessionOpts);
    if (meta.step === 0) {
      const v = await validate(weights);
      meta = { ...meta, bestLoss: v.loss };
      best = { weights: new Map(weights), meta };
      bestPred = v.pred;
      await log({ kind: "valid", step: 0, loss: v.loss, ...v.metrics, best: true });
      await save(bestDir, weights, new Map());
      await writeValidPredictions(v.pred);
    }
    while (meta.step < total && !meta.stopped) {
      if (o.signal?.aborted) {
        interrupted = true;
        break;
      }
      const step = meta.step;
      const epoch = Math.floor(step / perEpoch);
      const order = epochOrder(train, o.seed, epoch);
      const batch = order.subarray((step % perEpoch) * B, ((step % perEpoch) + 1) * B);
      const lr = learningRate({ peak: o.lr, warmupSteps: Math.round(o.warmup * total), totalSteps: total, decay: "linear", floor: 0 }, step);
      const inputs: Record<string, HostTensor> = frozen
        ? { [FROZEN_HIDDEN]: await frozen.hidden(batch), attention_mask: maskFeed(encoded, batch) }
        : { ...predictionFeeds(c, weights), ...rowFeeds(encoded, batch) };
      if (frozen) for (const n of trainable) inputs[n] = weights.get(n)!;
      const feeds: Record<string, HostTensor> = {
        ...inputs,
        ...targetFeed(batch),
        lr: f32([], [lr]),
        adam_step: f32([], [step + 1]),
      };
      for (const [n, t] of moments) feeds[n] = t;
      const out = await stepSession.run(feeds);
      for (const n of trainable) {
        weights.set(n, out[stepNames.newParam(n)] as HostTensor<"float32">);
        moments.set(stepNames.m(n), out[stepNames.newM(n)] as HostTensor<"float32">);
        moments.set(stepNames.v(n), out[stepNames.newV(n)] as HostTensor<"float32">);
      }
      meta = { ...meta, step: step + 1 };
      await log({
        kind: "step",
        step: step + 1,
        epoch,
        loss: (out.loss!.data as Float32Array)[0]!,
        lr,
        gradNorm: (out.grad_norm!.data as Float32Array)[0]!,
      });
      if (meta.step % validEvery === 0 || meta.step === total) {
        const v = await validate(weights);
        const improved = v.loss < meta.bestLoss;
        meta = improved ? { ...meta, bestStep: meta.step, bestLoss: v.loss, badEvals: 0 } : { ...meta, badEvals: meta.badEvals + 1 };
        await log({ kind: "valid", step: meta.step, loss: v.loss, ...v.metrics, best: improved });
        if (meta.badEvals >= o.patience) meta = { ...meta, stopped: true };
        if (improved) {
          best = { weights: new Map(weights), meta };
          bestPred = v.pred;
          await save(bestDir, weights, new Map());
          await writeValidPredictions(v.pred);
        }
        await save(ckDir, weights, moments);
        await log({ kind: "checkpoint", step: meta.step, dir: ckDir });
      }
    }
    if (interrupted) {
      await save(ckDir, weights, moments);
      await log({ kind: "checkpoint", step: meta.step, dir: ckDir });
    }
    if (bestPred === null) bestPred = (await validate(best.weights)).pred;
    if (o.predict) predictions = (await predictor.outputs(best.weights, o.predict, o.batchSize)).map((v) => fromHeadOutput(task, scale, v));
    await log({
      kind: "stop",
      step: meta.step,
      reason: interrupted ? "interrupted" : meta.stopped ? "patience" : "done",
      bestStep: meta.bestStep,
      bestLoss: meta.bestLoss,
    });
  } finally {
    await stepSession.release();
    await predictor?.release();
    if (frozen !== o.frozen) await frozen?.release();
  }
  return {
    steps: meta.step,
    totalSteps: total,
    bestStep: meta.bestStep,
    bestLoss: meta.bestLoss,
    stoppedEarly: meta.stopped,
    interrupted,
    train,
    valid,
    validPredictions: bestPred,
    predictions,
    best,
    checkpoint: ckDir,
    bestDir,
  };
}
