// Fine-tuning a pretrained encoder with a head on a measurement, and predicting with it: re-exports only.
export { finetune, isBinary } from "./finetune.js";
export type { FinetuneLogEntry, FinetuneOptions, FinetuneResult } from "./finetune.js";
export {
  buildFinetuneForward,
  buildFinetunePredictGraph,
  buildFinetuneStepGraph,
  buildFrozenPrefixGraph,
  buildTrainedPartPredictGraph,
  FROZEN_HIDDEN,
  finetuneLayout,
  finetuneOutput,
  taskLoss,
} from "./finetune-graph.js";
export { encodeRecords, validationSplit } from "./finetune-data.js";
export { finetunedDir, loadFinetuned } from "./finetune-run.js";
export type { FinetunedModel, FinetuneMeta } from "./finetune-run.js";
export { HEAD_BIAS, HEAD_WEIGHT } from "./head.js";
export type { FinetuneTask } from "./head.js";
export { HeadPredictor, predictFinetuned } from "./predict.js";
export { defaultFinetuneLr, firstTrainedLayer, parseLayers, trainableParams } from "./trainable.js";
export { FROZEN_CACHE_BYTES, FrozenPrefix } from "./frozen-prefix.js";
export type { TrainableLayers } from "./trainable.js";
export { crossValidateFinetune } from "./cross-validate.js";
export type { CrossValidateOptions, CrossValidateResult } from "./cross-validate.js";
