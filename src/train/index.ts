// Training: re-exports only.
export { train } from "./trainer.js";
export type { LogEntry, TrainOptions, TrainResult } from "./trainer.js";
export { buildLossGraph, IGNORE_INDEX } from "./loss-graph.js";
export { buildEvalGraph, buildStepGraph } from "./step-graph.js";
export { appendAdamW, clipByGlobalNorm } from "./optimizer-graph.js";
export { maskingConfig, maskKmerTokens } from "./masking.js";
export { learningRate } from "./schedule.js";
export { trainInChild, trainSideBySide } from "./train-in-child.js";
