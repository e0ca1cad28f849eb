import * as ort from "onnxruntime-web";
import { createOrtSession, OrtSession, type TensorClass } from "./ort-bridge.js";

/**
 * The browser-side twin of `Session` (session.ts): the same graphs (ONNX bytes from
 * `MaskedLanguageModel.onnxBytes` or `serializeGraph`) and the same `run(feeds)` over HostTensor
 * (OrtSession), on onnxruntime-web. No Node-only imports here, so bundlers can ship it as is.
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

export class WebSession extends OrtSession {
  static async create(model: Uint8Array, o: WebSessionOptions = {}): Promise<WebSession> {
    if (o.wasmPaths !== undefined) ort.env.wasm.wasmPaths = o.wasmPaths;
    if (o.threads !== undefined) ort.env.wasm.numThreads = o.threads;
    const opts: ort.InferenceSession.SessionOptions = {
      executionProviders: [...(o.providers ?? ["wasm"])],
      graphOptimizationLevel: o.optimization ?? "all",
    };
    const s = await createOrtSession(
      () => ort.InferenceSession.create(model, opts),
      (err) => `ONNX Runtime Web could not load the graph: ${(err as Error).message}`,
    );
    return new WebSession(s, ort.Tensor as unknown as TensorClass, RUNTIME);
  }
}
