// Model folder API: re-exports only.
export { parseBertConfig, bertConfigToJson } from "./config.js";
export type { BertConfig, Conditioning } from "./config.js";
export { PRESETS, presetConfig, readConfigFile } from "./presets.js";
export type { PresetName, PresetOptions } from "./presets.js";
export { paramLayout, countParams, SPECIES_EMBEDDINGS, TIED_DECODER_WEIGHT, TIED_DECODER_BIAS } from "./param-layout.js";
export { readSafetensors, writeSafetensors, parseSafetensors, encodeSafetensors, decodeTensor } from "./safetensors.js";
export type { SafetensorsFile } from "./safetensors.js";
export { SafetensorsStreamWriter } from "./safetensors-stream.js";
export { readTorchCheckpoint, listZip, zipEntryData } from "./torch-pickle.js";
export { normaliseWeights, weightsForSaving } from "./weights.js";
export type { Weights } from "./weights.js";
export {
  loadModelFolder,
  saveModelFolder,
  readModelConfig,
  findWeightsFile,
  readWeightsFile,
} from "./model-folder.js";
export { WEIGHT_FILES } from "../hub/model-files.js";
export type { ModelFolder, SaveModelInput } from "./model-folder.js";
export { initWeights } from "./init-weights.js";
export { LOG_ODDS_EPS } from "./nucleotide-dependency.js";
