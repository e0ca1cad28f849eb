import { describe, expect, it } from "vitest";
import { expectGradientsMatch, randomF32, weightedSum } from "../../test/helpers/finite-diff.js";
import { Session } from "../runtime/session.js";
import { GraphBuilder } from "./builder.js";
import { gradient } from "./gradient.js";
import { f32, i64 } from "../host-tensor.js";
import { serializeGraph } from "./onnx/serialize.js";

describe("embedding lookups (Gather) scatter-add their gradient into the table", () => {
  it("word ids [B, T] with repeated ids into a [V, H] table", async () => {
    await expectGradientsMatch({
      inputs: { table: randomF32([6, 4], 1), ids: i64([2, 3], [1, 4, 1, 0, 4, 4]) },
      build: (b, x) => weightedSum(b, b.gather(x.table!, x.ids!)),
    });
  });

  it("negative ids count from the end of the table, as in Gather", async () => {
    await expectGradientsMatch({
      inputs: { table: randomF32([5, 2], 17), ids: i64([3], [-1, 0, 4]) },
      build: (b, x) => weightedSum(b, b.gather(x.table!, x.ids!)),
    });
  });

  it("positions from Range over the token count, a scalar token-type index and per-sequence species ids", async () => {
    await expectGradientsMatch({
      inputs: {
        pos: randomF32([5, 3], 2),
        tt: randomF32([2, 3], 3),
        sp: randomF32([4, 3], 4),
        ids: i64([2, 3], [0, 1, 2, 3, 4, 0]),
        species: i64([2], [3, 3]),
      },
      shapes: { ids: ["batch", "tokens"], species: ["batch"] },
      build: (b, x) => {
        const p = b.gather(x.pos!, b.range(b.dimOf(x.ids!, 1), "tokens")); // [tokens, 3]
        const t = b.gather(x.tt!, b.constI64(0)); // [3]
        const s = b.unsqueeze(b.gather(x.sp!, x.species!), [1]); // [batch, 1, 3]
        const h = b.add(b.add(s, p), t); // [batch, tokens, 3]
        return b.reduceSum(b.mul(h, b.mul(h, h)), [0, 1, 2], false);
      },
    });
  });
});

describe("normalisation gradient rules match finite differences", () => {
  it("Softmax along the last axis and along axis 1", async () => {
    await expectGradientsMatch({ inputs: { a: randomF32([2, 3, 4], 5, -2, 2) }, build: (b, x) => weightedSum(b, b.softmax(x.a!, -1)) });
    await expectGradientsMatch({ inputs: { a: randomF32([2, 3, 4], 6, -2, 2) }, build: (b, x) => weightedSum(b, b.softmax(x.a!, 1)) });
  });

  it("LayerNormalization over the last axis with gamma and beta", async () => {
    await expectGradientsMatch({
      inputs: { a: randomF32([2, 3, 5], 7, -2, 2), g: randomF32([5], 8, 0.5, 1.5), beta: randomF32([5], 9) },
      build: (b, x) => weightedSum(b, b.layerNorm(x.a!, x.g!, x.beta!, 1e-12).y),
    });
  });
});

describe("SoftmaxCrossEntropyLoss gradient", () => {
  it("scores [N, C] with ignored labels, mean over the non-ignored ones", async () => {
    await expectGradientsMatch({
      inputs: { s: randomF32([5, 4], 10, -2, 2), labels: i64([5], [2, -100, 0, 3, -100]) },
      build: (b, x) => b.softmaxCrossEntropy(x.s!, x.labels!).loss,
    });
  });

  it("scores [B, C, T] (classes on axis 1), as in masked-LM logits transposed", async () => {
    await expectGradientsMatch({
      inputs: { s: randomF32([2, 4, 3], 11, -2, 2), labels: i64([2, 3], [1, -100, 3, 0, 2, -100]) },
      build: (b, x) => b.softmaxCrossEntropy(x.s!, x.labels!).loss,
    });
  });

  it("an ignore_index inside the class range is still ignored", async () => {
    await expectGradientsMatch({
      inputs: { s: randomF32([4, 3], 12, -2, 2), labels: i64([4], [2, 1, 0, 1]) },
      build: (b, x) => b.softmaxCrossEntropy(x.s!, x.labels!, 1).loss,
    });
  });

  it("a gradient through the log_prob output is added to the loss gradient", async () => {
    await expectGradientsMatch({
      inputs: { s: randomF32([3, 4], 13, -2, 2), labels: i64([3], [1, 0, -100]) },
      build: (b, x) => {
        const ce = b.softmaxCrossEntropy(x.s!, x.labels!);
        return b.add(ce.loss, weightedSum(b, ce.logProb));
      },
    });
  });

  it("an all-ignored batch gives a zero gradient, not NaN", async () => {
    const b = new GraphBuilder();
    const s = b.input("s", "float32", [2, 3]);
    const labels = b.input("labels", "int64", [2]);
    const { loss } = b.softmaxCrossEntropy(s, labels);
    const g = gradient(b, loss, [s]).get("s")!;
    const sess = await Session.create(serializeGraph(b.build({ g })));
    const out = await sess.run({ s: randomF32([2, 3], 14), labels: i64([2], [-100, -100]) });
    expect(Array.from(out.g!.data as Float32Array)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe("Dropout gradient", () => {
  it("is dy * mask / (1 - ratio) for the mask drawn in the same run", async () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [4, 50]);
    const ratio = b.input("ratio", "float32", []);
    const { y, mask } = b.dropout(x, ratio, 1234);
    const w = b.constTensor(randomF32([4, 50], 15), "w");
    const loss = b.reduceSum(b.mul(y, w), [0, 1], false);
    const g = gradient(b, loss, [x]).get("x")!;
    const sess = await Session.create(serializeGraph(b.build({ g, mask })));
    const out = await sess.run({ x: randomF32([4, 50], 16), ratio: f32([], [0.25]) });
    const m = out.mask!.data as Uint8Array;
    const kept = m.reduce((a, v) => a + v, 0);
    expect(kept).toBeGreaterThan(100); // about 150 of 200 kept: the mask is neither all-on nor all-off
    expect(kept).toBeLessThan(200);
    const wd = randomF32([4, 50], 15).data;
    const expected = Array.from(m, (v, i) => (v ? wd[i]! / 0.75 : 0));
    const got = Array.from(out.g!.data as Float32Array);
    const maxDiff = Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)));
    expect(maxDiff, `max |analytic - expected| = ${maxDiff}`).toBeLessThan(1e-6);
  });
});
