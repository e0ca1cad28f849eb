import { describe, expect, it } from "vitest";
import { buildVocab } from "../tokenizer/build-vocab.js";
import { IGNORE_INDEX } from "./loss-graph.js";
import { kmerSpanMasker } from "./batches.js";
import { hiddenCount, maskingConfig, maskKmerTokens } from "./masking.js";
import { mulberry32 } from "../rng.js";

const vocab = buildVocab({ k: 6, species: ["yeast_a", "yeast_b"] });
const cfg = maskingConfig(vocab);
const K = 6;

/** `[CLS] <species> kmer... [SEP] [PAD] [PAD]` for a random sequence of `len` nucleotides. */
function sequence(len: number, seed: number): { ids: number[]; dna: string } {
  const r = mulberry32(seed);
  const dna = Array.from({ length: len }, () => "ACGT"[r.int(4)]).join("");
  const kmers = [];
  for (let i = 0; i + K <= len; i++) kmers.push(vocab.id(dna.slice(i, i + K))!);
  return { ids: [vocab.clsId, vocab.speciesIds.get("yeast_b")!, ...kmers, vocab.sepId, vocab.padId, vocab.padId], dna };
}

describe("k-mer masked-LM masking", () => {
  it("masking k consecutive tokens hides exactly one nucleotide; a span of s tokens hides s - k + 1", () => {
    const m = new Uint8Array(30);
    m.fill(1, 10, 16);
    expect(hiddenCount(m, K)).toBe(1);
    m.fill(1, 10, 20);
    expect(hiddenCount(m, K)).toBe(20 - 10 - K + 1);
    const edge = new Uint8Array(30);
    edge[0] = 1; // the first nucleotide is covered by token 0 only
    expect(hiddenCount(edge, K)).toBe(1);
  });

  it("masks about 15% of k-mer tokens in spans of k, per sequence and on average, hiding at least one nucleotide", () => {
    const fractions: number[] = [];
    for (let s = 0; s < 400; s++) {
      const { ids } = sequence(150, s);
      const m = maskKmerTokens(ids, cfg, mulberry32(1000 + s));
      expect(m.nucleotides).toBe(150);
      fractions.push(m.maskedTokens / (150 - K + 1));
      expect(m.hiddenNucleotides).toBeGreaterThanOrEqual(1);
      // Every maximal run of masked tokens is at least k long: spans are never cut.
      const runLengths = (
        m.labels
          .join(",")
          .replace(/-100/g, "_")
          .split(",")
          .map((x) => (x === "_" ? "." : "x"))
          .join("")
          .match(/x+/g) ?? []
      ).map((r) => r.length);
      expect(Math.min(...runLengths)).toBeGreaterThanOrEqual(K);
    }
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    expect(mean).toBeGreaterThan(0.14);
    expect(mean).toBeLessThan(0.17);
    expect(Math.min(...fractions)).toBeGreaterThan(0.1);
    expect(Math.max(...fractions)).toBeLessThan(0.2);
  });

  it("never masks [CLS], the species token, [SEP] or [PAD], and labels -100 everywhere unmasked", () => {
    for (let s = 0; s < 50; s++) {
      const { ids } = sequence(60, s);
      const m = maskKmerTokens(ids, cfg, mulberry32(s));
      const n = ids.length;
      for (const pos of [0, 1, n - 3, n - 2, n - 1]) {
        expect(m.inputIds[pos]).toBe(ids[pos]);
        expect(m.labels[pos]).toBe(IGNORE_INDEX);
      }
      m.labels.forEach((l, i) => expect(l === IGNORE_INDEX || l === ids[i]).toBe(true));
      expect(m.labels.filter((l) => l !== IGNORE_INDEX).length).toBe(m.maskedTokens);
    }
  });

  it("every masked token covers a nucleotide that no unmasked token reveals", () => {
    for (let s = 0; s < 100; s++) {
      const { ids, dna } = sequence(80, s);
      const m = maskKmerTokens(ids, cfg, mulberry32(77 + s));
      const run = Array.from(m.labels.slice(2, 2 + dna.length - K + 1), (l) => l !== IGNORE_INDEX);
      // Nucleotides readable from the unmasked k-mers.
      const known = new Uint8Array(dna.length);
      run.forEach((masked, j) => !masked && known.fill(1, j, j + K));
      const hidden = known.reduce((a, v) => a + (v ? 0 : 1), 0);
      expect(hidden).toBe(m.hiddenNucleotides);
      run.forEach((masked, j) => {
        if (masked) expect(known.subarray(j, j + K).includes(0), `token ${j} masked without hiding anything`).toBe(true);
      });
    }
  });

  it("replaces masked tokens 80% by [MASK], 10% by a random k-mer and keeps 10%", () => {
    let [mask, random, kept, total] = [0, 0, 0, 0];
    for (let s = 0; s < 500; s++) {
      const { ids } = sequence(200, s);
      const m = maskKmerTokens(ids, cfg, mulberry32(5000 + s));
      m.labels.forEach((l, i) => {
        if (l === IGNORE_INDEX) return;
        total++;
        if (m.inputIds[i] === vocab.maskId) mask++;
        else if (m.inputIds[i] === ids[i]) kept++;
        else {
          random++;
          expect(cfg.kmerIds.has(m.inputIds[i]!)).toBe(true);
        }
      });
    }
    expect(total).toBeGreaterThan(10000);
    expect(Math.abs(mask / total - 0.8)).toBeLessThan(0.015);
    expect(Math.abs(random / total - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(kept / total - 0.1)).toBeLessThan(0.01);
  });

  it('the "mask" replacement turns every scored token into [MASK]', () => {
    const masker = kmerSpanMasker(vocab, { stride: 13, replace: "mask" });
    const { ids } = sequence(300, 7);
    const row = Int32Array.from(ids);
    const scored = masker(row, ids.length, 2, mulberry32(11));
    expect(scored.length).toBeGreaterThanOrEqual(21 * K);
    for (const t of scored) expect(row[t]).toBe(vocab.maskId);
    row.forEach((id, t) => {
      if (!scored.includes(t)) expect(id).toBe(ids[t]);
    });
  });

  it("is deterministic for a seed", () => {
    const { ids } = sequence(100, 3);
    const a = maskKmerTokens(ids, cfg, mulberry32(9));
    const b = maskKmerTokens(ids, cfg, mulberry32(9));
    const c = maskKmerTokens(ids, cfg, mulberry32(10));
    expect(Array.from(a.inputIds)).toEqual(Array.from(b.inputIds));
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.labels)).not.toEqual(Array.from(c.labels));
  });

  it("strided masking: a span of k every `stride` tokens, each hiding one nucleotide with stride - 1 visible ones to the next", () => {
    const strided = maskingConfig(vocab, { stride: 13 });
    const phases = new Set<number>();
    for (let s = 0; s < 60; s++) {
      const { ids, dna } = sequence(300, s);
      const m = maskKmerTokens(ids, strided, mulberry32(300 + s));
      const run = Array.from(m.labels.slice(2, 2 + dna.length - K + 1), (l) => l !== IGNORE_INDEX);
      const starts = run.flatMap((x, j) => (x && !run[j - 1] ? [j] : []));
      phases.add(starts[0]!);
      expect(starts[0]!).toBeLessThan(13);
      starts.forEach((st, i) => {
        expect(run.slice(st, st + K).every(Boolean) && !run[st + K]).toBe(true);
        if (i > 0) expect(st - starts[i - 1]!).toBe(13);
      });
      expect(starts.at(-1)! + 13 + K).toBeGreaterThan(run.length); // no room left for another span
      // One nucleotide per span, plus the k - 1 edge nucleotides a span at either end also hides.
      const edges = (starts[0] === 0 ? K - 1 : 0) + (starts.at(-1)! + K === run.length ? K - 1 : 0);
      expect(m.hiddenNucleotides).toBe(starts.length + edges);
      expect(starts.length).toBeGreaterThanOrEqual(21);
    }
    expect(phases.size).toBeGreaterThan(8);
    expect(() => maskingConfig(vocab, { stride: K })).toThrow(/above k = 6/);
  });

  it("a list of strides draws one per row: stride 1000 masks a single span, 13 the strided layout", () => {
    const mixed = maskingConfig(vocab, { stride: [13, 1000] });
    const spansPerRow = new Map<number, number>();
    for (let s = 0; s < 60; s++) {
      const { ids, dna } = sequence(300, s);
      const m = maskKmerTokens(ids, mixed, mulberry32(700 + s));
      const run = Array.from(m.labels.slice(2, 2 + dna.length - K + 1), (l) => l !== IGNORE_INDEX);
      const starts = run.flatMap((x, j) => (x && !run[j - 1] ? [j] : []));
      expect(m.maskedTokens).toBe(starts.length * K);
      const layout = starts.length === 1 ? 1 : 13;
      if (layout === 13) starts.slice(1).forEach((st, i) => expect(st - starts[i]!).toBe(13));
      spansPerRow.set(layout, (spansPerRow.get(layout) ?? 0) + 1);
    }
    expect(spansPerRow.get(1)).toBeGreaterThan(15);
    expect(spansPerRow.get(13)).toBeGreaterThan(15);
    const { ids } = sequence(300, 3);
    expect(maskKmerTokens(ids, maskingConfig(vocab, { stride: [13] }), mulberry32(5))).toEqual(
      maskKmerTokens(ids, maskingConfig(vocab, { stride: 13 }), mulberry32(5)),
    );
    expect(() => maskingConfig(vocab, { stride: [13, K] })).toThrow(/above k = 6/);
    expect(() => maskingConfig(vocab, { stride: [] })).toThrow(/above k = 6/);
  });

  it("rejects two sequences packed into one row", () => {
    const { ids } = sequence(20, 1);
    expect(() => maskKmerTokens([...ids.slice(0, -2), ...ids.slice(1)], cfg, mulberry32(1))).toThrow(/one sequence at a time/);
  });

  it("edge spans mask the first or last e tokens (e in 1..k-1), hide e nucleotides there, and keep k visible tokens after them", () => {
    const edged = maskingConfig(vocab, { stride: 13, edges: 1, maskProb: 1, randomProb: 0 });
    const lengths = new Set<number>();
    for (let s = 0; s < 200; s++) {
      const { ids } = sequence(120, s);
      const m = maskKmerTokens(ids, edged, mulberry32(50 + s));
      const run = Array.from(m.labels.slice(2, 2 + 120 - K + 1), (l) => (l === IGNORE_INDEX ? 0 : 1));
      const head = run.indexOf(0);
      const tail = run.length - 1 - run.lastIndexOf(0);
      expect(head).toBeGreaterThanOrEqual(1);
      expect(head).toBeLessThanOrEqual(K - 1);
      expect(tail).toBeGreaterThanOrEqual(1);
      expect(tail).toBeLessThanOrEqual(K - 1);
      lengths.add(head).add(tail);
      expect(run.slice(head, head + K).every((x) => x === 0)).toBe(true);
      expect(run.slice(run.length - tail - K, run.length - tail).every((x) => x === 0)).toBe(true);
      // The edge spans hide their own e nucleotides at each end.
      expect(hiddenCount(Uint8Array.from(run.slice(0, head + K)), K)).toBe(head);
    }
    expect([...lengths].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it("draws no edge spans, and the same masks as before, with edges 0", () => {
    const plain = maskingConfig(vocab, { stride: 13 });
    const zero = maskingConfig(vocab, { stride: 13, edges: 0 });
    for (let s = 0; s < 20; s++) {
      const { ids } = sequence(120, s);
      expect(maskKmerTokens(ids, zero, mulberry32(s)).labels).toEqual(maskKmerTokens(ids, plain, mulberry32(s)).labels);
    }
  });
});
