import type { InferenceSession, Tensor } from "onnxruntime-common";
import { SpeciesLmError } from "../errors.js";
import type { DType, HostTensor } from "../host-tensor.js";

/**
 * What onnxruntime-node and onnxruntime-web share (both implement onnxruntime-common): HostTensor
 * conversion and a checked run. Each runtime passes its own Tensor class; this module imports types only,
 * so the browser bundle pulls in nothing from Node.
 */
export type TensorClass = new (type: Tensor.Type, data: Tensor.DataType, dims: readonly number[]) => Tensor;

const ORT_TYPE: Partial<Record<DType, Tensor.Type>> = {
  float32: "float32",
  int64: "int64",
  int32: "int32",
  bool: "bool",
  uint8: "uint8",
  int8: "int8",
  float16: "float16",
};

export function toOrt(TensorCtor: TensorClass, t: HostTensor, runtime: string): Tensor {
  const type = ORT_TYPE[t.dtype];
  if (!type) throw new SpeciesLmError("RUNTIME", `dtype ${t.dtype} cannot be passed to ${runtime}`);
  return new TensorCtor(type, t.data as Tensor.DataType, [...t.shape]);
}

export function fromOrt(t: Tensor): HostTensor {
  return { dtype: t.type as DType, shape: [...t.dims], data: t.data as HostTensor["data"] };
}

/**
 * Runs a session after checking that every graph input is fed; a failure names the runtime and the
 * dtype and shape of each input, which is what one needs to see when ORT rejects a run.
 */
export async function runChecked(
  s: InferenceSession,
  TensorCtor: TensorClass,
  runtime: string,
  feeds: Readonly<Record<string, HostTensor>>,
  fetch?: readonly string[],
): Promise<Record<string, HostTensor>> {
  const missing = s.inputNames.filter((n) => !(n in feeds));
  if (missing.length) throw new SpeciesLmError("RUNTIME", `graph inputs not fed: ${missing.join(", ")}`);
  const ortFeeds: Record<string, Tensor> = {};
  for (const n of s.inputNames) ortFeeds[n] = toOrt(TensorCtor, feeds[n]!, runtime);
  let out: InferenceSession.OnnxValueMapType;
  try {
    out = fetch ? await s.run(ortFeeds, [...fetch]) : await s.run(ortFeeds);
  } catch (err) {
    const shapes = Object.entries(feeds)
      .map(([k, v]) => `${k}: ${v.dtype}[${v.shape}]`)
      .join(", ");
    throw new SpeciesLmError("RUNTIME", `${runtime} run failed (${shapes}): ${(err as Error).message}`, { cause: err });
  }
  const res: Record<string, HostTensor> = {};
  for (const [k, v] of Object.entries(out)) res[k] = fromOrt(v as Tensor);
  return res;
}

/**
 * The session both runtimes share (Session on onnxruntime-node, WebSession on onnxruntime-web): graph
 * input and output names, checked runs over HostTensors, release. Each subclass only creates its ORT
 * session with its own options and load-failure text (createOrtSession).
 */
export class OrtSession {
  protected constructor(
    private readonly s: InferenceSession,
    private readonly TensorCtor: TensorClass,
    private readonly runtime: string,
  ) {}

  get inputNames(): readonly string[] {
    return this.s.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.s.outputNames;
  }

  /** Runs the graph: every graph input must be fed (runChecked); outputs come back as HostTensors. */
  run(feeds: Readonly<Record<string, HostTensor>>, fetch?: readonly string[]): Promise<Record<string, HostTensor>> {
    return runChecked(this.s, this.TensorCtor, this.runtime, feeds, fetch);
  }

  async release(): Promise<void> {
    await this.s.release();
  }
}

/** Creates an ORT session; a failure to load the graph becomes a RUNTIME error whose text `failure` writes. */
export async function createOrtSession<S extends InferenceSession>(create: () => Promise<S>, failure: (err: unknown) => string): Promise<S> {
  try {
    return await create();
  } catch (err) {
    throw new SpeciesLmError("RUNTIME", failure(err), { cause: err });
  }
}
