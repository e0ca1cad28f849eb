import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chainConditionals, KmerModel, loadKmerModel, order2Chain, saveKmerModel } from "../src/baselines/index.js";
import { encodeBases } from "../src/alphabet/index.js";

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) => b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, -Math.log10(tol)));

describe("bidirectional k-mer counts", () => {
  // "ACAAC" with left=1, right=0: (0,0) counts A:3 C:2; (1,0) context A -> {C, A, C}, context C -> {A}
  const fit = (prior: "uniform" | "lower-order") =>
    KmerModel.fit([{ id: "r1", species: "s", sequence: "ACAAC" }], { left: 1, right: 0, pseudocount: 1, prior });

  it("counts every position into every context shape that fits", async () => {
    const m = await fit("uniform");
    const c = m.perSpecies.get("s")!;
    expect(Array.from(c.counts.subarray(0, 4))).toEqual([3, 2, 0, 0]); // (0,0)
    expect(Array.from(c.counts.subarray(4, 8))).toEqual([1, 2, 0, 0]); // (1,0), left context A
    expect(Array.from(c.counts.subarray(8, 12))).toEqual([1, 0, 0, 0]); // (1,0), left context C
    expect(c.positions).toBe(5);
  });

  it("add-one probabilities match hand computation (uniform prior)", async () => {
    const p = (await fit("uniform")).predictSequence("AC", "s");
    close(p.subarray(0, 4), [4 / 9, 3 / 9, 1 / 9, 1 / 9]); // position 0: no left base, order 0
    close(p.subarray(4, 8), [2 / 7, 3 / 7, 1 / 7, 1 / 7]); // position 1: context A
  });

  it("lower-order prior smooths towards the shorter context", async () => {
    const p = (await fit("lower-order")).predictSequence("AC", "s");
    close(p.subarray(4, 8), [25 / 63, 30 / 63, 4 / 63, 4 / 63]);
  });

  it("an N in the context falls back to the shorter context", async () => {
    const m = await fit("uniform");
    const p = m.predictSequence("ANC", "s");
    close(p.subarray(8, 12), [4 / 9, 3 / 9, 1 / 9, 1 / 9]);
  });

  it("unseen species use the pooled table and the predictor says so", async () => {
    const m = await KmerModel.fit(
      [
        { id: "a", species: "s1", sequence: "AAAA" },
        { id: "b", species: "s2", sequence: "CCCC" },
      ],
      { left: 0, right: 0 },
    );
    close(m.predictSequence("A", "s3"), [5 / 12, 5 / 12, 1 / 12, 1 / 12]);
    const pred = m.asPredictor();
    pred.predict({ id: "x", species: "s3", sequence: "A" });
    expect(pred.notes!().join()).toMatch(/s3.*pooled/);
  });

  it("rows are distributions for a (5, 5) model", async () => {
    const m = await KmerModel.fit([{ id: "a", species: "s", sequence: "ACGTTGCAACGTAGGCTA".repeat(4) }], { left: 5, right: 5 });
    const p = m.predictSequence("ACGTNNACGTTGCA", "s");
    for (let i = 0; i < p.length; i += 4) expect(p[i]! + p[i + 1]! + p[i + 2]! + p[i + 3]!).toBeCloseTo(1, 5);
  });

  it("saves and loads back identically", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kmer-"));
    try {
      const recs = [
        { id: "a", species: "s1", sequence: "ACGTTGCAACGTAGG" },
        { id: "b", species: "s2", sequence: "TTTACGAN" },
      ];
      const m = await KmerModel.fit(recs, { left: 2, right: 3, pseudocount: 0.5 });
      await saveKmerModel(m, dir);
      const back = await loadKmerModel(dir);
      expect(back.options).toEqual(m.options);
      expect(Array.from(back.perSpecies.get("s1")!.counts)).toEqual(Array.from(m.perSpecies.get("s1")!.counts));
      expect(Array.from(back.pooledCounts.counts)).toEqual(Array.from(m.pooledCounts.counts));
      expect(Array.from(back.predictSequence("ACGTAC", "s2"))).toEqual(Array.from(m.predictSequence("ACGTAC", "s2")));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("order-2 Markov ceiling", () => {
  it("equals the brute-force full conditional of the chain", () => {
    const rows = Array.from({ length: 16 }, (_, r) => [1 + (r % 3), 2 + ((r * 7) % 5), 1 + ((r * 3) % 4), 0.5 + (r % 2)]);
    const chain = order2Chain(rows);
    const L = 5;
    const joint = (s: number[]) => {
      let p = chain.stationaryPairs[s[0]! * 4 + s[1]!]!;
      for (let j = 2; j < L; j++) p *= chain.transition[(s[j - 2]! * 4 + s[j - 1]!) * 4 + s[j]!]!;
      return p;
    };
    const seq = "GATCA";
    const x = encodeBases(seq);
    const out = new Float32Array(L * 4);
    chainConditionals(chain, x, out);
    for (let i = 0; i < L; i++) {
      const w = [0, 1, 2, 3].map((c) => joint(Array.from(x, (b, k) => (k === i ? c : b))));
      const z = w.reduce((a, b) => a + b, 0);
      close(
        out.subarray(i * 4, i * 4 + 4),
        w.map((v) => v / z),
        1e-6,
      );
    }
  });
});
