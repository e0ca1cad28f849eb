import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconstruct } from "../src/infer/reconstruct.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { scoreVariants } from "../src/variants/scores.js";
import { altSequence, type Variant } from "../src/variants/variant.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";

describe.skipIf(!HAS_SHARED)("delta_prob and llr_calibrated against full reconstructions (tiny-specieslm)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let model: MaskedLanguageModel;
  let variants: Variant[];
  beforeAll(async () => {
    model = await MaskedLanguageModel.load(`${FIXTURE}model`, { threads: 1 });
    const c = (JSON.parse(readFileSync(`${FIXTURE}cases.json`, "utf8")) as { cases: { name: string; sequence: string; species: string }[] }).cases.find(
      (x) => x.name === "case1",
    )!;
    const seq = c.sequence.slice(0, 60);
    variants = [4, 30, 57].map((pos) => ({
      id: `v${pos}`,
      species: c.species,
      sequence: seq,
      pos,
      ref: seq[pos]!,
      alt: seq[pos] === "A" ? "G" : "A",
    }));
  });
  afterAll(async () => {
    await model?.release();
  });

  it("delta_prob = mean total variation over pos +- 3 between the full reconstructions of alt and ref", async () => {
    const scores = await scoreVariants(model, variants, { scores: ["delta_prob"], deltaWindow: 3 });
    const [ref, ...alts] = await reconstruct(
      model,
      [variants[0]!, ...variants].map((v, i) => ({ id: `r${i}`, species: v.species, sequence: i === 0 ? v.sequence : altSequence(v) })),
    );
    variants.forEach((v, n) => {
      let tv = 0,
        count = 0;
      for (let j = v.pos - 3; j <= v.pos + 3; j++) {
        if (j === v.pos || j < 0 || j >= v.sequence.length) continue;
        for (let c = 0; c < 4; c++) tv += Math.abs(alts[n]![j * 4 + c]! - ref![j * 4 + c]!) / 2;
        count++;
      }
      expect(Math.abs(scores[n]!.delta_prob! - tv / count)).toBeLessThan(1e-6);
      // at the edges the clamped rows of the span recipe hide the variant from every j within 3: 0 there
      if (v.pos === 30) expect(tv).toBeGreaterThan(0);
    });
  });

  it("llr_calibrated = llr minus the mean llr of the same 5-mer and alt over the sequence", async () => {
    const scores = await scoreVariants(model, variants, { scores: ["llr"], calibrate: true });
    const [p] = await reconstruct(model, [{ id: "s", species: variants[0]!.species, sequence: variants[0]!.sequence }]);
    const s = variants[0]!.sequence;
    for (const [n, v] of variants.entries()) {
      const ctx = s.slice(v.pos - 2, v.pos + 3);
      const same: number[] = [];
      for (let j = 2; j + 3 <= s.length; j++) {
        if (s.slice(j - 2, j + 3) === ctx) same.push(Math.log(p![j * 4 + "ACGT".indexOf(v.alt)]!) - Math.log(p![j * 4 + "ACGT".indexOf(s[j]!)]!));
      }
      const mean = same.reduce((a, b) => a + b, 0) / same.length;
      expect(Math.abs(scores[n]!.llr_calibrated! - (scores[n]!.llr! - mean))).toBeLessThan(1e-6);
    }
  });
});
