import { describe, expect, it } from "vitest";
import { randomF32 } from "../../test/helpers/finite-diff.js";
import { GraphBuilder } from "../graph/builder.js";
import { gradient } from "../graph/gradient.js";
import { f32, type HostTensor } from "../host-tensor.js";
import { serializeGraph } from "../graph/onnx/serialize.js";
import type { Value } from "../graph/types.js";
import { Session } from "../runtime/session.js";
import { appendAdamW, defaultDecays } from "./optimizer-graph.js";

const SHAPES: Record<string, number[]> = {
  "layer.dense.weight": [3, 2],
  "layer.dense.bias": [2],
  "layer.LayerNorm.weight": [2],
  "embeddings.word_embeddings.weight": [4, 2],
};

/** torch.nn.utils.clip_grad_norm_ followed by torch.optim.AdamW.step, in float64. */
function referenceStep(
  state: { p: Float64Array[]; m: Float64Array[]; v: Float64Array[] },
  grads: Float64Array[],
  decays: boolean[],
  h: { lr: number; t: number; maxNorm: number; wd: number },
): number {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const norm = Math.sqrt(grads.reduce((a, g) => a + g.reduce((s, x) => s + x * x, 0), 0));
  const scale = Math.min(1, h.maxNorm / (norm + 1e-6));
  grads.forEach((g, i) => {
    const [p, m, v] = [state.p[i]!, state.m[i]!, state.v[i]!];
    for (let j = 0; j < g.length; j++) {
      const gj = g[j]! * scale;
      if (decays[i]) p[j] = p[j]! * (1 - h.lr * h.wd);
      m[j] = b1 * m[j]! + (1 - b1) * gj;
      v[j] = b2 * v[j]! + (1 - b2) * gj * gj;
      const denom = Math.sqrt(v[j]!) / Math.sqrt(1 - b2 ** h.t) + eps;
      p[j] = p[j]! - (h.lr / (1 - b1 ** h.t)) * (m[j]! / denom);
    }
  });
  return norm;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe("AdamW with global-norm clipping as graph nodes", () => {
  it("default decay excludes biases and LayerNorm parameters", () => {
    expect(Object.keys(SHAPES).map(defaultDecays)).toEqual([true, false, false, true]);
  });

  it("matches a float64 reference of clip + AdamW over four steps, clipping on and off", async () => {
    const b = new GraphBuilder();
    const names = Object.keys(SHAPES);
    const params = names.map((n) => b.input(n, "float32", SHAPES[n]!));
    const grads = new Map(names.map((n) => [n, b.input(`grad.${n}`, "float32", SHAPES[n]!)] as [string, Value]));
    const opt = appendAdamW(b, params, grads, { weightDecay: 0.1, maxGradNorm: 1 });
    const outs: Record<string, Value> = { norm: opt.gradNorm };
    names.forEach((n, i) => Object.assign(outs, { [`p${i}`]: opt.params.get(n)!, [`m${i}`]: opt.m.get(n)!, [`v${i}`]: opt.v.get(n)! }));
    const s = await Session.create(serializeGraph(b.build(outs)));

    const state = {
      p: names.map((n, i) => Float64Array.from(randomF32(SHAPES[n]!, i).data)),
      m: names.map((n) => new Float64Array(SHAPES[n]!.reduce((a, x) => a * x))),
      v: [] as Float64Array[],
    };
    state.v = state.m.map((m) => new Float64Array(m.length));
    let feeds: Record<string, HostTensor> = {};
    names.forEach((n, i) =>
      Object.assign(feeds, {
        [n]: f32(SHAPES[n]!, Array.from(state.p[i]!)),
        [`adam_m.${n}`]: f32(SHAPES[n]!),
        [`adam_v.${n}`]: f32(SHAPES[n]!),
      }),
    );
    const lr = 0.05;
    for (let t = 1; t <= 4; t++) {
      // Gradients of norm about 2.4 at odd steps (clipped to 1) and about 0.24 at even steps (left alone).
      const gs = names.map((n, i) => randomF32(SHAPES[n]!, 10 * t + i, t % 2 ? -1 : -0.1, t % 2 ? 1 : 0.1));
      names.forEach((n, i) => (feeds[`grad.${n}`] = gs[i]!));
      const out = await s.run({ ...feeds, lr: f32([], [lr]), adam_step: f32([], [t]) });
      const norm = referenceStep(
        state,
        gs.map((g) => Float64Array.from(g.data as Float32Array)),
        names.map(defaultDecays),
        { lr, t, maxNorm: 1, wd: 0.1 },
      );
      expect((out.norm!.data as Float32Array)[0]).toBeCloseTo(norm, 5);
      const next: Record<string, HostTensor> = {};
      names.forEach((n, i) => {
        const d = maxAbsDiff(out[`p${i}`]!.data as Float32Array, state.p[i]!);
        expect(d, `step ${t} ${n}: max |graph - reference| = ${d}`).toBeLessThan(1e-5);
        expect(maxAbsDiff(out[`m${i}`]!.data as Float32Array, state.m[i]!)).toBeLessThan(1e-6);
        expect(maxAbsDiff(out[`v${i}`]!.data as Float32Array, state.v[i]!)).toBeLessThan(1e-7);
        Object.assign(next, { [n]: out[`p${i}`]!, [`adam_m.${n}`]: out[`m${i}`]!, [`adam_v.${n}`]: out[`v${i}`]! });
      });
      feeds = { ...feeds, ...next };
    }
  });

  it("trains a least-squares problem when chained after gradient()", async () => {
    // loss = mean((x W^T - y)^2) with y = x W*^T, so the minimum is 0; 60 AdamW steps should cut it by 10x.
    const b = new GraphBuilder();
    const w = b.input("fit.weight", "float32", [2, 3]);
    const x = b.constTensor(randomF32([8, 3], 1), "x");
    const y = b.matmul(x, b.transpose(b.constTensor(randomF32([2, 3], 2), "w_true"), [1, 0]));
    const r = b.sub(b.matmul(x, b.transpose(w, [1, 0])), y);
    const loss = b.mul(b.reduceSum(b.mul(r, r), [0, 1], false), b.constF32(1 / 16));
    const opt = appendAdamW(b, [w], gradient(b, loss, [w]), { weightDecay: 0 });
    const s = await Session.create(
      serializeGraph(b.build({ loss, w: opt.params.get("fit.weight")!, m: opt.m.get("fit.weight")!, v: opt.v.get("fit.weight")! })),
    );
    let feeds: Record<string, HostTensor> = {
      "fit.weight": f32([2, 3]),
      "adam_m.fit.weight": f32([2, 3]),
      "adam_v.fit.weight": f32([2, 3]),
      lr: f32([], [0.05]),
    };
    const losses: number[] = [];
    for (let t = 1; t <= 60; t++) {
      const out = await s.run({ ...feeds, adam_step: f32([], [t]) });
      losses.push((out.loss!.data as Float32Array)[0]!);
      feeds = { ...feeds, "fit.weight": out.w!, "adam_m.fit.weight": out.m!, "adam_v.fit.weight": out.v! };
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 10);
  });
});
