import { describe, expect, it } from "vitest";
import { mulberry32 } from "../rng.js";
import { buildVocab } from "../tokenizer/build-vocab.js";
import { KmerTokenizer } from "../tokenizer/kmer-tokenizer.js";
import { kmerSpanMasker } from "./batches.js";
import { IGNORE_INDEX } from "./loss-graph.js";
import { hiddenCount, maskingConfig, maskKmerTokens, ONE_SPAN } from "./masking.js";

// Masking of single-nucleotide tokens (k = 1): a span is one token, and each masked token hides its base.
const vocab = buildVocab({ k: 1, species: ["yeast_a", "yeast_b"] });
const tok = new KmerTokenizer(vocab);
const cfg = maskingConfig(vocab);
const BASES = new Set([5, 6, 7, 8]);

function sequence(len: number, seed: number): number[] {
  const r = mulberry32(seed);
  const dna = Array.from({ length: len }, () => "ACGT"[r.int(4)]).join("");
  return [...tok.encode(dna, "yeast_b").ids, vocab.padId, vocab.padId];
}

const maskedPositions = (labels: Int32Array): number[] => Array.from(labels).flatMap((l, i) => (l === IGNORE_INDEX ? [] : [i]));

describe("masking single-nucleotide tokens (k = 1)", () => {
  it("hides one nucleotide per masked token", () => {
    const m = new Uint8Array(30);
    m[3] = 1;
    m[4] = 1;
    m[20] = 1;
    expect(hiddenCount(m, 1)).toBe(3);
  });

  it("masks 15% of the base tokens one by one, never a special or species token, every masked one hidden", () => {
    const fractions: number[] = [];
    let isolated = 0;
    let masked = 0;
    for (let s = 0; s < 300; s++) {
      const ids = sequence(200, s);
      const m = maskKmerTokens(ids, cfg, mulberry32(100 + s));
      const pos = maskedPositions(m.labels);
      expect(m.nucleotides).toBe(200);
      expect(m.maskedTokens).toBe(pos.length);
      expect(m.hiddenNucleotides).toBe(m.maskedTokens);
      expect(pos.every((p) => BASES.has(ids[p]!) && m.labels[p] === ids[p])).toBe(true);
      expect([0, 1, ids.length - 3, ids.length - 2, ids.length - 1].every((p) => m.inputIds[p] === ids[p])).toBe(true);
      fractions.push(pos.length / 200);
      const set = new Set(pos);
      isolated += pos.filter((p) => !set.has(p - 1) && !set.has(p + 1)).length;
      masked += pos.length;
    }
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    expect(mean).toBeGreaterThan(0.145);
    expect(mean).toBeLessThan(0.155);
    expect(Math.min(...fractions)).toBeGreaterThan(0.13);
    // Positions are drawn independently: a masked token's neighbours are both visible ~0.85^2 of the time.
    expect(isolated / masked).toBeGreaterThan(0.68);
    expect(isolated / masked).toBeLessThan(0.78);
  });

  it("replaces masked tokens 80% by [MASK], 10% by a random base (a quarter of which is the same base) and keeps 10%", () => {
    let [mask, other, same, total] = [0, 0, 0, 0];
    for (let s = 0; s < 400; s++) {
      const ids = sequence(200, s);
      const m = maskKmerTokens(ids, cfg, mulberry32(5000 + s));
      for (const p of maskedPositions(m.labels)) {
        total++;
        if (m.inputIds[p] === vocab.maskId) mask++;
        else if (m.inputIds[p] === ids[p]) same++;
        else if (BASES.has(m.inputIds[p]!)) other++;
      }
    }
    expect(total).toBeGreaterThan(11000);
    expect(Math.abs(mask / total - 0.8)).toBeLessThan(0.015);
    expect(Math.abs(other / total - 0.075)).toBeLessThan(0.01);
    expect(Math.abs(same / total - 0.125)).toBeLessThan(0.012);
  });

  it("strided layout: one token every `stride` from a random phase; the stride must exceed 1", () => {
    const strided = maskingConfig(vocab, { stride: 13 });
    const phases = new Set<number>();
    for (let s = 0; s < 40; s++) {
      const ids = sequence(300, s);
      const m = maskKmerTokens(ids, strided, mulberry32(300 + s));
      const pos = maskedPositions(m.labels).map((p) => p - 2); // base index
      phases.add(pos[0]!);
      expect(pos[0]!).toBeLessThan(13);
      pos.slice(1).forEach((p, i) => expect(p - pos[i]!).toBe(13));
      expect(pos.at(-1)! + 13).toBeGreaterThanOrEqual(300);
      expect(m.hiddenNucleotides).toBe(pos.length);
    }
    expect(phases.size).toBeGreaterThan(8);
    expect(() => maskingConfig(vocab, { stride: 1 })).toThrow(/above k = 1/);
    expect(() => maskingConfig(vocab, { stride: 2 })).not.toThrow();
  });

  it("a stride list with 1000 masks one base in a 300-nt row (the one-span recipe's layout)", () => {
    const masker = kmerSpanMasker(vocab, { stride: [1000], replace: "mask" });
    const ids = Int32Array.from(sequence(300, 9));
    const row = ids.slice();
    const scored = masker(row, ids.length - 2, 2, mulberry32(4));
    expect(scored).toHaveLength(1);
    expect(row[scored[0]!]).toBe(vocab.maskId);
    row.forEach((id, t) => {
      if (t !== scored[0]) expect(id).toBe(ids[t]);
    });
  });

  it("ONE_SPAN masks one base in a 1,003-nt 5' row too (a stride of 1000 masked two when the phase fell below 6)", () => {
    const masker = kmerSpanMasker(vocab, { stride: [ONE_SPAN], replace: "mask" });
    const ids = Int32Array.from(sequence(1003, 9));
    const counts = new Set<number>();
    for (let seed = 0; seed < 400; seed++) counts.add(masker(ids.slice(), ids.length - 2, 2, mulberry32(seed)).length);
    expect([...counts]).toEqual([1]);
  });
});
