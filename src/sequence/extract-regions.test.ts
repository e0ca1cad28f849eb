import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { loadGenome } from "../io/genome.js";
import { resolveContigs } from "./chrom-alias.js";
import { extractRegions } from "./extract-regions.js";
import { loadGeneModels } from "./gene-models-io.js";
import { formatRegionHeader } from "./region-fasta.js";
import { reverseComplementString } from "./reverse-complement.js";

const CHR_A = "CCGCGGGGCCGCGGCGGCCGATGAAACCCTAAGCCGGCGCCGCGGCGGGGCGCGGCGGCGTCACCCCATGCCCCCCGGGGGCGCCGCGGCGGGGGCGGCC";
const CHR_B = "CCCGCCCCGCGCGCCGGCCCGCGGGGGGCCATGCCCTAGG";
const text = (u: Uint8Array) => Buffer.from(u).toString("latin1");
const genome = () => loadGenome("test/fixtures/fasta/toy-genome.fa");

describe("reverseComplement", () => {
  it("complements IUPAC codes and keeps case", () => {
    expect(reverseComplementString("ACGTRYKMBDHVNSWacgtn")).toBe("nacgtWSNBDHVKMRYACGT");
  });
});

describe("resolveContigs", () => {
  it("maps chr prefixes, mitochondrion aliases, zero padding and roman numerals", () => {
    const r = resolveContigs(["chrI", "chrmt", "chr02", "chrX", "chrZ"], ["I", "Mito", "2", "10"], "test");
    expect([...r.map]).toEqual([
      ["chrI", "I"],
      ["chrmt", "Mito"],
      ["chr02", "2"],
      ["chrX", "10"],
    ]);
    expect(r.unmatched).toEqual(["chrZ"]);
  });
  it("throws listing both name sets when nothing matches", () => {
    expect(() => resolveContigs(["scaffold_9"], ["I", "II"], "g.fa")).toThrow(/Annotation: scaffold_9; genome: I, II/);
  });
});

describe("extractRegions on the toy genome (GFF3)", () => {
  it("extracts 3' regions in transcript orientation, counting every skip", async () => {
    const { regions, summary } = await extractRegions(await genome(), await loadGeneModels("test/fixtures/gff/toy.gff3"), {
      species: "toy",
      region: "three_prime",
      length: 12,
    });
    expect(regions.map((r) => [r.geneId, text(r.sequence)])).toEqual([
      ["g1", CHR_A.slice(29, 41)],
      // minus strand: longest transcript t2 (CDS without stop); the TGA after it is found in the sequence
      ["g2", reverseComplementString(CHR_A.slice(51, 63))],
    ]);
    expect(text(regions[1]!.sequence).slice(0, 3)).toBe("TGA");
    expect(summary).toMatchObject({
      annotationGenes: 5,
      written: 2,
      truncatedKept: 0,
      stopCodonAddedFromSequence: 1,
      unmatchedContigs: ["chrmt"],
      skipped: { unknownContig: 1, offContig: 1, nonCoding: 1, noStrand: 0 },
      codon: { withCodon: 2, withoutCodon: 0 },
    });
    expect(formatRegionHeader(regions[0]!)).toBe("g1 species=toy region=three_prime A:30-41(+) gene=YAA001W common=ONE");
    expect(formatRegionHeader(regions[1]!)).toBe("g2 species=toy region=three_prime A:52-63(-)");
  });
  it("keeps regions running off a contig shorter with keepTruncated", async () => {
    const { regions, summary } = await extractRegions(await genome(), await loadGeneModels("test/fixtures/gff/toy.gff3"), {
      species: "toy",
      region: "three_prime",
      length: 12,
      keepTruncated: true,
    });
    const g3 = regions.find((r) => r.geneId === "g3")!;
    expect(text(g3.sequence)).toBe(CHR_B.slice(36));
    expect(g3.truncated).toBe(true);
    expect(formatRegionHeader(g3)).toBe("g3 species=toy region=three_prime B:37-40(+) gene=YBB001W/YCC001W");
    expect(summary.truncatedKept).toBe(1);
    expect(summary.skipped.offContig).toBe(0);
  });
  it("extracts 5' regions ending in the start codon", async () => {
    const { regions, summary } = await extractRegions(await genome(), await loadGeneModels("test/fixtures/gff/toy.gff3"), {
      species: "toy",
      region: "five_prime",
      length: 6,
    });
    expect(regions.map((r) => text(r.sequence))).toEqual([CHR_A.slice(17, 23), reverseComplementString(CHR_A.slice(66, 72)), CHR_B.slice(27, 33)]);
    expect(summary.codon).toMatchObject({ withCodon: 3, withoutCodon: 0 });
  });
  it("rejects bad options", async () => {
    const models = await loadGeneModels("test/fixtures/gff/toy.gff3");
    await expect(extractRegions(await genome(), models, { species: "a b", region: "three_prime" })).rejects.toBeInstanceOf(InputError);
    await expect(extractRegions(await genome(), models, { species: "a", region: "three_prime", length: 2 })).rejects.toThrow(/>= 3/);
  });
  it("errors when no annotation chromosome is in the genome", async () => {
    const models = await loadGeneModels("test/fixtures/gff/unknown-chrom.gff3");
    await expect(extractRegions(await genome(), models, { species: "a", region: "three_prime" })).rejects.toThrow(
      /no annotation chromosome matches.*Annotation: scaffold_9; genome: A, B/,
    );
  });
});

describe("extractRegions on the toy genome (GTF)", () => {
  it("uses stop_codon rows and gene_id/transcript_id, skipping non-coding genes", async () => {
    const models = await loadGeneModels("test/fixtures/gff/toy.gtf");
    expect(models.skipped.nonCoding).toBe(1);
    const { regions, summary } = await extractRegions(await genome(), models, { species: "toy", region: "three_prime", length: 12 });
    expect(regions.map((r) => [r.geneId, r.name, text(r.sequence)])).toEqual([
      ["g1", "ONE", CHR_A.slice(29, 41)],
      ["g2", undefined, reverseComplementString(CHR_A.slice(51, 63))],
    ]);
    expect(summary.stopCodonAddedFromSequence).toBe(1);
  });
});
