import { describe, expect, it } from "vitest";
import { expectGradientsMatch, randomF32 } from "../../test/helpers/finite-diff.js";
import type { GraphBuilder } from "./builder.js";
import { f32, type HostTensor, i64 } from "../host-tensor.js";
import type { Value } from "./types.js";

// Letters: B batch (2), T tokens (3), H hidden (4), A heads (2), D head size (2), F FFN (8), V vocab (7).
const [H, A, D, F, V] = [4, 2, 2, 8, 7];

const PARAMS: Record<string, number[]> = {
  word: [V, H],
  pos: [3, H],
  tt: [2, H],
  sp: [3, H],
  ln0g: [H],
  ln0b: [H],
  wq: [H, H],
  bq: [H],
  wk: [H, H],
  bk: [H],
  wv: [H, H],
  bv: [H],
  wo: [H, H],
  bo: [H],
  ln1g: [H],
  ln1b: [H],
  w1: [F, H],
  b1: [F],
  w2: [H, F],
  b2: [H],
  ln2g: [H],
  ln2b: [H],
  dec: [V, H],
  decb: [V],
};

/** HF-style linear: x [.., in] times the transposed [out, in] weight plus bias. */
function linear(b: GraphBuilder, x: Value, w: Value, bias: Value): Value {
  return b.add(b.matmul(x, b.transpose(w, [1, 0])), bias);
}

/** [B, T, H] -> [B, A, T, D] */
function heads(b: GraphBuilder, x: Value): Value {
  return b.transpose(b.reshape(x, [0, 0, A, D]), [0, 2, 1, 3]);
}

/** A one-layer BERT: embeddings + LN, self-attention with a padding mask, GELU FFN, LN, tied-style decoder, masked CE. */
function tinyBert(b: GraphBuilder, x: Readonly<Record<string, Value>>): Value {
  const p = (k: string) => x[k]!;
  const ids = p("ids");
  const emb = b.add(
    b.add(b.gather(p("word"), ids), b.gather(p("pos"), b.range(b.dimOf(ids, 1), "tokens"))),
    b.add(b.gather(p("tt"), b.constI64(0)), b.unsqueeze(b.gather(p("sp"), p("species")), [1])),
  );
  const h0 = b.layerNorm(emb, p("ln0g"), p("ln0b"), 1e-12).y; // [B, T, H]
  const q = heads(b, linear(b, h0, p("wq"), p("bq")));
  const k = heads(b, linear(b, h0, p("wk"), p("bk")));
  const v = heads(b, linear(b, h0, p("wv"), p("bv")));
  const bias = b.mul(b.sub(b.constF32(1), b.unsqueeze(p("mask"), [1, 2])), b.constF32(-10000)); // [B, 1, 1, T]
  const scores = b.add(b.mul(b.matmul(q, b.transpose(k, [0, 1, 3, 2])), b.constF32(1 / Math.sqrt(D))), bias);
  const ctx = b.reshape(b.transpose(b.matmul(b.softmax(scores, -1), v), [0, 2, 1, 3]), [0, 0, H]);
  const attn = b.dropout(linear(b, ctx, p("wo"), p("bo")), p("ratio")).y;
  const h1 = b.layerNorm(b.add(attn, h0), p("ln1g"), p("ln1b"), 1e-12).y;
  const ffn = linear(b, b.gelu(linear(b, h1, p("w1"), p("b1"))), p("w2"), p("b2"));
  const h2 = b.layerNorm(b.add(ffn, h1), p("ln2g"), p("ln2b"), 1e-12).y;
  const logits = linear(b, h2, p("dec"), p("decb")); // [B, T, V]
  return b.softmaxCrossEntropy(b.reshape(logits, [-1, V]), b.reshape(p("labels"), [-1])).loss;
}

describe("chain rule through a one-layer transformer", () => {
  it("loss gradients of every parameter match finite differences", async () => {
    const inputs: Record<string, HostTensor> = {
      ids: i64([2, 3], [1, 5, 6, 3, 3, 0]),
      species: i64([2], [2, 0]),
      labels: i64([2, 3], [-100, 2, 6, 4, -100, -100]),
      mask: f32([2, 3], [1, 1, 1, 1, 1, 0]),
      ratio: f32([], [0]),
    };
    Object.entries(PARAMS).forEach(([k, s], i) => (inputs[k] = randomF32(s, 40 + i, ...(k.endsWith("g") ? [0.5, 1.5] : [-1, 1]))));
    const r = await expectGradientsMatch(
      {
        inputs,
        wrt: Object.keys(PARAMS),
        shapes: { ids: ["batch", "tokens"], labels: ["batch", "tokens"], species: ["batch"], mask: ["batch", "tokens"] },
        build: tinyBert,
      },
      { atol: 2e-3 },
    );
    expect(r.checked).toBe(Object.values(PARAMS).reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0));
    // Vocabulary rows that no id selects (2 and 4) get exactly zero gradient from the scatter-add.
    const word = r.analytic.word!;
    expect(Array.from(word.subarray(2 * H, 3 * H))).toEqual([0, 0, 0, 0]);
  });
});
