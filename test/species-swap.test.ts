import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AGNOSTIC, findVariantInstances, speciesSwap, swapCellsTsv, swapHeatmap, swapPreferencesTsv, type SwapRecord } from "../src/analysis/species-swap.js";
import { groupFamilies, parseMotifVariants, variantsFromTruth } from "../src/analysis/species-swap-variants.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { InputError, ParseError, UnknownSpeciesError } from "../src/errors.js";
import { SHARED } from "./helpers/shared.js";
import { TINY_MODEL, tinyModel } from "./helpers/species-models.js";

const CG = "candida_glabrata",
  NC = "neurospora_crassa",
  SP = "schizosaccharomyces_pombe";
// Puf3 as in the paper: S. cerevisiae-like TGTAAATA vs N. crassa TGTACATA (variable offset 4).
const PUF = `family\tvariant\tspecies\nPUF\tTGTAAATA\t${CG}\nPUF\tTGTACATA\t${NC}\nEFF\tTATATA\t*\n`;

const flank = (n: number, seed: number) => Array.from({ length: n }, (_, i) => "ACGT"[(i * 7 + seed * 3 + ((i * i) % 5)) % 4]).join("");
const RECORDS: SwapRecord[] = [
  { id: "cg1", species: CG, sequence: flank(20, 1) + "TGTAAATA" + flank(30, 2) },
  { id: "cg2", species: CG, sequence: flank(35, 3) + "TGTAAATA" + flank(12, 4) + "TGTACATA" + flank(10, 5) },
  { id: "nc1", species: NC, sequence: flank(25, 6) + "TGTACATA" + flank(25, 7) },
  { id: "sp1", species: SP, sequence: flank(25, 8) + "TGTAAATA" + flank(25, 9) },
];

describe("motif variants", () => {
  it("parses a variants TSV, merging species of repeated rows; U reads as T", () => {
    const v = parseMotifVariants(`family\tvariant\tspecies\nX\tUGUA\ta\nX\tTGTA\tb,c\nX\tTGCA\t\n`);
    expect(v).toEqual([
      { family: "X", variant: "TGTA", species: ["a", "b", "c"] },
      { family: "X", variant: "TGCA", species: [] },
    ]);
    expect(() => parseMotifVariants("family\tmotif\nX\tTGTA\n", "v.tsv")).toThrow(ParseError);
    expect(() => parseMotifVariants("family\tvariant\nX\tTGZA\n", "v.tsv")).toThrow(/v.tsv:2: "TGZA" is not an IUPAC consensus/);
  });

  it("finds variable positions; unequal widths are an error", () => {
    const [puf, eff] = groupFamilies(parseMotifVariants(PUF));
    expect(puf!.variable).toEqual([4]);
    expect(eff!.variable).toEqual([]);
    expect(groupFamilies(parseMotifVariants("family\tvariant\nX\tTRTA\nX\tTATA\n"))[0]!.variable).toEqual([1]); // R vs A differ
    expect(() => groupFamilies(parseMotifVariants("family\tvariant\nX\tTGTA\nX\tTGTAA\n"))).toThrow(InputError);
  });

  it("scans each species for its own variants only, unassigned families for all", () => {
    const fams = groupFamilies(parseMotifVariants(PUF + "PRS\tACGTNNNN\t*\nPRS\tACGANNNN\t*\n"));
    const hits = findVariantInstances(RECORDS, fams).filter((h) => fams[h.family]!.family === "PUF");
    expect(hits.map((h) => [RECORDS[h.record]!.id, h.start, fams[h.family]!.variants[h.variant]!.variant])).toEqual([
      ["cg1", 20, "TGTAAATA"],
      ["cg2", 35, "TGTAAATA"],
      ["nc1", 25, "TGTACATA"],
    ]); // cg2's TGTACATA is N. crassa's variant, S. pombe is assigned no variant
    const amb = groupFamilies(parseMotifVariants("family\tvariant\nX\tTGTA\nX\tTGTM\n"));
    expect(findVariantInstances([{ id: "r", species: "a", sequence: "CCTGTACCTGTCC" }], amb)).toEqual([
      { record: 0, family: 0, variant: 1, start: 8 }, // TGTA matches both variants at 2: ambiguous, left out
    ]);
  });

  it.skipIf(!existsSync(`${SHARED}bench/sim12/truth.json`))("turns sim12 truth.json into per-species variants", () => {
    const v = variantsFromTruth(JSON.parse(readFileSync(`${SHARED}bench/sim12/truth.json`, "utf8")));
    const puf = v.filter((x) => x.family === "PUF");
    expect(puf.find((x) => x.variant === "TGTAAACA")!.species).toEqual(["sp00", "sp06"]);
    expect(puf.flatMap((x) => x.species).sort()).toHaveLength(12);
    // WHI is absent in sp00, sp04, sp06, sp08, sp11: their consensus is not listed
    expect(
      v
        .filter((x) => x.family === "WHI")
        .flatMap((x) => x.species)
        .sort(),
    ).toEqual(["sp01", "sp02", "sp03", "sp05", "sp07", "sp09", "sp10"]);
    expect(groupFamilies(v).find((f) => f.family === "PUF")!.variable).toEqual([1, 2, 5, 6]);
  });
});

