import { InputError } from "../errors.js";
import { openGenome } from "../io/open-genome.js";
import { resolveContigs } from "../sequence/chrom-alias.js";
import { extractRegions, type ExtractedRegion } from "../sequence/extract-regions.js";
import { loadGeneModels } from "../sequence/gene-models-io.js";
import type { RegionType } from "../sequence/region.js";
import { reverseComplementString } from "../sequence/reverse-complement.js";
import type { Variant } from "./variant.js";
import { readVcfRecords } from "./vcf-records.js";

/** A VCF allele placed in one gene region, in transcript orientation. */
export interface PlacedVariant extends Variant {
  /** Index of the VCF data line (0-based) and of the allele in its ALT list. */
  readonly record: number;
  readonly altIndex: number;
  readonly chrom: string;
  /** 1-based VCF position. */
  readonly vcfPos: number;
  readonly vcfId: string;
  /** Alleles as the VCF writes them (genomic + strand). */
  readonly vcfRef: string;
  readonly vcfAlt: string;
  readonly gene: string;
  readonly region: RegionType;
  /** 0-based position in the region, transcript orientation (the `extract` sequence). */
  readonly offset: number;
}

export interface VcfPlacementSummary {
  records: number;
  /** Alleles after splitting multi-allelic records. */
  alleles: number;
  /** SNV alleles inside at least one region, and their placements (one allele can sit in several regions). */
  placedAlleles: number;
  placements: number;
  /** SNV alleles outside every region. */
  outsideRegions: number;
  /** Alleles that are not single-nucleotide substitutions (indels, symbolic, missing): not scored. */
  notSnv: number;
  regions: Record<string, number>;
}

export interface VcfPlacement {
  readonly variants: PlacedVariant[];
  readonly summary: VcfPlacementSummary;
  /** Header lines and raw data lines of the input, for writing the scores back (`--vcf-out`). */
  readonly headerLines: string[];
  readonly dataLines: string[];
}

export interface VcfPlacementOptions {
  readonly vcf: string;
  readonly genome: string;
  readonly annotation: string;
  /** Species of the genome (model species name). */
  readonly species: string;
  readonly regions?: readonly RegionType[];
  /** Region lengths, as `extract --length` (default 300 / 1003). */
  readonly length?: Partial<Record<RegionType, number>>;
}

/**
 * Places the SNVs of a VCF in the 3' and/or 5' regions that `extract` defines for the genome and
 * annotation: each allele of a multi-allelic record on its own; on minus-strand genes the alleles are
 * complemented and the offset counted from the region's transcript start. A chromosome the genome lacks
 * (after the usual aliases, chrI = I = 1) and a REF that differs from the genome are errors naming the
 * record; alleles outside every region are counted.
 */
export async function placeVcfVariants(o: VcfPlacementOptions): Promise<VcfPlacement> {
  const [genome, models] = await Promise.all([openGenome(o.genome), loadGeneModels(o.annotation)]);
  const { headerLines, dataLines, records: parsed } = await readVcfRecords(o.vcf);
  const chroms = [...new Set(parsed.map((v) => v.CHROM))];
  const known = resolveContigs(chroms, genome.contigNames, o.vcf).map;
  for (const [i, v] of parsed.entries()) {
    if (!known.has(v.CHROM)) {
      throw new InputError(`${o.vcf}: record ${i + 1} (${v.CHROM}:${v.POS}) is on chromosome "${v.CHROM}", which genome ${o.genome} does not have ` +
        `(contigs: ${genome.contigNames.slice(0, 8).join(", ")}${genome.contigNames.length > 8 ? ", ..." : ""}); use the genome the VCF was called against`);
    }
  }
  const regions: ExtractedRegion[] = [];
  for (const region of o.regions ?? ["three_prime", "five_prime"]) {
    const len = o.length?.[region];
    regions.push(...(await extractRegions(genome, models, { species: o.species, region, ...(len ? { length: len } : {}) })).regions);
  }
  const byContig = new Map<string, ExtractedRegion[]>();
  for (const r of regions) byContig.set(r.contig, [...(byContig.get(r.contig) ?? []), r]);

  const summary: VcfPlacementSummary = { records: parsed.length, alleles: 0, placedAlleles: 0, placements: 0, outsideRegions: 0, notSnv: 0, regions: {} };
  const variants: PlacedVariant[] = [];
  for (const [record, v] of parsed.entries()) {
    const contig = known.get(v.CHROM)!;
    const pos0 = v.POS - 1;
    const alts = v.ALT ?? [];
    summary.alleles += alts.length;
    const ref = v.REF.toUpperCase();
    const genomic = Buffer.from(await genome.fetch(contig, pos0, pos0 + ref.length)).toString("latin1").toUpperCase();
    if (genomic !== ref) {
      throw new InputError(`${o.vcf}: record ${record + 1} (${v.CHROM}:${v.POS}) has REF ${ref} but genome ${o.genome} has ${genomic || "nothing"} there; check that the VCF matches the genome`);
    }
    for (const [altIndex, rawAlt] of alts.entries()) {
      const alt = rawAlt.toUpperCase();
      if (ref.length !== 1 || !/^[ACGT]$/.test(alt) || !/^[ACGT]$/.test(ref)) {
        summary.notSnv++;
        continue;
      }
      const hits = (byContig.get(contig) ?? []).filter((r) => pos0 >= r.start && pos0 < r.end);
      if (hits.length === 0) summary.outsideRegions++;
      else summary.placedAlleles++;
      for (const r of hits) {
        const plus = r.strand === "+";
        const offset = plus ? pos0 - r.start : r.end - 1 - pos0;
        const sequence = Buffer.from(r.sequence).toString("latin1").toUpperCase();
        variants.push({
          id: `${v.ID?.[0] ?? `${v.CHROM}:${v.POS}`}:${ref}>${alt}:${r.geneId}:${r.region}`,
          species: o.species, sequence, pos: offset,
          ref: plus ? ref : reverseComplementString(ref), alt: plus ? alt : reverseComplementString(alt),
          record, altIndex, chrom: v.CHROM, vcfPos: v.POS, vcfId: v.ID?.join(";") ?? ".", vcfRef: v.REF, vcfAlt: rawAlt,
          gene: r.geneId, region: r.region, offset,
        });
        summary.placements++;
        summary.regions[r.region] = (summary.regions[r.region] ?? 0) + 1;
      }
    }
  }
  return { variants, summary, headerLines, dataLines };
}
