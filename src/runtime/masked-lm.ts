import { loadModelFolder, type ModelFolder } from "../model/model-folder.js";
import { type GraphOptions, MaskedLanguageModelBase, type ModelSession } from "./masked-lm-base.js";
import { int8LayoutForThisCpu } from "./int8-layout.js";
import { Session, type SessionOptions } from "./session.js";

export { MaskedLanguageModelBase } from "./masked-lm-base.js";
export type { GraphOptions, GraphVariant, ModelFeeds, ModelSession } from "./masked-lm-base.js";

/** Session options plus graph-level choices that change the ONNX bytes a variant is built into. */
export interface ModelOptions extends SessionOptions, GraphOptions {}

/** A masked LM on onnxruntime-node; the browser twin is WebMaskedLanguageModel (web-masked-lm.ts). */
export class MaskedLanguageModel extends MaskedLanguageModelBase {
  constructor(
    folder: ModelFolder,
    private readonly options: ModelOptions = {},
  ) {
    super(folder, { ...options, int8Weights: options.int8Weights ?? int8LayoutForThisCpu() });
  }

  /** Loads a model folder (model.safetensors or pytorch_model.bin) for inference. */
  static async load(dir: string, options: ModelOptions = {}): Promise<MaskedLanguageModel> {
    return new MaskedLanguageModel(await loadModelFolder(dir), options);
  }

  protected createSession(onnx: Uint8Array): Promise<ModelSession> {
    return Session.create(onnx, this.options);
  }
}
