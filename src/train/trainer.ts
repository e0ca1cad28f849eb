import { join } from "node:path";
import { InputError } from "../errors.js";
import { f32, type HostTensor } from "../host-tensor.js";
import { curriculumLr, optimizerOrigin, type PlacedStage, placeStages, stageAt } from "./curriculum.js";
import { openRunLog } from "./run-log.js";
import { checkpointDir, DEFAULT_K, readRunCorpus, resumableState, resumeRun, runK, saveRun, startRun } from "./run-state.js";
import { checkSchedule } from "./schedule.js";
import type { LogEntry, TrainOptions, TrainResult } from "./train-options.js";
import { TrainSessions } from "./train-sessions.js";
import type { ValidationResult } from "./validate.js";

export type { LogEntry, TrainOptions, TrainResult };

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
  const corpus = await readRunCorpus(o.corpus);
  const run = saved ? await resumeRun(o, saved) : await startRun(o, stages, corpus);
  const sessions = await TrainSessions.open(o, run, stages, corpus);
  const log = await openRunLog(o.out, saved ? run.start : undefined, o.onLog);
  const checkpoint = async (step: number, dir: string) => {
    await saveRun(dir, run, o, corpus.species, step);
    await log({ kind: "checkpoint", step, dir });
  };

  let step = run.start;
  let last: ValidationResult | null = null;
  while (step < o.steps && !o.signal?.aborted) {
    const t0 = performance.now();
    const placed = stageAt(stages, step);
    if (step === placed.start && stages.length > 1) await log(enterStage(placed, step, o.lr, run.moments));
    const lr = curriculumLr(placed, o.lr, step);
    const { loss, gradNorm } = await sessions.step(placed, step, lr, step - optimizerOrigin(stages, placed) + 1);
    step++;
    await log({ kind: "step", step, loss, lr, gradNorm, tokensPerSecond: sessions.tokensPerStep / ((performance.now() - t0) / 1000) });
    const stageEnds = step === placed.end;
    if (step % o.validEvery === 0 || stageEnds) {
      last = await sessions.validate();
      if (last) await log(validationEntry(step, last));
      await checkpoint(step, checkpointDir(o.out));
      // Each stage's model stays loadable on its own (stage-N-NAME/), e.g. to compare stages.
      if (stageEnds && stages.length > 1 && step < o.steps) await checkpoint(step, join(o.out, `stage-${placed.index + 1}-${placed.stage.name}`));
    }
  }
  const interrupted = step < o.steps;
  if (interrupted) await checkpoint(step, checkpointDir(o.out));
  await sessions.release();
  return { steps: step, checkpoint: checkpointDir(o.out), lastValidation: last, interrupted };
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
 * Enters stage `placed` at `step`: a fresh AdamW state unless it keeps the last one
 * (docs/decisions/k1-curriculum.md). Returns the stage's log entry.
 */
function enterStage(placed: PlacedStage, step: number, peakLr: number, moments: Map<string, HostTensor<"float32">>): LogEntry {
  if (placed.index > 0 && placed.stage.optimizer !== "keep") for (const [n, t] of moments) moments.set(n, f32(t.shape));
  return { kind: "stage", step, stage: placed.index + 1, name: placed.stage.name, steps: placed.end - placed.start, lr: peakLr * placed.stage.lrScale };
}

/** A validation's log entry: its loss, per-species numbers and their unweighted means. */
function validationEntry(step: number, v: ValidationResult): LogEntry {
  const per = Object.values(v.perSpecies);
  const mean = (f: (x: (typeof per)[number]) => number) => per.reduce((a, x) => a + f(x), 0) / Math.max(1, per.length);
  return { kind: "valid", step, loss: v.loss, perSpecies: v.perSpecies, meanAccuracy: mean((x) => x.accuracy), meanCrossEntropy: mean((x) => x.crossEntropy) };
}