describe.skipIf(!existsSync(TINY_MODEL))("species swap on the tiny fixture model", () => {
  const variants = parseMotifVariants(PUF);

  it("token model: cells equal P(own base) from a direct reconstruction; preference = own - other", async () => {
    const model = await tinyModel("token");
    const r = await speciesSwap(model, RECORDS, { told: [CG, NC, SP], variants, spansPerPass: 4 });
    expect(r.skipped).toEqual([{ family: "EFF", reason: "a single variant: no variable positions" }]);
    expect(r.instances).toBe(3);
    expect(r.records).toBe(3);
    // independent check of one cell: nc1 told candida_glabrata, base C at 25+4
    const [p] = await reconstruct(model, [{ id: "nc1", sequence: RECORDS[2]!.sequence, species: CG }], { spansPerPass: 4 });
    const cell = r.cells.find((c) => c.sequenceSpecies === NC && c.told === CG)!;
    expect(cell.meanOwn).toBeCloseTo(p![29 * 4 + 1]!, 6);
    for (const pref of r.preferences) {
      const row = r.cells.filter((c) => c.sequenceSpecies === pref.sequenceSpecies);
      const own = row.find((c) => c.told === pref.sequenceSpecies)!.meanOwn;
      const other = row.filter((c) => c.told !== pref.sequenceSpecies).reduce((s, c) => s + c.meanOwn, 0) / 2;
      expect(pref.own).toBeCloseTo(own, 12);
      expect(pref.other).toBeCloseTo(other, 12);
      expect(pref.preference).toBeCloseTo(own - other, 12);
      expect(pref.fractionPositive).toBeGreaterThanOrEqual(0);
    }
    expect(r.preferences.map((p) => p.sequenceSpecies)).toEqual([CG, NC]);
    expect(swapCellsTsv(r).split("\n")[0]).toBe("family\tsequence_species\ttold_species\tinstances\tmean_p_own");
    expect(swapCellsTsv(r).trim().split("\n")).toHaveLength(1 + 2 * 3);
    expect(swapPreferencesTsv(r).trim().split("\n")).toHaveLength(3);
    const svg = swapHeatmap(r, "PUF");
    expect(svg.match(/<rect /g)).toHaveLength(2 * 3);
    expect(svg.match(/stroke="#D55E00"/g)).toHaveLength(2); // own-species cells outlined
    await model.release();
  });

  it("agnostic model: one told column, whatever species are listed, and no preference", async () => {
    const model = await tinyModel("none");
    const a = await speciesSwap(model, RECORDS, { told: [CG, NC], variants, spansPerPass: 4 });
    const b = await speciesSwap(model, RECORDS, { told: [SP], variants, spansPerPass: 4 });
    expect(a.told).toEqual([AGNOSTIC]);
    expect(a.cells).toEqual(b.cells);
    expect(a.preferences).toEqual([]);
    await model.release();
  });

  it("limits sequences per species and rejects unknown told species", async () => {
    const model = await tinyModel("embedding");
    const r = await speciesSwap(model, RECORDS, { told: [CG, NC], variants, maxSequencesPerSpecies: 1, spansPerPass: 8 });
    expect(r.records).toBe(2);
    expect(r.cells.find((c) => c.sequenceSpecies === CG)!.instances).toBe(1);
    await expect(speciesSwap(model, RECORDS, { told: ["sp00"], variants })).rejects.toThrow(UnknownSpeciesError);
    await model.release();
  });
});
