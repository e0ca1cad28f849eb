import * as ort from "onnxruntime-web";
import { SpeciesLmError } from "../errors.js";
import type { HostTensor } from "../host-tensor.js";
import { runChecked, type TensorClass } from "./ort-bridge.js";

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

const RUNTIME = "ONNX Runtime Web";

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

  get inputNames(): readonly string[] {
    return this.s.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.s.outputNames;
  }

  /** Same contract as Session.run: every graph input must be fed; outputs come back as HostTensors. */
  run(feeds: Readonly<Record<string, HostTensor>>, fetch?: readonly string[]): Promise<Record<string, HostTensor>> {
    return runChecked(this.s, ort.Tensor as unknown as TensorClass, RUNTIME, feeds, fetch);
  }

  async release(): Promise<void> {
    await this.s.release();
  }
}
