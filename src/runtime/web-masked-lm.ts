import { InputError, WeightsError } from "../errors.js";
import { describeOnnx } from "../graph/onnx/serialize.js";
import { filesSource, type FileSource, type NamedBlob } from "../io/file-source.js";
import { loadModelFrom, type ModelFolder, type ModelHeader, readModelHeader, type WeightsReader } from "../model/model-loader.js";
import type { WEIGHT_FILES } from "../hub/model-files.js";
import { countParams, paramLayout } from "../model/param-layout.js";
import { parseSafetensors } from "../model/safetensors-parse.js";
import { parseTorchCheckpoint } from "../model/torch-pickle-parse.js";
import { type GraphOptions, type GraphVariant, MaskedLanguageModelBase, type ModelSession } from "./masked-lm-base.js";
import { WebSession, type WebSessionOptions } from "./web-session.js";

/**
 * The masked LM in a browser (or any onnxruntime-web host): loads from picked files, never from paths,
 * and imports nothing from Node. Same API as MaskedLanguageModel, so reconstruct and embed take it.
 */
export interface WebModelOptions extends WebSessionOptions, GraphOptions {
  /** Refuse models whose float32 weights exceed this many bytes before reading them (default 1 GiB). */
  readonly maxWeightBytes?: number;
}

/**
 * wasm32 memory ends at 4 GiB, and while a graph is built the weights exist ~3 times (the float32
 * tensors in JavaScript, the ONNX bytes, ORT's initializers in wasm memory): 1 GiB of weights
 * (268 M parameters; the published SpeciesLM has ~90 M) is what fits with room for activations.
 */
export const DEFAULT_MAX_WEIGHT_BYTES = 2 ** 30;

const MB = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MB`;

/** Throws before anything large is read when the model would not fit the browser's memory. */
export function checkModelFits(header: ModelHeader, weightBytes: number, limit: number): void {
  if (weightBytes <= limit) return;
  const c = header.config;
  throw new InputError(
    `${header.dir}: this model is too large for the browser's memory: its float32 weights take ${MB(weightBytes)} ` +
      `(${c.numHiddenLayers} layers, hidden ${c.hiddenSize}) and the browser can hold ${MB(limit)} ` +
      `(wasm memory ends at 4 GB and the weights are held ~3 times while the graph is built); ` +
      `run it with the command line instead (specieslm reconstruct)`,
  );
}

/** Which graph an `export-onnx` file holds: its doc string names it; else its outputs tell. */
export function onnxVariant(bytes: Uint8Array, file: string): GraphVariant {
  const d = describeOnnx(bytes);
  const named = /^specieslm (\S+) graph/.exec(d.docString)?.[1];
  if (named) return named as GraphVariant;
  const outs = new Set(d.outputs);
  if (outs.has("kmer_nucleotide_probs")) return "kmer-nucleotides";
  if (outs.has("logits")) return d.outputs.some((o) => o.startsWith("hidden_states.")) ? "logits+hidden" : "logits";
  if (d.outputs.some((o) => o.startsWith("hidden_states."))) return "hidden";
  throw new WeightsError(`${file}: not a specieslm graph (outputs ${d.outputs.join(", ")}); write one with specieslm export-onnx`);
}

/** Weight files the browser reads, in the order model-folder.ts prefers them on disk. */
const WEB_READERS: Readonly<Record<(typeof WEIGHT_FILES)[number], WeightsReader>> = {
  "model.safetensors": async (s, f) => parseSafetensors(await s.bytes(f), s.path(f)).tensors,
  // torch.save stores entries uncompressed; a deflated one is an error naming the fix.
  "pytorch_model.bin": async (s, f) => parseTorchCheckpoint(await s.bytes(f), s.path(f)),
};

function isSource(x: FileSource | Iterable<NamedBlob>): x is FileSource {
  return typeof (x as FileSource).path === "function";
}

export class WebMaskedLanguageModel extends MaskedLanguageModelBase {
  private constructor(
    folder: ModelFolder,
    private readonly options: WebModelOptions,
    prebuilt?: ReadonlyMap<GraphVariant, Uint8Array>,
  ) {
    super(folder, options, prebuilt);
  }

  /**
   * Loads a model from picked files (a directory pick or a multi-file pick): config.json, vocab.txt
   * (+ special_tokens_map.json) and model.safetensors or pytorch_model.bin, or an `.onnx` file from `specieslm export-onnx`
   * in place of the weights. The size check runs on config.json before the weights are read.
   */
  static async load(files: FileSource | Iterable<NamedBlob>, options: WebModelOptions = {}): Promise<WebMaskedLanguageModel> {
    const src = isSource(files) ? files : filesSource(files);
    const limit = options.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
    const header = await readModelHeader(src);
    checkModelFits(header, countParams(paramLayout(header.config)) * 4, limit);
    if (src.has("model.safetensors") || src.has("pytorch_model.bin")) {
      return new WebMaskedLanguageModel(await loadModelFrom(src, WEB_READERS, ""), options);
    }
    const onnx = src.list().find((f) => f.endsWith(".onnx"));
    if (onnx !== undefined) {
      checkModelFits(header, src.size(onnx), limit);
      const bytes = await src.bytes(onnx);
      const folder = { ...header, weights: new Map(), weightsFile: src.path(onnx) };
      return new WebMaskedLanguageModel(folder, options, new Map([[onnxVariant(bytes, src.path(onnx)), bytes]]));
    }
    throw new WeightsError(`a folder without weights: expected model.safetensors, pytorch_model.bin or an .onnx file from specieslm export-onnx in ${src.dir}`);
  }

  protected createSession(onnx: Uint8Array): Promise<ModelSession> {
    return WebSession.create(onnx, this.options);
  }
}
