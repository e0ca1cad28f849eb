import { describe, expect, it } from "vitest";
import { expectGradientsMatch, randomF32 } from "../../test/helpers/finite-diff.js";
import { GradientError } from "../errors.js";
import { Session } from "../runtime/session.js";
import { GraphBuilder } from "./builder.js";
import { gradient } from "./gradient.js";
import { f32 } from "../host-tensor.js";
import { serializeGraph } from "./onnx/serialize.js";

describe("gradient walker", () => {
  it("throws a GradientError naming the op when a node on the path has no rule", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    const loss = b.reduceSum(b.max(x, b.constF32(0)), [0], false);
    expect(() => gradient(b, loss, [x])).toThrow(GradientError);
    expect(() => gradient(b, loss, [x])).toThrow(/no gradient rule for Max/);
  });

  it("ignores nodes that are not on a path from a target to the loss", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    const c = b.input("c", "float32", [3]);
    b.max(x, c); // reads x but does not reach the loss
    const loss = b.reduceSum(b.mul(x, b.max(c, b.constF32(0))), [0], false); // Max only on a constant path
    expect(gradient(b, loss, [x]).get("x")!.shape).toEqual([3]);
  });

  it("rejects a loss with more than one element", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    expect(() => gradient(b, x, [x])).toThrow(/reduce it to a scalar/);
  });

  it("gives zeros, nothing or an error for targets the loss does not use", async () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2]);
    const unused = b.input("u", "float32", ["n", 2]);
    const loss = b.reduceSum(b.mul(x, x), [0], false);
    expect(() => gradient(b, loss, [x, unused], { unused: "error" })).toThrow(/does not depend on "u"/);
    expect(gradient(b, loss, [x, unused], { unused: "omit" }).has("u")).toBe(false);
    const g = gradient(b, loss, [x, unused]);
    const s = await Session.create(serializeGraph(b.build({ gx: g.get("x")!, gu: g.get("u")! })));
    const out = await s.run({ x: f32([2], [1.5, -2]), u: f32([3, 2], [1, 2, 3, 4, 5, 6]) });
    expect(Array.from(out.gx!.data as Float32Array)).toEqual([3, -4]);
    expect(out.gu!.shape).toEqual([3, 2]);
    expect(Array.from(out.gu!.data as Float32Array)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("undoes broadcasting and handles symbolic batch and token dims", async () => {
    // x [batch, tokens, 4] -> linear (weight [3, 4], bias [3]) -> LayerNorm -> sum of squares.
    await expectGradientsMatch({
      inputs: { x: randomF32([2, 3, 4], 1), w: randomF32([3, 4], 2), bias: randomF32([3], 3), g: randomF32([3], 4, 0.5, 1.5) },
      shapes: { x: ["batch", "tokens", 4] },
      build: (b, v) => {
        const h = b.add(b.matmul(v.x!, b.transpose(v.w!, [1, 0])), v.bias!);
        const y = b.layerNorm(h, v.g!, b.constF32([0.1, 0.2, 0.3]), 1e-5).y;
        return b.reduceSum(b.mul(y, b.mul(y, h)), [0, 1, 2], false);
      },
    });
  });

  it("accepts a custom seed for the upstream gradient", async () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2]);
    const loss = b.reduceSum(b.mul(x, x), [0], false);
    const g = gradient(b, loss, [x], { seed: b.constF32(0.5) });
    const s = await Session.create(serializeGraph(b.build({ g: g.get("x")! })));
    const out = await s.run({ x: f32([2], [1, 3]) });
    expect(Array.from(out.g!.data as Float32Array)).toEqual([1, 3]);
  });
});
