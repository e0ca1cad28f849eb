import { InputError } from "../errors.js";

export type DecayKind = "linear" | "cosine" | "constant";

export interface LrSchedule {
  readonly peak: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
  readonly decay: DecayKind;
  /** Fraction of the peak left at the end of the decay. */
  readonly floor: number;
}

/** Learning rate at `step` (0-based): linear warmup to the peak, then the chosen decay. */
export function learningRate(s: LrSchedule, step: number): number {
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  if (s.decay === "constant") return s.peak;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const t = Math.min(1, (step - s.warmupSteps) / span);
  const shape = s.decay === "linear" ? 1 - t : 0.5 * (1 + Math.cos(Math.PI * t));
  return s.peak * (s.floor + (1 - s.floor) * shape);
}

export function checkSchedule(s: LrSchedule): void {
  if (!(s.peak > 0 && s.peak < 1)) throw new InputError(`--lr must be in (0, 1), got ${s.peak}`);
  if (s.warmupSteps < 0 || s.warmupSteps > s.totalSteps) throw new InputError(`--warmup must be in [0, steps], got ${s.warmupSteps}`);
}
