import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphBuilder } from "../src/graph/builder.js";
import { f32, type HostTensor } from "../src/host-tensor.js";
import { serializeGraph } from "../src/graph/onnx/serialize.js";
import { quantizeMatMul, quantizeWeightPerColumn } from "../src/graph/passes/quantize-matmul.js";
import { cpuFlags, int8LayoutFor, int8LayoutForThisCpu } from "../src/runtime/int8-layout.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { buildInferenceGraph } from "../src/model/inference-graph.js";
import { loadModelFolder, type ModelFolder } from "../src/model/model-folder.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { Session } from "../src/runtime/session.js";
import { encodeBatch } from "../src/tokenizer/batch.js";
import { FIXTURE, HAS_SHARED, maxAbsDiff, SKIP_REASON, fixtureCases, type FixtureCase } from "./helpers/shared.js";

describe("quantizeWeightPerColumn", () => {
  // W [out=2, in=3]; row 0 max 1.27 -> scale 0.01; row 1 all zero -> scale 1 (finite), q at the zero point.
  const w = f32([2, 3], [1.27, -0.5, 0.02, 0, 0, 0]);
  it("s8: stores W^T as int8 with one scale per output row, exact on multiples of the scale", () => {
    const { q, scale, zeroPoint } = quantizeWeightPerColumn(w, "s8");
    expect(q.dtype).toBe("int8");
    expect(q.shape).toEqual([3, 2]);
    expect([...q.data]).toEqual([127, 0, -50, 0, 2, 0]);
    expect(scale.data[0]).toBeCloseTo(0.01, 7);
    expect(scale.data[1]).toBe(1);
    expect(zeroPoint).toBeUndefined();
  });
  it("u8 (the default): the same levels shifted by the zero point 128", () => {
    const { q, scale, zeroPoint } = quantizeWeightPerColumn(w);
    expect(q.dtype).toBe("uint8");
    expect([...q.data]).toEqual([255, 128, 78, 128, 130, 128]);
    expect([...zeroPoint!.data]).toEqual([128, 128]);
    expect(scale.data[0]).toBeCloseTo(0.01, 7);
  });
});

/**
 * The largest |a1*q1 + a2*q2| over uint8 activations (0..255) and two weights that meet in one
 * saturating int16 lane: what x86 VPMADDUBSW computes in ORT's u8s8 kernels on CPUs without VNNI.
 */
function worstPairSum(q: Int8Array, inDim: number, out: number): number {
  let worst = 0;
  for (let o = 0; o < out; o++) {
    for (let i = 0; i + 1 < inDim; i += 2) {
      const a = q[i * out + o]!,
        b = q[(i + 1) * out + o]!;
      // Same signs add up; opposite signs partly cancel at the worst activation (one at 255, one at 0).
      worst = Math.max(worst, Math.sign(a) === Math.sign(b) ? 255 * (Math.abs(a) + Math.abs(b)) : 255 * Math.max(Math.abs(a), Math.abs(b)));
    }
  }
  return worst;
}

describe("int8 weight layout per CPU", () => {
  it("takes the fast int8 layout only where the u8s8 kernel cannot saturate", () => {
    expect(int8LayoutFor("x64", new Set(["avx2", "fma"]))).toBe("u8"); // AVX2 only (e.g. AMD Zen 3)
    expect(int8LayoutFor("x64", new Set(["avx2", "avx512f", "avx512bw"]))).toBe("u8"); // AVX-512 without VNNI (Skylake-SP)
    expect(int8LayoutFor("x64", new Set(["avx2", "avx512f", "avx512_vnni"]))).toBe("s8");
    expect(int8LayoutFor("x64", new Set(["avx2", "avx_vnni"]))).toBe("s8");
    expect(int8LayoutFor("arm64", new Set(["avx512_vnni"]))).toBe("u8");
    expect(int8LayoutFor("x64", new Set())).toBe("u8"); // flags unknown (macOS, Windows)
  });

  it("reads the flags line of /proc/cpuinfo", () => {
    const flags = cpuFlags("processor\t: 0\nflags\t\t: fpu avx2 avx512_vnni\nbugs\t\t: x\n");
    expect([...flags]).toEqual(["fpu", "avx2", "avx512_vnni"]);
    expect(cpuFlags("processor: 0\n").size).toBe(0);
  });

  it.skipIf(!HAS_SHARED)("int8 sums of the fixture saturate an int16 lane in the s8 layout and never in u8", async () => {
    const folder = await loadModelFolder(`${FIXTURE}model`);
    const g = quantizeMatMul(buildInferenceGraph(folder.config, folder.weights, { logits: true }), { layout: "s8" }).graph;
    const weights = [...g.initializers.values()].filter((t) => t.dtype === "int8");
    expect(weights.length).toBe(6 * folder.config.numHiddenLayers + 2);
    // The layout chosen before this check was found: wrong sums on AVX2-only CPUs (issue 27).
    expect(Math.max(...weights.map((t) => worstPairSum(t.data as Int8Array, t.shape[0]!, t.shape[1]!)))).toBeGreaterThan(32767);
    // u8 weights run in ORT's u8u8 kernels, which widen both operands to int16 and accumulate in int32.
    const u = quantizeMatMul(buildInferenceGraph(folder.config, folder.weights, { logits: true })).graph;
    expect([...u.initializers.values()].filter((t) => t.dtype === "int8")).toHaveLength(0);
    expect([...u.initializers.values()].filter((t) => t.dtype === "uint8" && t.shape.length === 2)).toHaveLength(weights.length);
  });
});

