import { availableParallelism } from "node:os";
import * as ort from "onnxruntime-node";
import type { HostTensor } from "../host-tensor.js";
import { describeDeviceFailure } from "./device.js";
import { createOrtSession, fromOrt, OrtSession, type TensorClass, toOrt } from "./ort-bridge.js";

export interface SessionOptions {
  /**
   * Intra-op threads; default: every core this process may use (os.availableParallelism()), since
   * ORT's own default can use one core (docs/decisions/ort-threads.md).
   */
  readonly threads?: number;
  /** ORT graph optimisation level; "all" fuses attention/GELU/LayerNorm and pre-packs weights. */
  readonly optimization?: "disabled" | "basic" | "extended" | "all";
  /** Execution providers in order of preference, e.g. ["cuda", "cpu"]. */
  readonly providers?: readonly string[];
}

const RUNTIME = "ONNX Runtime";

export function toOrtTensor(t: HostTensor): ort.Tensor {
  return toOrt(ort.Tensor as unknown as TensorClass, t, RUNTIME) as ort.Tensor;
}

export const fromOrtTensor = fromOrt;

/** An onnxruntime-node session (OrtSession) that checks input names before each run. */
export class Session extends OrtSession {
  static async create(model: Uint8Array, o: SessionOptions = {}): Promise<Session> {
    const opts: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: o.optimization ?? "all",
      executionProviders: [...(o.providers ?? ["cpu"])],
      intraOpNumThreads: o.threads ?? availableParallelism(),
      interOpNumThreads: 1,
    };
    const s = await createOrtSession(
      () => ort.InferenceSession.create(model, opts),
      (err) => {
        // A device that cannot start is named with what is missing, on one line.
        const device = describeDeviceFailure(o.providers ?? []);
        const first = ((err as Error).message ?? String(err)).split("\n")[0];
        return device ? `${device} (ONNX Runtime: ${first})` : `ONNX Runtime could not load the graph: ${(err as Error).message}`;
      },
    );
    return new Session(s, ort.Tensor as unknown as TensorClass, RUNTIME);
  }
}
