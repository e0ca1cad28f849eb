import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmerModel } from "../src/baselines/kmer-model.js";
import { saveKmerModel } from "../src/baselines/kmer-store.js";
import { defaultEmbeddingLayer, embedSequences } from "../src/infer/embed.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { initWeights } from "../src/model/init-weights.js";
import { saveModelFolder } from "../src/model/model-folder.js";
import { presetConfig } from "../src/model/presets.js";
import { mulberry32 } from "../src/rng.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { buildVocab } from "../src/tokenizer/build-vocab.js";
import { baselineScores, loadVariantBaseline } from "../src/variants/baseline-scores.js";
import { scoreVariants } from "../src/variants/scores.js";
import { unmaskedPredictions } from "../src/variants/unmasked.js";
import { unscorableReason, variantChange, type Variant } from "../src/variants/variant.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";

const B = "ACGT";
const SPECIES = "candida_glabrata";

/**
 * Independent scores of one variant from explicitly built ref and alt strings (no variant code): the
 * changed block is given by hand, each allele's sequence is reconstructed whole / read unmasked / embedded.
 */
interface Case {
  v: Variant;
  refSeq: string;
  altSeq: string;
  start: number;
  refEnd: number;
  altEnd: number;
}

function cases(seq: string): Case[] {
  const c = (id: string, pos: number, ref: string, alt: string, start: number, refEnd: number, altEnd: number): Case => {
    const altSeq = seq.slice(0, pos) + alt + seq.slice(pos + ref.length);
    return { v: { id, species: SPECIES, sequence: seq, pos, ref, alt }, refSeq: seq, altSeq, start, refEnd, altEnd };
  };
  const other = (x: string) => (x === "A" ? "C" : "A");
  const mnv = other(seq[40]!) + other(seq[41]!);
  return [
    c("ins2", 30, seq[30]!, `${seq[30]}GT`, 31, 31, 33), // anchored insertion of GT after position 30
    c("del3", 50, seq.slice(50, 54), seq[50]!, 51, 54, 51), // anchored deletion of 51..53
    c("mnv", 40, seq.slice(40, 42), mnv, 40, 42, 42),
    c("delEdge", 2, seq.slice(2, 4), seq[2]!, 3, 4, 3), // near the start: the window is clipped at 0
  ];
}

const pll = (p: Float32Array, s: string, from: number, to: number) => {
  let x = 0;
  for (let j = from; j < to; j++) x += Math.log(p[j * 4 + B.indexOf(s[j]!)]!);
  return x;
};

/** `influence: false` for k = 1 models: their unmasked graph is being fixed elsewhere ("Pad: pads for rank 2"). */
async function independent(model: MaskedLanguageModel, cs: readonly Case[], W: number, influence = true) {
  const items = cs.flatMap((c, i) => [
    { id: `r${i}`, sequence: c.refSeq, species: SPECIES },
    { id: `a${i}`, sequence: c.altSeq, species: SPECIES },
  ]);
  const probs = await reconstruct(model, items);
  const unmasked = influence ? await unmaskedPredictions(model, items) : [];
  const emb: Float32Array[] = [];
  for await (const e of embedSequences(model, items, { fromLayer: defaultEmbeddingLayer(model.config.numHiddenLayers) })) emb.push(e.embedding);
  return cs.map((c, i) => {
    const from = Math.max(0, c.start - W);
    const llr =
      pll(probs[2 * i + 1]!, c.altSeq, from, Math.min(c.altSeq.length, c.altEnd + W)) -
      pll(probs[2 * i]!, c.refSeq, from, Math.min(c.refSeq.length, c.refEnd + W));
    // influence: aligned unchanged positions (left: same index; right: shifted by the length change)
    let sum = 0,
      n = 0;
    for (let j = 0; j < (influence ? c.altSeq.length : 0); j++) {
      const ref = unmasked[2 * i]!.logOdds,
        alt = unmasked[2 * i + 1]!.logOdds;
      if (j >= c.start && j < c.altEnd) continue;
      const r = j < c.start ? j : j - (c.altEnd - c.refEnd);
      let m = 0;
      for (let b = 0; b < 4; b++) m = Math.max(m, Math.abs(alt[j * 4 + b]! - ref[r * 4 + b]!));
      sum += m;
      n++;
    }
    const [x, y] = [emb[2 * i]!, emb[2 * i + 1]!];
    let xy = 0,
      xx = 0,
      yy = 0;
    for (let h = 0; h < x.length; h++) {
      xy += x[h]! * y[h]!;
      xx += x[h]! ** 2;
      yy += y[h]! ** 2;
    }
    return { llr, influence: sum / n, embedding_distance: 1 - xy / Math.sqrt(xx * yy) };
  });
}

