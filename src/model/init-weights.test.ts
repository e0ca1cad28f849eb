import { describe, expect, it } from "vitest";
import { mulberry32 } from "../rng.js";
import type { BertConfig } from "./config.js";
import { headOffsets, initWeights } from "./init-weights.js";
import type { Weights } from "./weights.js";
import { presetConfig } from "./presets.js";
import { buildVocab } from "../tokenizer/build-vocab.js";

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
    expect(initWeights(config, 12).get("cls.predictions.transform.dense.weight")!.data).not.toEqual(w.get("cls.predictions.transform.dense.weight")!.data);
  });
});

/**
 * Attention probabilities of (layer, head, query token) over a token sequence, computed from the
 * embedding-LayerNorm outputs (what the first layer reads). The positional kernel repeats every 2d
 * tokens (64 for mini): a head peaks on its offset and on the offset +-64, so ~one period is read.
 */
function attentionAt(w: Weights, config: BertConfig, ids: readonly number[]) {
  const H = config.hiddenSize;
  const d = H / config.numAttentionHeads;
  const word = w.get("bert.embeddings.word_embeddings.weight")!.data;
  const pos = w.get("bert.embeddings.position_embeddings.weight")!.data;
  const type = w.get("bert.embeddings.token_type_embeddings.weight")!.data;
  const xs = ids.map((id, t) => {
    const e = Array.from({ length: H }, (_, h) => word[id * H + h]! + pos[t * H + h]! + type[h]!);
    const mu = e.reduce((a, b) => a + b) / H;
    const sd = Math.sqrt(e.reduce((a, b) => a + (b - mu) ** 2, 0) / H);
    return e.map((x) => (x - mu) / sd);
  });
  const project = (W: Float32Array, x: number[], head: number) =>
    Array.from({ length: d }, (_, r) => x.reduce((a, xi, i) => a + W[(head * d + r) * H + i]! * xi, 0));
  return (layer: number, head: number, i: number): number[] => {
    const Wq = w.get(`bert.encoder.layer.${layer}.attention.self.query.weight`)!.data;
    const Wk = w.get(`bert.encoder.layer.${layer}.attention.self.key.weight`)!.data;
    const q = project(Wq, xs[i]!, head);
    const logits = xs.map((x) => project(Wk, x, head).reduce((a, k, r) => a + k * q[r]!, 0) / Math.sqrt(d));
    const max = Math.max(...logits);
    const p = logits.map((l) => Math.exp(l - max));
    const z = p.reduce((a, b) => a + b);
    return p.map((x) => x / z);
  };
}

/** A mini model with structured init (seed 5) over the k-mer vocabulary of two species; H hidden size, d head size. */
function structuredMini(k: number) {
  const vocab = buildVocab({ k, species: ["a", "b"] });
  const config = presetConfig("mini", { vocabSize: vocab.size, kmerSize: k });
  const w = initWeights(config, 5, { embeddings: "structured", kmerIds: vocab.kmerIds });
  return { vocab, config, w, H: config.hiddenSize, d: config.hiddenSize / config.numAttentionHeads };
}

/** In the first and last layer, head h puts over 0.9 of token 35's attention on the token at 35 + offsets[h]. */
function expectOffsetHeads(w: Weights, config: BertConfig, ids: readonly number[], offsets: readonly number[]): void {
  const attention = attentionAt(w, config, ids);
  for (const layer of [0, config.numHiddenLayers - 1]) {
    offsets.forEach((o, head) => expect(attention(layer, head, 35)[35 + o], `layer ${layer} head ${head}`).toBeGreaterThan(0.9));
  }
}

