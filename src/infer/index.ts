// Inference jobs: re-exports only.
export { reconstruct } from "./reconstruct.js";
export type { ReconstructItem, ReconstructOptions } from "./reconstruct.js";
export { defaultEmbeddingLayer, embedSequences } from "./embed.js";
export type { EmbedOptions } from "./embed.js";
export { readSequenceInput } from "./sequence-input.js";
export type { SequenceInputOptions } from "./sequence-input.js";
export { lmPredictor } from "./lm-predictor.js";
export type { LmPredictorOptions } from "./lm-predictor.js";
export { loadEvaluationRecords } from "./evaluation-records.js";
export { reconstructStream } from "./reconstruct-stream.js";
export type { ReconstructStreamOptions } from "./reconstruct-stream.js";
export { countSequenceRecords, openSequenceStream } from "./sharded-input.js";
export type { SequenceStream } from "./sharded-input.js";
export { parseSequenceText } from "./sequence-record.js";
export { RECONSTRUCTION_TSV_HEADER, reconstructionTsvRows } from "./reconstruction-tsv.js";
export type { ReconstructionRecord } from "./reconstruction-tsv.js";
export { readReconstructionTsv } from "./reconstruction-tsv-reader.js";
