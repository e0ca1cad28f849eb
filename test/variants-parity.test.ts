import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { LOG_ODDS_EPS } from "../src/model/nucleotide-dependency.js";
import { scoreVariants } from "../src/variants/scores.js";
import { dependencyMap } from "../src/variants/unmasked.js";
import type { Variant } from "../src/variants/variant.js";
import { FIXTURE, HAS_SHARED, maxAbsDiff, SHARED, SKIP_REASON } from "./helpers/shared.js";
import { HAS_TORCH, NO_TORCH_REASON, runTorchScript } from "./helpers/torch.js";

const SCRIPT = fileURLToPath(new URL("./fixtures/variants/torch_variants.py", import.meta.url));

interface TorchScores {
  llr: number[];
  influence: number[];
  influence_exclude: number[];
  map?: number[];
}

describe.skipIf(!HAS_SHARED || !HAS_TORCH)("variant scores and dependency maps equal an independent PyTorch computation (tiny-specieslm)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  else if (!HAS_TORCH) console.warn(NO_TORCH_REASON);
  let model: MaskedLanguageModel;
  let seq: string;
  let species: string;
  let variants: Variant[];
  let torch: TorchScores;

  beforeAll(async () => {
    model = await MaskedLanguageModel.load(`${FIXTURE}model`, { threads: 1 });
    const cases = (JSON.parse(readFileSync(`${FIXTURE}cases.json`, "utf8")) as { cases: { name: string; sequence: string; species: string | null }[] }).cases;
    const c1 = cases.find((c) => c.name === "case1")!; // with a species token; 64 nt keep the PyTorch side short
    seq = c1.sequence.slice(0, 64);
    species = c1.species!;
    // Edges (the clamped rows of the rolling mask), the middle, and every alt at one position.
    const at = [0, 3, 5, 6, 30, 31, 58, 63];
    variants = at.flatMap((pos) =>
      [..."ACGT"]
        .filter((b) => b !== seq[pos])
        .slice(0, pos === 30 ? 3 : 1)
        .map((alt) => ({ id: `v${pos}${alt}`, species, sequence: seq, pos, ref: seq[pos]!, alt })),
    );
    torch = runTorchScript<TorchScores>(SCRIPT, {
      model: `${FIXTURE}model`,
      reference: `${SHARED}reference`,
      eps: LOG_ODDS_EPS,
      sequence: seq,
      species,
      variants: variants.map((v) => [v.pos, v.ref, v.alt]),
      map: true,
      exclude: 5,
    });
  }, 300_000);
  afterAll(async () => {
    await model?.release();
  });

  it("llr by the rolling mask within 1e-4, and it is not trivially zero", async () => {
    const scores = await scoreVariants(model, variants, { scores: ["llr"] });
    const llr = scores.map((s) => s.llr!);
    expect(maxAbsDiff(llr, torch.llr), `ours ${llr.slice(0, 4)} torch ${torch.llr.slice(0, 4)}`).toBeLessThan(1e-4);
    expect(Math.max(...llr.map(Math.abs))).toBeGreaterThan(0.01);
  });

  it("influence within 1e-4, also leaving out the k-1 positions either side", async () => {
    const scores = await scoreVariants(model, variants, { scores: ["influence"] });
    expect(
      maxAbsDiff(
        scores.map((s) => s.influence!),
        torch.influence,
      ),
    ).toBeLessThan(1e-4);
    const excl = await scoreVariants(model, variants, { scores: ["influence"], influenceExclude: 5 });
    expect(
      maxAbsDiff(
        excl.map((s) => s.influence!),
        torch.influence_exclude,
      ),
    ).toBeLessThan(1e-4);
    expect(Math.abs(excl[4]!.influence! - scores[4]!.influence!)).toBeGreaterThan(1e-5); // a different mean, not the same number
  });

  it("the L x L dependency map within 1e-4, with the influence of every substitution", async () => {
    const dep = await dependencyMap(model, { id: "case1_64", sequence: seq, species }, { batchSize: 27 });
    expect(dep.map.length).toBe(seq.length * seq.length);
    const d = maxAbsDiff(dep.map, torch.map!);
    expect(d, `max |diff| ${d}`).toBeLessThan(1e-4);
    expect(Math.max(...dep.map)).toBeGreaterThan(0.1); // a real map, not zeros
    // the map's rows carry the same per-substitution influence as the variant scorer
    for (const [i, v] of variants.entries()) {
      expect(Math.abs(dep.influence[v.pos * 4 + "ACGT".indexOf(v.alt)]! - torch.influence[i]!)).toBeLessThan(1e-4);
    }
    for (let i = 0; i < seq.length; i++) expect(dep.influence[i * 4 + "ACGT".indexOf(seq[i]!)]).toBeNaN();
  });
});