describe("structured init", () => {
  const { vocab, config, w, H, d } = structuredMini(6);
  const word = w.get("bert.embeddings.word_embeddings.weight")!.data;
  const row = (kmer: string) => word.subarray(vocab.id(kmer)! * H, (vocab.id(kmer)! + 1) * H);
  const diff = (a: string, b: string) => row(a).map((x, i) => x - row(b)[i]!);

  it("builds k-mer rows from per-(offset, base) parts: swapping one base moves every row the same way", () => {
    const d1 = diff("CCAGTT", "CCGGTT"); // A -> G at offset 2, in two contexts
    const d2 = diff("TTAACG", "TTGACG");
    for (let i = 0; i < H; i++) expect(d1[i]!).toBeCloseTo(d2[i]!, 6);
    const d3 = diff("ACCGTT", "GCCGTT"); // the same swap at offset 0 moves the row elsewhere
    expect(d1.some((x, i) => Math.abs(x - d3[i]!) > 1e-3)).toBe(true);
    expect(
      row("ACGTAC")
        .subarray(0, d)
        .every((x) => x === 0),
    ).toBe(true); // the positional block is left to positions
  });

  it("keeps the random init's scale per entry and the zero [PAD] row", () => {
    const kmerRows = Array.from(vocab.kmerIds, (id) => word.subarray(id * H + d, (id + 1) * H));
    const sd = Math.sqrt(kmerRows.reduce((a, r) => a + r.reduce((b, x) => b + x * x, 0), 0) / (kmerRows.length * (H - d)));
    expect(sd).toBeGreaterThan(0.015);
    expect(sd).toBeLessThan(0.025);
    expect(word.subarray(config.padTokenId * H, (config.padTokenId + 1) * H).every((x) => x === 0)).toBe(true);
  });

  it("starts heads 0..3 of every layer on the tokens at offsets -1, +1, -k, +k", () => {
    expectOffsetHeads(
      w,
      config,
      Array.from({ length: 70 }, (_, t) => vocab.kmerIds[mulberry32(9 + t).int(4096)]!),
      [-1, 1, -6, 6],
    );
  });

  it("keeps the token type out of the positional block and starts species vectors at 0", () => {
    const c = presetConfig("mini", { vocabSize: vocab.size, kmerSize: 6, conditioning: "embedding", numSpecies: 2 });
    const we = initWeights(c, 5, { embeddings: "structured", kmerIds: vocab.kmerIds });
    const type = we.get("bert.embeddings.token_type_embeddings.weight")!.data;
    expect(type.subarray(0, d).every((x) => x === 0)).toBe(true);
    expect(type.subarray(d, H).some((x) => x !== 0)).toBe(true);
    expect(we.get("specieslm.species_embeddings.weight")!.data.every((x) => x === 0)).toBe(true);
  });

  it("needs the vocabulary's k-mer ids", () => {
    expect(() => initWeights(config, 5, { embeddings: "structured" })).toThrow(/k-mer ids/);
  });
});

describe("structured init of a single-nucleotide model (k = 1)", () => {
  const { vocab, config, w, H, d } = structuredMini(1);

  it("gives each base its own row in the word block, at the random init's scale", () => {
    const word = w.get("bert.embeddings.word_embeddings.weight")!.data;
    const rows = Array.from(vocab.kmerIds, (id) => word.subarray(id * H, (id + 1) * H));
    for (const r of rows) expect(r.subarray(0, d).every((x) => x === 0)).toBe(true);
    const sd = Math.sqrt(rows.reduce((a, r) => a + r.subarray(d).reduce((b, x) => b + x * x, 0), 0) / (4 * (H - d)));
    expect(sd).toBeGreaterThan(0.015);
    expect(sd).toBeLessThan(0.025);
  });

  it("starts heads 0..3 on the bases at -1, +1, -2, +2 (the tokens k away are the neighbours)", () => {
    expect(headOffsets(1, 4)).toEqual([-1, 1, -2, 2]);
    expect(headOffsets(6, 4)).toEqual([-1, 1, -6, 6]);
    expect(headOffsets(1, 2)).toEqual([-1, 1]);
    expectOffsetHeads(
      w,
      config,
      Array.from({ length: 70 }, (_, t) => vocab.kmerIds[mulberry32(9 + t).int(4)]!),
      [-1, 1, -2, 2],
    );
  });

  it("routes what each offset head reads into the word block at gain ~0.5 (value x output), leaving the positional block alone", () => {
    const heads = 4;
    for (const layer of [0, config.numHiddenLayers - 1]) {
      const V = w.get(`bert.encoder.layer.${layer}.attention.self.value.weight`)!.data; // [out, in]
      const O = w.get(`bert.encoder.layer.${layer}.attention.output.dense.weight`)!.data;
      // Head h's copy of a word-block vector x: O[:, h*d:(h+1)*d] V[h*d:(h+1)*d, :] x. Its mean squared gain over
      // random unit inputs is the squared Frobenius norm of that product over the word block, / (H - d).
      let gain2 = 0;
      for (let h = 0; h < heads; h++) {
        for (let r = 0; r < H; r++) {
          for (let c = 0; c < H; c++) {
            let m = 0;
            for (let j = h * d; j < (h + 1) * d; j++) m += O[r * H + j]! * V[j * H + c]!;
            if (r < d || c < d) expect(m, `layer ${layer} head ${h} touches the positional block`).toBe(0);
            else gain2 += (m * m) / (H - d);
          }
        }
      }
      expect(Math.sqrt(gain2)).toBeGreaterThan(0.4);
      expect(Math.sqrt(gain2)).toBeLessThan(0.6);
    }
  });

  it("keeps Hugging Face's value and output init for 6-mer models", () => {
    const six = presetConfig("mini", { vocabSize: buildVocab({ k: 6, species: ["a"] }).size });
    const w6 = initWeights(six, 5, { embeddings: "structured", kmerIds: buildVocab({ k: 6, species: ["a"] }).kmerIds });
    const V = w6.get("bert.encoder.layer.0.attention.self.value.weight")!.data;
    const sd = Math.sqrt(V.reduce((a, x) => a + x * x, 0) / V.length);
    expect(sd).toBeGreaterThan(0.018);
    expect(sd).toBeLessThan(0.022);
  });
});
