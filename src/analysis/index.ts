// Evaluation of predictors and the species experiments (held-out species, species swap): re-exports only.
export { evaluatePredictors, motifMask } from "./evaluate.js";
export type { EvaluateOptions } from "./evaluate.js";
export { PROBABILITY_FLOOR, scoreNucleotides } from "./nucleotide-scores.js";
export type { NucleotideScores } from "./nucleotide-scores.js";
export { PairedAccumulator } from "./paired-accumulator.js";
export { ReconstructionAccumulator } from "./reconstruction-accumulator.js";
export * from "./species-swap.js";
export * from "./species-swap-variants.js";
export * from "./held-out-species.js";
export { DEMO_DEFAULTS, DEMO_MODELS, DEMO_SIMULATION, demoHeadline, demoPreferenceTable, demoVerdict, runDemo } from "./demo.js";
export type { DemoHeadline, DemoOptions, DemoProgress, DemoResult } from "./demo.js";
export { siteSource } from "./site-source.js";
export type { SiteSource } from "./site-source.js";
