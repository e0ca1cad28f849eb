/**
 * Checks gradient graphs against central finite differences run through ONNX Runtime.
 * The forward graph is float32, so the step is large (1e-2) and the comparison uses a combined
 * tolerance |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|). Tensors should be
 * small: every element of every target costs two ORT runs.
 */
import { gradient } from "../../src/graph/gradient.js";
import { GraphBuilder } from "../../src/graph/builder.js";
import { f32, type HostTensor, numel } from "../../src/host-tensor.js";
import { serializeGraph } from "../../src/graph/onnx/serialize.js";
import type { Shape, Value } from "../../src/graph/types.js";
import { Session } from "../../src/runtime/session.js";
import { mulberry32 } from "../../src/rng.js";

export interface GradCase {
  /** Graph inputs by name; float32 ones listed in `wrt` (default: all float32 ones) are differentiated. */
  readonly inputs: Readonly<Record<string, HostTensor>>;
  readonly wrt?: readonly string[];
  /** Declared input shapes where they differ from the fed ones (symbolic dims: "batch", "tokens"). */
  readonly shapes?: Readonly<Record<string, Shape>>;
  /** Builds the forward graph from the graph inputs and returns a scalar loss. */
  build(b: GraphBuilder, x: Readonly<Record<string, Value>>): Value;
}

export interface GradCheckOptions {
  readonly step?: number;
  readonly rtol?: number;
  readonly atol?: number;
}

export interface GradCheckResult {
  readonly maxAbsDiff: number;
  /** "name[i]: analytic a vs numeric n" for every element outside the tolerance (first 10). */
  readonly failures: readonly string[];
  readonly checked: number;
  readonly analytic: Readonly<Record<string, Float32Array>>;
}

export async function gradCheck(c: GradCase, o: GradCheckOptions = {}): Promise<GradCheckResult> {
  const h = o.step ?? 1e-2;
  const rtol = o.rtol ?? 1e-2;
  const atol = o.atol ?? 1e-3;
  const b = new GraphBuilder("gradcheck");
  const vals: Record<string, Value> = {};
  for (const [name, t] of Object.entries(c.inputs)) vals[name] = b.input(name, t.dtype, c.shapes?.[name] ?? t.shape);
  const loss = c.build(b, vals);
  const wrt = c.wrt ?? Object.keys(c.inputs).filter((k) => c.inputs[k]!.dtype === "float32");
  const grads = gradient(
    b,
    loss,
    wrt.map((k) => vals[k]!),
    { unused: "error" },
  );
  const outs: Record<string, Value> = { loss };
  wrt.forEach((k, i) => (outs[`grad_${i}`] = grads.get(k)!));
  const s = await Session.create(serializeGraph(b.build(outs)), { threads: 1 });
  try {
    const feeds: Record<string, HostTensor> = { ...c.inputs };
    const first = await s.run(feeds);
    const lossAt = async (): Promise<number> => ((await s.run(feeds, ["loss"])).loss!.data as Float32Array)[0]!;
    let maxAbsDiff = 0;
    let checked = 0;
    const failures: string[] = [];
    const analytic: Record<string, Float32Array> = {};
    for (const [i, k] of wrt.entries()) {
      const g = first[`grad_${i}`]!.data as Float32Array;
      analytic[k] = g;
      const x = Float32Array.from(c.inputs[k]!.data as Float32Array);
      feeds[k] = f32(c.inputs[k]!.shape, x);
      for (let j = 0; j < x.length; j++) {
        const x0 = x[j]!;
        x[j] = x0 + h;
        const up = await lossAt();
        x[j] = x0 - h;
        const down = await lossAt();
        x[j] = x0;
        const num = (up - down) / (2 * h);
        const diff = Math.abs(num - g[j]!);
        maxAbsDiff = Math.max(maxAbsDiff, diff);
        checked++;
        if (diff > atol + rtol * Math.max(Math.abs(num), Math.abs(g[j]!)) && failures.length < 10) {
          failures.push(`${k}[${j}]: analytic ${g[j]} vs numeric ${num}`);
        }
      }
      feeds[k] = c.inputs[k]!;
    }
    return { maxAbsDiff, failures, checked, analytic };
  } finally {
    await s.release();
  }
}

/** Throws, naming the largest absolute difference, when any element is outside the tolerance. */
export async function expectGradientsMatch(c: GradCase, o: GradCheckOptions = {}): Promise<GradCheckResult> {
  const r = await gradCheck(c, o);
  if (r.failures.length) throw new Error(`gradient mismatch (max |analytic - numeric| = ${r.maxAbsDiff.toExponential(3)}):\n  ${r.failures.join("\n  ")}`);
  return r;
}

/** Uniform values in [lo, hi), reproducible from `seed`. */
export function randomF32(shape: readonly number[], seed: number, lo = -1, hi = 1): HostTensor<"float32"> {
  const r = mulberry32(seed);
  return f32(
    shape,
    Array.from({ length: numel(shape) }, () => lo + (hi - lo) * r.next()),
  );
}

/**
 * sum(y * w) with fixed random weights w of y's (static) shape: a scalar loss whose upstream
 * gradient dy = w is random, so every output element is checked with a different weight.
 */
export function weightedSum(b: GraphBuilder, y: Value, seed = 7): Value {
  const dims = y.shape.map((d) => {
    if (typeof d !== "number") throw new TypeError(`weightedSum needs a static shape, got [${y.shape}]`);
    return d;
  });
  const w = b.constTensor(randomF32(dims, seed), "loss_weights");
  return b.reduceSum(b.mul(y, w), [...dims.keys()], false);
}
