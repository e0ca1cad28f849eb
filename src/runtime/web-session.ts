import * as ort from "onnxruntime-web";
import { SpeciesLmError } from "../errors.js";
import type { DType, HostTensor } from "../host-tensor.js";

/**
 * The browser-side twin of `Session` (session.ts): the same graphs (ONNX bytes from
 * `MaskedLanguageModel.onnxBytes` or `serializeGraph`) and the same `run(feeds)` over HostTensor,
 * on onnxruntime-web. No Node-only imports here, so bundlers can ship it as is.
 */
export interface WebSessionOptions {
  /** Where the ort-wasm-*.wasm/.mjs files are served from (a URL prefix or a folder ending in "/"). */
  readonly wasmPaths?: string;
  /**
   * WebAssembly threads. ORT-web's setting is process-wide (`ort.env.wasm.numThreads`), so this
   * changes it for every later session; 1 avoids needing cross-origin isolation in browsers.
   */
  readonly threads?: number;
  /** Execution providers in order of preference; default ["wasm"]. "webgpu" needs a WebGPU browser. */
  readonly providers?: readonly ("wasm" | "webgpu" | "webnn")[];
  readonly optimization?: "disabled" | "basic" | "extended" | "all";
}

const ORT_TYPE: Partial<Record<DType, ort.Tensor.Type>> = {
  float32: "float32", int64: "int64", int32: "int32", bool: "bool", uint8: "uint8", int8: "int8", float16: "float16",
};

function toWebTensor(t: HostTensor): ort.Tensor {
  const type = ORT_TYPE[t.dtype];
  if (!type) throw new SpeciesLmError("RUNTIME", `dtype ${t.dtype} cannot be passed to ONNX Runtime Web`);
  return new ort.Tensor(type, t.data as ort.Tensor.DataType, [...t.shape]);
}

function fromWebTensor(t: ort.Tensor): HostTensor {
  return { dtype: t.type as DType, shape: [...t.dims], data: t.data as HostTensor["data"] };
}

export class WebSession {
  private constructor(private readonly s: ort.InferenceSession) {}

  static async create(model: Uint8Array, o: WebSessionOptions = {}): Promise<WebSession> {
    if (o.wasmPaths !== undefined) ort.env.wasm.wasmPaths = o.wasmPaths;
    if (o.threads !== undefined) ort.env.wasm.numThreads = o.threads;
    const opts: ort.InferenceSession.SessionOptions = {
      executionProviders: [...(o.providers ?? ["wasm"])],
      graphOptimizationLevel: o.optimization ?? "all",
    };
    try {
      return new WebSession(await ort.InferenceSession.create(model, opts));
    } catch (err) {
      throw new SpeciesLmError("RUNTIME", `ONNX Runtime Web could not load the graph: ${(err as Error).message}`, { cause: err });
    }
  }

  get inputNames(): readonly string[] { return this.s.inputNames; }
  get outputNames(): readonly string[] { return this.s.outputNames; }

  /** Same contract as Session.run: every graph input must be fed; outputs come back as HostTensors. */
  async run(feeds: Readonly<Record<string, HostTensor>>, fetch?: readonly string[]): Promise<Record<string, HostTensor>> {
    const missing = this.s.inputNames.filter((n) => !(n in feeds));
    if (missing.length) throw new SpeciesLmError("RUNTIME", `graph inputs not fed: ${missing.join(", ")}`);
    const webFeeds: Record<string, ort.Tensor> = {};
    for (const n of this.s.inputNames) webFeeds[n] = toWebTensor(feeds[n]!);
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = fetch ? await this.s.run(webFeeds, [...fetch]) : await this.s.run(webFeeds);
    } catch (err) {
      const shapes = Object.entries(feeds).map(([k, v]) => `${k}: ${v.dtype}[${v.shape}]`).join(", ");
      throw new SpeciesLmError("RUNTIME", `ONNX Runtime Web run failed (${shapes}): ${(err as Error).message}`, { cause: err });
    }
    const res: Record<string, HostTensor> = {};
    for (const [k, v] of Object.entries(out)) res[k] = fromWebTensor(v as ort.Tensor);
    return res;
  }

  async release(): Promise<void> {
    await this.s.release();
  }
}
