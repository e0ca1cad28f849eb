// ONNX Runtime sessions and the loaded masked LM: re-exports only.
export { fromOrtTensor, Session, toOrtTensor } from "./session.js";
export type { SessionOptions } from "./session.js";
export { MaskedLanguageModel } from "./masked-lm.js";
export type { GraphVariant, ModelFeeds } from "./masked-lm.js";
export {
  checkDevice,
  currentDeviceEnvironment,
  describeDeviceFailure,
  DEVICES,
  executionProviders,
  missingForDevice,
  parseDevice,
} from "./device.js";
export type { Device, DeviceEnvironment } from "./device.js";
export { MaskedLanguageModelBase } from "./masked-lm-base.js";
export type { GraphOptions, ModelSession } from "./masked-lm-base.js";
export {
  checkSequenceLength,
  FIVE_PRIME_FILL_SEED,
  fivePrimeFill,
  leftPadding,
  maxSequenceLength,
  modelWindow,
} from "./sequence-window.js";
export type { WindowModel } from "./sequence-window.js";
