import { describe, expect, it } from "vitest";
import { Session } from "../runtime/session.js";
import { GraphBuilder } from "./builder.js";
import { f32 } from "../host-tensor.js";
import { serializeGraph } from "./onnx/serialize.js";

describe("graph builder", () => {
  it("scalar constants are cached", () => {
    const b = new GraphBuilder();
    expect(b.constF32(0.5)).toBe(b.constF32(0.5));
    expect(b.constF32(0.5)).not.toBe(b.constF32(0.25));
  });

  it("scopes give parameters dotted names and nodes slashed names", () => {
    const b = new GraphBuilder();
    const name = b.scope("bert", () => b.scope("encoder.layer.0", () => b.paramName("output.dense.weight")));
    expect(name).toBe("bert.encoder.layer.0.output.dense.weight");
  });

  it("infers shapes with symbolic dims and rejects bad broadcasts", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", "tokens", 8]);
    const y = b.reshape(x, [0, 0, 2, 4]);
    expect(y.shape).toEqual(["batch", "tokens", 2, 4]);
    expect(b.reshape(x, [-1, 8]).shape).toEqual(["batch*tokens", 8]);
    expect(() => b.add(x, b.input("z", "float32", [3]))).toThrow(/cannot broadcast/);
  });

  it("runs a LayerNorm + GELU + MatMul graph in ONNX Runtime with the expected numbers", async () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["n", 3]);
    const w = b.initializer("w", f32([3, 2], [1, 0, 0, 1, 1, 1]));
    const ln = b.layerNorm(x, b.constF32([1, 1, 1]), b.constF32([0, 0, 0]), 1e-12);
    const y = b.matmul(b.gelu(ln.y), w);
    const s = await Session.create(serializeGraph(b.build({ y })));
    const out = await s.run({ x: f32([1, 3], [1, 2, 3]) });
    // LN of [1,2,3] = [-1.2247, 0, 1.2247]; gelu(z) = z * Phi(z)
    const phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
    const z = Math.sqrt(1.5);
    const g = [-z * phi(-z), 0, z * phi(z)];
    const expected = [g[0]! + g[2]!, g[1]! + g[2]!];
    expect(Array.from(out.y!.data as Float32Array)).toEqual(expected.map((v) => expect.closeTo(v, 5)));
  });
});

/** Abramowitz-Stegun 7.1.26 is too coarse for 1e-5; use the series, fine for |x| < 3. */
function erf(x: number): number {
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
