import { f32, type HostTensor } from "../host-tensor.js";
import { mulberry32 } from "../rng.js";

/**
 * The prediction head on top of a pretrained encoder: one linear unit on the mean-pooled last hidden
 * state. "regression" fits a standardised target by mean squared error; "classification" (a 0/1
 * target) reads the unit as a logit and fits it by binary cross-entropy.
 */
export type FinetuneTask = "regression" | "classification";

/** Parameter names of the head (kept out of the Hugging Face model folder, in head.safetensors). */
export const HEAD_WEIGHT = "head.weight";
export const HEAD_BIAS = "head.bias";

/** Head weights [1, H] ~ normal(0, 0.02) (BERT's initializer range) and bias 0: the first prediction is the target mean. */
export function initHead(hidden: number, seed: number): Map<string, HostTensor<"float32">> {
  const rng = mulberry32(seed ^ 0x4ead);
  return new Map([
    [
      HEAD_WEIGHT,
      f32(
        [1, hidden],
        Array.from({ length: hidden }, () => 0.02 * rng.normal()),
      ),
    ],
    [HEAD_BIAS, f32([1], [0])],
  ]);
}

/** How the head's raw output maps to the target's units (standardisation for regression). */
export interface TargetScale {
  readonly mean: number;
  readonly std: number;
}

/** The scale that standardises `y` (std 1 for a constant column, so nothing divides by zero). */
export function targetScale(y: ArrayLike<number>): TargetScale {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i]!;
  mean /= Math.max(1, y.length);
  let ss = 0;
  for (let i = 0; i < y.length; i++) ss += (y[i]! - mean) ** 2;
  const std = Math.sqrt(ss / Math.max(1, y.length));
  return { mean, std: std > 0 ? std : 1 };
}

/** A prediction in the target's units from the head's raw output: mean + std * z, or sigmoid(z) for a 0/1 target. */
export function fromHeadOutput(task: FinetuneTask, scale: TargetScale, z: number): number {
  return task === "classification" ? 1 / (1 + Math.exp(-z)) : scale.mean + scale.std * z;
}

/** The per-record loss the step graph minimises, in the same units (standardised squared error, or BCE). */
export function recordLoss(task: FinetuneTask, scale: TargetScale, z: number, y: number): number {
  if (task === "classification") return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
  return (z - (y - scale.mean) / scale.std) ** 2;
}
