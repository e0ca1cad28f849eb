import { type Curriculum, defaultCurriculum } from "./curriculum.js";
import type { DecayKind } from "./schedule.js";

/** A training run's defaults, in one place: `specieslm train` shows them in --help, the demo trains with them. */
export const TRAIN_DEFAULTS = {
  conditioning: "token",
  config: "small",
  steps: 1000,
  batchSize: 32,
  lr: 2e-3,
  seed: 1,
  validEvery: 200,
  validPerSpecies: 32,
  dropout: 0,
  weightDecay: 0.01,
  maxGradNorm: 1,
  init: "structured",
  /** Single-stage runs only (a warmup, a decay and a masking instead of the built-in curriculum). */
  warmup: 100,
  decay: "linear",
  maskReplace: "bert",
} as const;

/** The built-in recipe for token size k: its curriculum, with no extra warmup and one linear decay through the stages. */
export function defaultRecipe(k: number): { schedule: Curriculum; warmup: number; decay: DecayKind } {
  return { schedule: defaultCurriculum(k), warmup: 0, decay: "linear" };
}
