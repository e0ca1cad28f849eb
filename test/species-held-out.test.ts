import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateHeldOutSpecies, scorePredictions } from "../src/analysis/held-out-species.js";
import { defaultProbes } from "../src/phylo/species-map.js";
import { parseNewick, patristicDistances } from "../src/phylo/tree.js";
import { UnknownSpeciesError } from "../src/errors.js";
import { TINY_MODEL, tinyModel } from "./helpers/species-models.js";

describe("scorePredictions", () => {
  it("uniform predictions: CE = ln 4, argmax ties go to A; N is not scored", () => {
    const recs = [{ id: "r", sequence: "AACGTN" }];
    const s = scorePredictions(recs, [new Float32Array(24).fill(0.25)]);
    expect(s.nucleotides).toBe(5);
    expect(s.accuracy).toBeCloseTo(2 / 5, 12);
    expect(s.crossEntropy).toBeCloseTo(Math.log(4), 6);
  });

  it("a confident right answer scores 1 and ~0 nats", () => {
    const p = Float32Array.from([1, 0, 0, 0, 0, 0, 0, 1]);
    expect(scorePredictions([{ id: "r", sequence: "AT" }], [p])).toEqual({ nucleotides: 2, accuracy: 1, crossEntropy: 0 });
  });
});

describe.skipIf(!existsSync(TINY_MODEL))("held-out species on the tiny fixture model", () => {
  const records = defaultProbes(3, 50, 11);
  // the held-out species "candida_new" sits next to candida_albicans in this reference tree
  const ref = parseNewick(
    "((candida_glabrata:1,saccharomyces_paradoxus:1):1,(kluyveromyces_lactis:1,schizosaccharomyces_pombe:3):1," +
      "(neurospora_crassa:2,(candida_albicans:0.1,candida_new:0.1):1):1);",
  );

  it("token model: per-token scores, proxy/nearest pick their token, average beats the mean CE, oracle is the best", async () => {
    const model = await tinyModel("token");
    const r = await evaluateHeldOutSpecies(model, records, {
      heldOut: "candida_new",
      proxy: "neurospora_crassa",
      distances: patristicDistances(ref),
      spansPerPass: 8,
    });
    expect(r.perToken.map((t) => t.species)).toEqual(model.tokenizer.vocab.speciesNames);
    expect(r.strategies.map((s) => [s.strategy, s.species])).toEqual([
      ["proxy", "neurospora_crassa"],
      ["nearest", "candida_albicans"],
      ["average", null],
      ["oracle", r.strategies[3]!.species],
    ]);
    const token = (sp: string) => r.perToken.find((t) => t.species === sp)!;
    expect(r.strategies[0]!.crossEntropy).toBe(token("neurospora_crassa").crossEntropy);
    expect(r.strategies[1]!.accuracy).toBe(token("candida_albicans").accuracy);
    const meanCe = r.perToken.reduce((s, t) => s + t.crossEntropy, 0) / r.perToken.length;
    expect(r.strategies[2]!.crossEntropy).toBeLessThanOrEqual(meanCe + 1e-9); // -ln of a mean <= mean of -ln
    for (const t of r.perToken) {
      expect(r.strategies[3]!.crossEntropy).toBeLessThanOrEqual(t.crossEntropy);
      expect(t.nucleotides).toBe(150);
      expect(t.crossEntropy).toBeGreaterThan(0);
    }
    await expect(evaluateHeldOutSpecies(model, records, { heldOut: "x", proxy: "sp99" })).rejects.toThrow(UnknownSpeciesError);
    await model.release();
  });

  it("agnostic model: a single agnostic score", async () => {
    const model = await tinyModel("none");
    const r = await evaluateHeldOutSpecies(model, records, { heldOut: "candida_new", spansPerPass: 8 });
    expect(r.perToken).toEqual([]);
    expect(r.strategies.map((s) => s.strategy)).toEqual(["agnostic"]);
    expect(r.strategies[0]!.nucleotides).toBe(150);
    await model.release();
  });
});