describe("quantizeMatMul on hand-built graphs", () => {
  function linearGraph(withBias: boolean) {
    const b = new GraphBuilder("lin");
    const x = b.input("x", "float32", ["n", 4]);
    const wData = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1) * 0.5);
    const w = b.initializer("w", f32([3, 4], wData));
    let y = b.matmul(x, b.transpose(w, [1, 0]));
    if (withBias) y = b.add(y, b.initializer("bias", f32([3], [0.1, -0.2, 0.3])));
    return { graph: b.build({ y }), wData };
  }

  it("fuses MatMul(x, Transpose(W)) + Add(bias) into one DynamicQuantizeMatMul and drops the float weight", async () => {
    const { graph } = linearGraph(true);
    const r = quantizeMatMul(graph);
    expect(r.modified).toBe(true);
    expect(r.graph.nodes.map((n) => n.opType)).toEqual(["DynamicQuantizeMatMul", "Identity"]);
    expect(r.graph.nodes[0]!.inputs).toEqual(["x", "w.int8_t", "w.int8_scale", "w.int8_zero", "bias"]);
    expect([...r.graph.initializers.keys()].sort()).toEqual(["bias", "w.int8_scale", "w.int8_t", "w.int8_zero"]);
    const x = f32([2, 4], [1, -2, 0.5, 3, 0, 0.25, -1, 2]);
    const ref = await runOnce(graph, { x });
    const got = await runOnce(r.graph, { x });
    // Weights within scale/2 of W, activations within their own step: a few 1e-2 at these magnitudes.
    expect(maxAbsDiff(got, ref)).toBeLessThan(0.05);
    expect(maxAbsDiff(got, ref)).toBeGreaterThan(0); // it really ran the int8 kernel
  });

  it("keeps a MatMul without bias as DynamicQuantizeMatMul without trailing empty inputs", () => {
    expect(quantizeMatMul(linearGraph(false).graph).graph.nodes[0]!.inputs).toEqual(["x", "w.int8_t", "w.int8_scale", "w.int8_zero"]);
    expect(quantizeMatMul(linearGraph(false).graph, { layout: "s8" }).graph.nodes[0]!.inputs).toEqual(["x", "w.int8_t", "w.int8_scale"]);
  });

  it("gives the same outputs in both layouts (same levels, exact integer sums)", async () => {
    const { graph } = linearGraph(true);
    const x = f32([2, 4], [1, -2, 0.5, 3, 0, 0.25, -1, 2]);
    const u8 = await runOnce(quantizeMatMul(graph, { layout: "u8" }).graph, { x });
    // s8 only where this CPU's kernel is exact for it; elsewhere the u8 graph is all there is to check.
    const other = await runOnce(quantizeMatMul(graph, { layout: int8LayoutForThisCpu() }).graph, { x });
    expect(maxAbsDiff(u8, other)).toBeLessThan(1e-6);
  });

  it("leaves graphs without the pattern untouched (same object, modified false)", () => {
    const b = new GraphBuilder("plain");
    const x = b.input("x", "float32", ["n", 4]);
    const w = b.initializer("w", f32([4, 3])); // MatMul with an untransposed weight: not bert.ts's linear
    const y = b.matmul(x, w);
    const z = b.matmul(y, b.transpose(b.input("v", "float32", [4, 3]), [1, 0])); // transposed input, not initializer
    const g = b.build({ z });
    const r = quantizeMatMul(g);
    expect(r.modified).toBe(false);
    expect(r.graph).toBe(g);
  });

  it("respects `include`", () => {
    const r = quantizeMatMul(linearGraph(true).graph, { include: (name) => name !== "w" });
    expect(r.modified).toBe(false);
  });
});

