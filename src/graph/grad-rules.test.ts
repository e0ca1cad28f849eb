import { describe, expect, it } from "vitest";
import { expectGradientsMatch, randomF32, weightedSum } from "../../test/helpers/finite-diff.js";
import type { GraphBuilder } from "./builder.js";
import type { Value } from "./types.js";

type Build = (b: GraphBuilder, x: Readonly<Record<string, Value>>) => Value;

/** Random inputs of the given shapes (seeded by position), loss = weighted sum of the output. */
async function check(shapes: Record<string, number[]>, f: Build, range: [number, number] = [-1, 1]) {
  const inputs = Object.fromEntries(Object.entries(shapes).map(([k, s], i) => [k, randomF32(s, 100 + i, ...range)]));
  const r = await expectGradientsMatch({ inputs, build: (b, x) => weightedSum(b, f(b, x)) });
  expect(r.checked).toBeGreaterThan(0);
  return r;
}

describe("elementwise gradient rules match finite differences", () => {
  it("Add, Sub, Mul, Div with broadcasting reduce to each input's shape", async () => {
    await check({ a: [2, 3], c: [3] }, (b, x) => b.add(x.a!, x.c!));
    await check({ a: [2, 1, 3], c: [4, 1] }, (b, x) => b.sub(x.a!, x.c!));
    await check({ a: [2, 3], c: [1, 3] }, (b, x) => b.mul(x.a!, x.c!));
    await check({ a: [2, 3], c: [2, 1] }, (b, x) => b.div(x.a!, x.c!), [0.5, 1.5]);
  });

  it("Mul of a value with itself sums both paths", async () => {
    await check({ a: [5] }, (b, x) => b.mul(x.a!, x.a!));
  });

  it("Pow with a constant exponent", async () => {
    await check({ a: [4] }, (b, x) => b.pow(x.a!, b.constF32(2)));
    await check({ a: [4] }, (b, x) => b.pow(x.a!, b.constF32(0.5)), [0.5, 2]);
  });

  it("Sqrt, Exp, Log, Neg, Erf, Reciprocal", async () => {
    await check({ a: [5] }, (b, x) => b.sqrt(x.a!), [0.5, 2]);
    await check({ a: [5] }, (b, x) => b.exp(x.a!));
    await check({ a: [5] }, (b, x) => b.log(x.a!), [0.5, 2]);
    await check({ a: [5] }, (b, x) => b.neg(x.a!));
    await check({ a: [5] }, (b, x) => b.erf(x.a!), [-2, 2]);
    await check({ a: [5] }, (b, x) => b.reciprocal(x.a!), [0.5, 2]);
  });

  it("GELU built from Erf, Mul and Add", async () => {
    await check({ a: [7] }, (b, x) => b.gelu(x.a!), [-3, 3]);
  });

  it("Identity, float-to-float Cast, and Where (condition not differentiated)", async () => {
    await check({ a: [3] }, (b, x) => b.cast(b.identity(x.a!), "float32"));
    await check({ a: [2, 3], c: [3] }, (b, x) => b.where(b.less(x.a!, b.constF32(0)), x.a!, x.c!));
  });
});

describe("linear algebra gradient rules match finite differences", () => {
  it("MatMul of [B, T, H] activations with a transposed [O, H] weight", async () => {
    await check({ a: [2, 3, 4], w: [5, 4] }, (b, x) => b.matmul(x.a!, b.transpose(x.w!, [1, 0])));
  });

  it("MatMul of 2-D operands and of batched 4-D attention tensors", async () => {
    await check({ a: [3, 4], c: [4, 2] }, (b, x) => b.matmul(x.a!, x.c!));
    await check({ q: [2, 2, 3, 4], k: [2, 2, 4, 3] }, (b, x) => b.matmul(x.q!, x.k!));
  });

  it("MatMul broadcasting a 3-D operand over a batch reduces the batch axis", async () => {
    await check({ a: [2, 3, 4], c: [1, 4, 2] }, (b, x) => b.matmul(x.a!, x.c!));
  });

  it("Gemm with every transA/transB combination, alpha and a broadcast C", async () => {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const aShape = tA ? [4, 3] : [3, 4];
      const cShape = tB ? [2, 4] : [4, 2];
      await check({ a: aShape, c: cShape, bias: [2] }, (b, x) => b.gemm(x.a!, x.c!, x.bias!, { transA: tA, transB: tB, alpha: 0.5 }));
    }
  });

  it("Gemm with beta scales the gradient of C", async () => {
    await check(
      { a: [3, 4], c: [4, 2], bias: [3, 2] },
      (b, x) => b.node("Gemm", [x.a!, x.c!, x.bias!], [{ dtype: "float32", shape: [3, 2] }], { beta: { float: 0.25 } })[0]!,
    );
  });
});

describe("movement and reduction gradient rules match finite differences", () => {
  it("Transpose, Reshape, Unsqueeze, Squeeze", async () => {
    await check({ a: [2, 3, 4] }, (b, x) => b.transpose(x.a!, [2, 0, 1]));
    await check({ a: [2, 3, 4] }, (b, x) => b.reshape(x.a!, [0, 12]));
    await check({ a: [2, 3] }, (b, x) => b.squeeze(b.unsqueeze(x.a!, [0, 2]), [0]));
  });

  it("Concat splits the gradient back", async () => {
    await check({ a: [2, 3], c: [2, 1], d: [2, 2] }, (b, x) => b.concat([x.a!, x.c!, x.d!], 1));
  });

  it("ReduceSum with and without keepdims", async () => {
    await check({ a: [2, 3, 4] }, (b, x) => b.reduceSum(x.a!, [1], true));
    await check({ a: [2, 3, 4] }, (b, x) => b.reduceSum(x.a!, [0, -1], false));
  });
});
