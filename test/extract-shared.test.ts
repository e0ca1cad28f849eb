import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadGenome, type InMemoryGenome } from "../src/io/genome.js";
import { extractRegions } from "../src/sequence/extract-regions.js";
import type { GeneModelSet } from "../src/sequence/gene-model.js";
import { loadGeneModels } from "../src/sequence/gene-models-io.js";

const SHARED = resolve("../shared/data");
const SCER = join(SHARED, "scer");
const STOPS = new Set(["TAA", "TAG", "TGA"]);
const text = (u: Uint8Array) => Buffer.from(u).toString("latin1");

describe.skipIf(!existsSync(SCER))("SGD genes on R64 (needs ../shared/data/scer)", () => {
  let genome: InMemoryGenome;
  let models: GeneModelSet;
  beforeAll(async () => {
    genome = await loadGenome(join(SCER, "R64-1-1.ensembl94.fa.gz"));
    models = await loadGeneModels(join(SCER, "sgd_genes.gff3.gz"));
  });

  it("maps chrI..chrXVI to I..XVI and skips the 19 chrmt genes", async () => {
    const { summary } = await extractRegions(genome, models, { species: "scer", region: "three_prime" });
    expect(summary.annotationGenes).toBe(5811);
    expect(summary.unmatchedContigs).toEqual(["chrmt"]);
    expect(summary.skipped.unknownContig).toBe(19);
  });

  it("3' regions: 300 nt starting with a stop codon for all 5,792 nuclear genes", async () => {
    const dropped = await extractRegions(genome, models, { species: "scer", region: "three_prime" });
    // Five subtelomeric genes (YRF1 helicases etc.) end closer than 297 nt to a chromosome end.
    expect(dropped.summary.written + dropped.summary.skipped.offContig).toBe(5792);
    expect(dropped.summary.skipped.offContig).toBe(5);
    expect(dropped.regions.every((r) => r.sequence.length === 300)).toBe(true);
    const kept = await extractRegions(genome, models, { species: "scer", region: "three_prime", keepTruncated: true });
    expect(kept.regions).toHaveLength(5792);
    expect(kept.summary.truncatedKept).toBe(5);
    expect(kept.regions.every((r) => STOPS.has(text(r.sequence.subarray(0, 3))))).toBe(true);
    expect(kept.summary.codon).toMatchObject({ withCodon: 5792, withoutCodon: 0 });
    // YAL068C (PAU8), minus strand, gene 1807..2169: region = revcomp of chrI 1510..1809 (1-based).
    const pau8 = kept.regions.find((r) => r.geneId === "YAL068C")!;
    expect([pau8.start, pau8.end, pau8.strand, pau8.commonName]).toEqual([1509, 1809, "-", "PAU8"]);
  });

  it("5' regions: 1003 nt ending in ATG except SGD genes whose annotated start is not ATG", async () => {
    const { regions, summary } = await extractRegions(genome, models, { species: "scer", region: "five_prime" });
    expect(summary.written + summary.skipped.offContig).toBe(5792);
    expect(regions.every((r) => r.sequence.length === 1003)).toBe(true);
    const withAtg = regions.filter((r) => text(r.sequence.subarray(1000)) === "ATG").length;
    expect(withAtg).toBe(summary.codon.withCodon);
    expect(summary.codon.withoutCodon).toBe(28);
    expect(summary.codon.withoutCodon / summary.written).toBeLessThan(0.01);
  });
});

const STRAINS = join(SHARED, "strains");
describe.skipIf(!existsSync(STRAINS))("strain assemblies with their own GFF (needs ../shared/data/strains)", () => {
  for (const [strain, genes] of [
    ["S288C", 5570],
    ["CBS432", 5531],
  ] as const) {
    it(`${strain}: one 3' and one 5' region per gene, >= 99% with their codon`, async () => {
      const genome = await loadGenome(join(STRAINS, "genome", `${strain}.genome.fa.gz`));
      const models = await loadGeneModels(join(STRAINS, "gff", `${strain}.all_feature.gff.gz`));
      for (const region of ["three_prime", "five_prime"] as const) {
        const { regions, summary } = await extractRegions(genome, models, { species: strain, region });
        expect(summary.annotationGenes).toBe(genes);
        expect(summary.written + summary.skipped.offContig).toBe(genes);
        expect(summary.skipped.unknownContig).toBe(0);
        expect(summary.codon.withCodon / summary.written).toBeGreaterThanOrEqual(0.99);
        const anchor = (r: (typeof regions)[number]) => text(region === "three_prime" ? r.sequence.subarray(0, 3) : r.sequence.subarray(r.sequence.length - 3));
        expect(regions.filter((r) => (region === "three_prime" ? STOPS.has(anchor(r)) : anchor(r) === "ATG")).length).toBe(summary.codon.withCodon);
      }
    });
  }
});