describe.skipIf(!HAS_SHARED)("indel and MNV scores equal an independent computation from the ref and alt sequences", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let k6: MaskedLanguageModel, k1: MaskedLanguageModel;
  let seq = "";
  let dir = "";
  beforeAll(async () => {
    k6 = await MaskedLanguageModel.load(`${FIXTURE}model`, { threads: 1 });
    const c = (JSON.parse(readFileSync(`${FIXTURE}cases.json`, "utf8")) as { cases: { name: string; sequence: string }[] }).cases.find(
      (x) => x.name === "case1",
    )!;
    seq = c.sequence.slice(0, 80);
    dir = mkdtempSync(join(tmpdir(), "slm-indels-"));
    const vocab = buildVocab({ k: 1, species: k6.tokenizer.vocab.speciesNames });
    const config = presetConfig("tiny", { vocabSize: vocab.size, kmerSize: 1, species: k6.tokenizer.vocab.speciesNames });
    await saveModelFolder(join(dir, "k1"), {
      config,
      vocab,
      weights: initWeights(config, 4, { embeddings: "structured", kmerIds: vocab.kmerIds }),
    });
    k1 = await MaskedLanguageModel.load(join(dir, "k1"), { threads: 1 });
  }, 120_000);
  afterAll(async () => {
    await k6?.release();
    await k1?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the variant code finds the same changed blocks as the hand-built cases", () => {
    for (const c of cases(seq)) expect(variantChange(c.v)).toMatchObject({ start: c.start, refEnd: c.refEnd, altEnd: c.altEnd });
  });

  it("6-mer fixture: llr (window PLL, W = 11), influence (aligned), embedding_distance within 1e-5; delta_prob NA for indels only", async () => {
    const cs = cases(seq);
    const ours = await scoreVariants(
      k6,
      cs.map((c) => c.v),
      { scores: ["llr", "influence", "embedding_distance", "delta_prob"] },
    );
    const want = await independent(k6, cs, 11);
    cs.forEach((c, i) => {
      for (const s of ["llr", "influence", "embedding_distance"] as const)
        expect(Math.abs(ours[i]![s]! - want[i]![s]), `${c.v.id} ${s}: ${ours[i]![s]} vs ${want[i]![s]}`).toBeLessThan(1e-5);
      expect(Math.abs(ours[i]!.llr!)).toBeGreaterThan(1e-3);
      expect(Number.isNaN(ours[i]!.delta_prob!)).toBe(c.v.id !== "mnv");
    });
  });

  it("k = 1 model: llr and embedding_distance within 1e-5 with an explicit window of 4", async () => {
    const cs = cases(seq);
    const ours = await scoreVariants(
      k1,
      cs.map((c) => c.v),
      { scores: ["llr", "embedding_distance"], pllWindow: 4 },
    );
    const want = await independent(k1, cs, 4, false);
    cs.forEach((c, i) => {
      expect(Math.abs(ours[i]!.llr! - want[i]!.llr), c.v.id).toBeLessThan(1e-5);
      expect(Math.abs(ours[i]!.embedding_distance! - want[i]!.embedding_distance), c.v.id).toBeLessThan(1e-5);
    });
  });

  it("unscorable variants get NaN and a reason, the others their own scores", async () => {
    const good = cases(seq)[0]!.v;
    const bad: Variant[] = [
      { ...good, id: "sym", alt: "<DEL>" },
      { ...good, id: "n", sequence: seq.slice(0, 33) + "N" + seq.slice(34) }, // N 3 nt right of the insertion, inside the window
      { ...good, id: "off", pos: seq.length - 2, ref: seq.slice(-2) + "A", alt: seq.at(-2)! },
    ];
    expect(bad.map((v) => unscorableReason(v, { window: 11 }))).toEqual([
      "symbolic or non-ACGT allele",
      "non-ACGT base within the PLL window",
      "ref allele runs past the end of its sequence",
    ]);
    const [alone] = await scoreVariants(k6, [good], { scores: ["llr"] });
    const mixed = await scoreVariants(k6, [bad[0]!, good, bad[1]!, bad[2]!], { scores: ["llr"] });
    expect(mixed.map((s) => s.llr)).toEqual([NaN, alone!.llr, NaN, NaN]);
  });

  it("k-mer baseline llr equals the baseline's own predictor: SNV at the variant, indel/MNV window PLL", async () => {
    const rng = mulberry32(5);
    const train = Array.from({ length: 40 }, (_, i) => ({
      id: `t${i}`,
      species: SPECIES,
      sequence: Array.from({ length: 120 }, () => B[rng.int(4)]).join(""),
    }));
    const fitted = await KmerModel.fit(train, { left: 2, right: 2 });
    await saveKmerModel(fitted, join(dir, "kmer"));
    const b = await loadVariantBaseline(join(dir, "kmer"));
    expect(b.column).toBe("kmer_2_2_llr");
    const snv: Variant = { id: "snv", species: SPECIES, sequence: seq, pos: 20, ref: seq[20]!, alt: seq[20] === "G" ? "T" : "G" };
    const cs = cases(seq);
    const got = await baselineScores(b, [snv, ...cs.map((c) => c.v)], 3);
    const p = fitted.predictSequence(seq, SPECIES);
    expect(Math.abs(got[0]! - (Math.log(p[20 * 4 + B.indexOf(snv.alt)]!) - Math.log(p[20 * 4 + B.indexOf(snv.ref)]!)))).toBeLessThan(1e-6);
    cs.forEach((c, i) => {
      const pa = fitted.predictSequence(c.altSeq, SPECIES);
      // the whole-sequence PLL difference: terms farther than the context (2) from the change cancel exactly
      const whole = pll(pa, c.altSeq, 0, c.altSeq.length) - pll(p, c.refSeq, 0, c.refSeq.length);
      expect(Math.abs(got[i + 1]! - whole), c.v.id).toBeLessThan(1e-4);
      expect(Math.abs(got[i + 1]!)).toBeGreaterThan(1e-3);
    });
  });
});
