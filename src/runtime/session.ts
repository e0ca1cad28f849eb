import * as ort from "onnxruntime-node";
import { SpeciesLmError } from "../errors.js";
import type { DType, HostTensor } from "../host-tensor.js";

export interface SessionOptions {
  /** Intra-op threads; default: ORT's choice (all cores). */
  readonly threads?: number;
  /** ORT graph optimisation level; "all" fuses attention/GELU/LayerNorm and pre-packs weights. */
  readonly optimization?: "disabled" | "basic" | "extended" | "all";
  /** Execution providers in order of preference, e.g. ["cuda", "cpu"]. */
  readonly providers?: readonly string[];
}

const ORT_TYPE: Partial<Record<DType, ort.Tensor.Type>> = {
  float32: "float32", int64: "int64", int32: "int32", bool: "bool", uint8: "uint8", int8: "int8", float16: "float16",
};

export function toOrtTensor(t: HostTensor): ort.Tensor {
  const type = ORT_TYPE[t.dtype];
  if (!type) throw new SpeciesLmError("RUNTIME", `dtype ${t.dtype} cannot be passed to ONNX Runtime`);
  return new ort.Tensor(type, t.data as ort.Tensor.DataType, [...t.shape]);
}

export function fromOrtTensor(t: ort.Tensor): HostTensor {
  const dtype = t.type as DType;
  return { dtype, shape: [...t.dims], data: t.data as HostTensor["data"] };
}

/** A thin, typed wrapper over an ORT session that checks input names before each run. */
export class Session {
  private constructor(private readonly s: ort.InferenceSession) {}

  static async create(model: Uint8Array, o: SessionOptions = {}): Promise<Session> {
    const opts: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: o.optimization ?? "all",
      executionProviders: [...(o.providers ?? ["cpu"])],
      ...(o.threads ? { intraOpNumThreads: o.threads, interOpNumThreads: 1 } : {}),
    };
    try {
      return new Session(await ort.InferenceSession.create(model, opts));
    } catch (err) {
      throw new SpeciesLmError("RUNTIME", `ONNX Runtime could not load the graph: ${(err as Error).message}`, { cause: err });
    }
  }

  get inputNames(): readonly string[] { return this.s.inputNames; }
  get outputNames(): readonly string[] { return this.s.outputNames; }

  async run(feeds: Readonly<Record<string, HostTensor>>, fetch?: readonly string[]): Promise<Record<string, HostTensor>> {
    const missing = this.s.inputNames.filter((n) => !(n in feeds));
    if (missing.length) throw new SpeciesLmError("RUNTIME", `graph inputs not fed: ${missing.join(", ")}`);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const n of this.s.inputNames) ortFeeds[n] = toOrtTensor(feeds[n]!);
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = fetch ? await this.s.run(ortFeeds, [...fetch]) : await this.s.run(ortFeeds);
    } catch (err) {
      const shapes = Object.entries(feeds).map(([k, v]) => `${k}: ${v.dtype}[${v.shape}]`).join(", ");
      throw new SpeciesLmError("RUNTIME", `ONNX Runtime run failed (${shapes}): ${(err as Error).message}`, { cause: err });
    }
    const res: Record<string, HostTensor> = {};
    for (const [k, v] of Object.entries(out)) res[k] = fromOrtTensor(v as ort.Tensor);
    return res;
  }

  async release(): Promise<void> {
    await this.s.release();
  }
}
