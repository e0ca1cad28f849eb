import { beforeAll, describe, expect, it } from "vitest";
import type { HostTensor } from "../src/host-tensor.js";
import { serializeGraph } from "../src/graph/onnx/serialize.js";
import { gradient } from "../src/graph/gradient.js";
import { loadModelFolder, type ModelFolder } from "../src/model/model-folder.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { Session } from "../src/runtime/session.js";
import { buildLossGraph } from "../src/train/loss-graph.js";
import { FIXTURE, HAS_SHARED } from "./helpers/shared.js";

/**
 * Largest difference relative to the reference tensor's scale (so near-zero entries do not dominate),
 * with an absolute floor of 1e-7: the key bias gradient is exactly zero in exact arithmetic (softmax
 * ignores a constant added to every score of a query), so its reference holds only float noise (~5e-9).
 */
function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  for (const x of b) scale = Math.max(scale, Math.abs(x));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m / Math.max(scale, 1e-4);
}

describe.skipIf(!HAS_SHARED)("masked-LM loss and gradients against the PyTorch reference (train.*)", () => {
  let expected: Map<string, HostTensor>;
  let folder: ModelFolder;
  beforeAll(async () => {
    expected = (await readSafetensors(`${FIXTURE}expected.safetensors`)).tensors;
    folder = await loadModelFolder(`${FIXTURE}model`);
  });

  it("matches the loss and every reference gradient within relative 1e-3", async () => {
    const ids = expected.get("train.input_ids")! as HostTensor<"int64">;
    const labels = expected.get("train.labels")! as HostTensor<"int64">;
    const [B, T] = ids.shape as [number, number];
    const g = buildLossGraph(folder.config, { batch: B, tokens: T });
    const params = [...g.params.values()];
    const grads = gradient(g.b, g.loss, params);
    const outputs: Record<string, (typeof params)[number]> = { loss: g.loss };
    for (const p of params) outputs[`grad.${p.name}`] = grads.get(p.name)!;
    const session = await Session.create(serializeGraph(g.b.build(outputs)), { threads: 1 });
    const feeds: Record<string, HostTensor> = {
      input_ids: ids,
      labels,
      attention_mask: { dtype: "int64", shape: [B, T], data: new BigInt64Array(B * T).fill(1n) },
    };
    for (const [name, t] of folder.weights) feeds[name] = t;
    const out = await session.run(feeds);
    const loss = (out.loss!.data as Float32Array)[0]!;
    const refLoss = (expected.get("train.loss")!.data as Float32Array)[0]!;
    expect(Math.abs(loss - refLoss) / refLoss).toBeLessThan(1e-3);
    const refGrads = [...expected.keys()].filter((k) => k.startsWith("train.grad."));
    expect(refGrads.length).toBeGreaterThanOrEqual(10);
    for (const key of refGrads) {
      const name = key.slice("train.grad.".length);
      const ours = out[`grad.${name}`];
      expect(ours, name).toBeDefined();
      expect(maxRelDiff(ours!.data as Float32Array, expected.get(key)!.data as Float32Array), name).toBeLessThan(1e-3);
    }
    await session.release();
  });
});