async function runOnce(graph: ReturnType<GraphBuilder["build"]>, feeds: Record<string, HostTensor>): Promise<Float32Array> {
  const s = await Session.create(serializeGraph(graph), { threads: 1 });
  try {
    const out = await s.run(feeds);
    return out[graph.outputs[0]!.name]!.data as Float32Array;
  } finally {
    await s.release();
  }
}

/**
 * Measured on the tiny fixture (2 layers, hidden 64, weights ~N(0, 0.2), |logits| up to ~7; ORT 1.30,
 * the u8 layout, or s8 on AVX-512 VNNI: the same integer sums): max |logit diff| 0.31 (spread evenly over QKV, FFN and decoder: the per-tensor uint8
 * activations dominate) and max reconstruction probability diff 1.4e-3. The bounds leave ~2x and ~7x margin.
 */
const LOGIT_TOL = 0.6;
const RECON_TOL = 0.01;

describe.skipIf(!HAS_SHARED)("int8 on the tiny-specieslm fixture", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let folder: ModelFolder;
  let cases: FixtureCase[];
  let expected: Map<string, HostTensor>;
  let fp32: MaskedLanguageModel;
  let int8: MaskedLanguageModel;

  beforeAll(async () => {
    folder = await loadModelFolder(`${FIXTURE}model`);
    expected = (await readSafetensors(`${FIXTURE}expected.safetensors`)).tensors;
    cases = fixtureCases(/^case\d$/);
    fp32 = new MaskedLanguageModel(folder, { threads: 1 });
    int8 = new MaskedLanguageModel(folder, { threads: 1, quantize: "int8" });
  });
  afterAll(async () => {
    await fp32?.release();
    await int8?.release();
  });

  it("quantises every Linear of the logits graph (6 per layer + head transform + tied decoder)", () => {
    const g = buildInferenceGraph(folder.config, folder.weights, { logits: true });
    const r = quantizeMatMul(g);
    const ops = r.graph.nodes.map((n) => n.opType);
    expect(r.modified).toBe(true);
    expect(ops.filter((o) => o === "DynamicQuantizeMatMul")).toHaveLength(6 * folder.config.numHiddenLayers + 2);
    // Only the two attention products per layer stay float MatMuls.
    expect(ops.filter((o) => o === "MatMul")).toHaveLength(2 * folder.config.numHiddenLayers);
    // The tied embeddings stay for the Gather; the other float Linear weights are gone.
    expect(r.graph.initializers.has("bert.embeddings.word_embeddings.weight")).toBe(true);
    expect(r.graph.initializers.has("bert.encoder.layer.0.intermediate.dense.weight")).toBe(false);
  });

  it(`keeps logits within ${LOGIT_TOL} of fp32 and of the PyTorch reference`, async () => {
    for (const c of cases) {
      const batch = encodeBatch(folder.tokenizer, [{ sequence: c.sequence, species: c.species }]);
      const a = (await fp32.run("logits", batch)).logits!.data as Float32Array;
      const q = (await int8.run("logits", batch)).logits!.data as Float32Array;
      const d = maxAbsDiff(q, a);
      expect(d, `${c.name}: int8 vs fp32`).toBeLessThan(LOGIT_TOL);
      expect(d, `${c.name}: int8 should differ from fp32`).toBeGreaterThan(0);
      expect(maxAbsDiff(q, expected.get(`${c.name}.logits`)!.data as Float32Array), `${c.name}: int8 vs reference`).toBeLessThan(LOGIT_TOL);
    }
  });

  it("computes the same logits in this CPU's layout as in the portable u8 layout", async () => {
    const u8 = new MaskedLanguageModel(folder, { threads: 1, quantize: "int8", int8Weights: "u8" });
    try {
      for (const c of cases) {
        const batch = encodeBatch(folder.tokenizer, [{ sequence: c.sequence, species: c.species }]);
        const a = (await u8.run("logits", batch)).logits!.data as Float32Array;
        const q = (await int8.run("logits", batch)).logits!.data as Float32Array;
        expect(maxAbsDiff(q, a), c.name).toBeLessThan(1e-4);
      }
    } finally {
      await u8.release();
    }
  });

  it(`keeps reconstruction probabilities within ${RECON_TOL} of fp32`, async () => {
    const items = cases.map((c) => ({ id: c.name, sequence: c.sequence, species: c.species }));
    const a = await reconstruct(fp32, items, { batchSize: 32 });
    const q = await reconstruct(int8, items, { batchSize: 32 });
    items.forEach((it, i) => expect(maxAbsDiff(q[i]!, a[i]!), it.id).toBeLessThan(RECON_TOL));
  });
});
