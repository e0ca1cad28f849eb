import { describe, expect, it } from "vitest";
import { mulberry32 } from "../rng.js";
import { initWeights } from "./init-weights.js";
import { presetConfig } from "./presets.js";

describe("the project PRNG", () => {
  it("draws standard normals (mean 0, variance 1 within sampling error)", () => {
    const r = mulberry32(3);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02); // 5 sigma of the mean's sampling error
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });
});

describe("initWeights", () => {
  const config = presetConfig("tiny", { vocabSize: 80 });
  const w = initWeights(config, 11);

  it("follows Hugging Face's init: normal(0, 0.02) weights, zero biases, unit LayerNorm, zero [PAD] row", () => {
    const q = w.get("bert.encoder.layer.0.attention.self.query.weight")!.data;
    const sd = Math.sqrt(q.reduce((a, x) => a + x * x, 0) / q.length);
    expect(sd).toBeGreaterThan(0.018);
    expect(sd).toBeLessThan(0.022);
    expect(w.get("bert.encoder.layer.0.attention.self.query.bias")!.data.every((x) => x === 0)).toBe(true);
    expect(w.get("bert.embeddings.LayerNorm.weight")!.data.every((x) => x === 1)).toBe(true);
    expect(w.get("cls.predictions.bias")!.data.every((x) => x === 0)).toBe(true);
    const word = w.get("bert.embeddings.word_embeddings.weight")!.data;
    expect(word.subarray(0, 64).every((x) => x === 0)).toBe(true);
    expect(word.subarray(64, 128).some((x) => x !== 0)).toBe(true);
  });

  it("is reproducible for a seed", () => {
    const again = initWeights(config, 11);
    for (const [k, t] of w) expect(again.get(k)!.data, k).toEqual(t.data);
    expect(initWeights(config, 12).get("cls.predictions.transform.dense.weight")!.data).not.toEqual(
      w.get("cls.predictions.transform.dense.weight")!.data,
    );
  });
});
