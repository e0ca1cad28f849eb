import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { i64 } from "../src/host-tensor.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { FIXTURE, HAS_SHARED, maxAbsDiff, SKIP_REASON } from "./helpers/shared.js";

/**
 * Minimal edge masks, computed independently of reconstruct(): mask exactly the tokens covering p,
 * take the full logits, softmax over the k-mer ids at each masked token, and add up the mass of the
 * k-mers carrying each base at p's offset.
 */
async function directEdgeProbs(m: MaskedLanguageModel, sequence: string, species: string, p: number): Promise<number[]> {
  const k = m.tokenizer.k;
  const enc = m.tokenizer.encode(sequence, species, { record: "edge" });
  const head = 2; // [CLS] and the species token
  const n = sequence.length - k + 1;
  const [lo, hi] = [Math.max(0, p - k + 1), Math.min(n - 1, p)];
  const ids = Array.from(enc.ids, BigInt);
  for (let q = lo; q <= hi; q++) ids[head + q] = BigInt(m.tokenizer.vocab.maskId);
  const T = ids.length;
  const out = await m.run("logits", {
    inputIds: i64([1, T], BigInt64Array.from(ids)),
    attentionMask: i64([1, T], new BigInt64Array(T).fill(1n)),
  });
  const logits = out.logits!.data as Float32Array;
  const V = m.config.vocabSize;
  const kmerIds = m.tokenizer.vocab.kmerIds;
  const sum = [0, 0, 0, 0];
  for (let q = lo; q <= hi; q++) {
    const row = logits.subarray((head + q) * V, (head + q + 1) * V);
    let max = -Infinity;
    for (const id of kmerIds) max = Math.max(max, row[id]!);
    let z = 0;
    for (const id of kmerIds) z += Math.exp(row[id]! - max);
    kmerIds.forEach((id, code) => {
      const base = Math.floor(code / 4 ** (k - 1 - (p - q))) % 4;
      sum[base]! += Math.exp(row[id]! - max) / z;
    });
  }
  const total = sum.reduce((a, b) => a + b, 0);
  return sum.map((x) => x / total);
}

describe.skipIf(!HAS_SHARED)("reconstruction with minimal edge masks (tiny-specieslm)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let model: MaskedLanguageModel;
  let item: { id: string; sequence: string; species: string };
  beforeAll(async () => {
    model = await MaskedLanguageModel.load(`${FIXTURE}model`, { threads: 1 });
    const cases = (JSON.parse(readFileSync(`${FIXTURE}cases.json`, "utf8")) as { cases: { name: string; sequence: string; species: string | null }[] }).cases;
    const c = cases.find((x) => x.species !== null && x.sequence.length >= 40)!;
    item = { id: c.name, sequence: c.sequence, species: c.species! };
  });
  afterAll(async () => model.release());

  it("hides an edge nucleotide with only the tokens covering it, exactly as a direct masked pass", async () => {
    const L = item.sequence.length;
    const k = model.tokenizer.k;
    const edgePositions = [0, 1, k - 2, L - k + 1, L - 2, L - 1];
    const [minimal] = await reconstruct(model, [item], { edges: "minimal" });
    for (const p of edgePositions) {
      const direct = await directEdgeProbs(model, item.sequence, item.species, p);
      expect(maxAbsDiff(minimal!.subarray(p * 4, p * 4 + 4), direct), `position ${p}`).toBeLessThan(1e-5);
    }
  });

  it("leaves the interior as the published recipe reads it, and changes the edges", async () => {
    const L = item.sequence.length;
    const k = model.tokenizer.k;
    const [published] = await reconstruct(model, [item], { edges: "span" });
    const [minimal] = await reconstruct(model, [item], { edges: "minimal", spansPerPass: 1 });
    const interior = (x: Float32Array) => x.subarray((k - 1) * 4, (L - k + 1) * 4);
    expect(maxAbsDiff(interior(minimal!), interior(published!))).toBeLessThan(1e-6);
    expect(maxAbsDiff(minimal!.subarray(0, 4), published!.subarray(0, 4))).toBeGreaterThan(1e-4);
  });

  it("reads the same edges when several spans share a pass, and for a subset of positions", async () => {
    const L = item.sequence.length;
    const [exact] = await reconstruct(model, [item], { edges: "minimal" });
    const [multi] = await reconstruct(model, [item], { edges: "minimal", spansPerPass: 4 });
    const [some] = await reconstruct(model, [item], { edges: "minimal", positions: () => [0, L - 1] });
    // Both edges of one pass sit k tokens or more apart; the head at one end still sees the other masked.
    for (const p of [0, L - 1]) {
      expect(maxAbsDiff(some!.subarray(p * 4, p * 4 + 4), exact!.subarray(p * 4, p * 4 + 4))).toBeLessThan(1e-6);
      expect(maxAbsDiff(multi!.subarray(p * 4, p * 4 + 4), exact!.subarray(p * 4, p * 4 + 4))).toBeLessThan(0.05);
    }
  });
});
