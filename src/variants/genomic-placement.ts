import { InputError } from "../errors.js";
import { openGenome } from "../io/open-genome.js";
import { resolveContigs } from "../sequence/chrom-alias.js";
import { extractRegions, type ExtractedRegion } from "../sequence/extract-regions.js";
import { loadGeneModels } from "../sequence/gene-models-io.js";
import type { RegionType } from "../sequence/region.js";
import { reverseComplementString } from "../sequence/reverse-complement.js";
import { variantChange, type Variant, type VariantKind } from "./variant.js";

/** One genomic record (a VCF line, a row of a chrom/pos table): 1-based POS, alleles on the genome's + strand. */
export interface GenomicRecord {
  readonly chrom: string;
  readonly pos: number;
  readonly id: string;
  /** The ID field as the input writes it (VCF: all IDs joined by ;), default `id` or ".". */
  readonly idField?: string;
  readonly ref: string;
  readonly alts: readonly string[];
  /** Keep only placements in this gene's regions (a table's gene column). */
  readonly gene?: string;
  /** Names the record in messages (file:line or "record N"). */
  readonly where: string;
}

/** A genomic allele placed in one gene region, in transcript orientation. */
export interface PlacedVariant extends Variant {
  /** Index of the input record (0-based) and of the allele in its ALT list. */
  readonly record: number;
  readonly altIndex: number;
  readonly chrom: string;
  /** 1-based genomic position. */
  readonly vcfPos: number;
  readonly vcfId: string;
  /** Alleles as the input writes them (genomic + strand). */
  readonly vcfRef: string;
  readonly vcfAlt: string;
  readonly gene: string;
  readonly region: RegionType;
  /** 0-based position of the ref allele's first base in the region, transcript orientation (the `extract` sequence). */
  readonly offset: number;
}

export interface PlacementSummary {
  records: number;
  /** Alleles after splitting multi-allelic records. */
  alleles: number;
  /** Scorable alleles inside at least one region, and their placements (one allele can sit in several regions). */
  placedAlleles: number;
  placements: number;
  /** Scorable alleles outside every region (outside the named gene's regions, for a table's gene column). */
  outsideRegions: number;
  /** Alleles by kind (snv, mnv, insertion, deletion, complex; symbolic for the unscorable kind). */
  kinds: Record<string, number>;
  /** Alleles not placed although they may be in a region, by reason (symbolic allele, runs off the region). */
  unscorable: Record<string, number>;
  regions: Record<string, number>;
}

export interface PlacementOptions {
  readonly genome: string;
  readonly annotation: string;
  /** Species of the genome (model species name). */
  readonly species: string;
  readonly regions?: readonly RegionType[];
  /** Region lengths, as `extract --length` (default 300 / 1003). */
  readonly length?: Partial<Record<RegionType, number>>;
  /** The input file, for messages. */
  readonly input: string;
}

export interface Placement {
  readonly variants: PlacedVariant[];
  readonly summary: PlacementSummary;
  /** Per record and allele: "placed", or why it was not ("outside every region", a reason of `unscorable`). */
  readonly status: string[][];
}

const ACGT = /^[ACGT]+$/;
const count = (m: Record<string, number>, key: string) => (m[key] = (m[key] ?? 0) + 1);

/**
 * Places genomic alleles (SNVs, MNVs, indels) in the 3' and/or 5' regions that `extract` defines for the
 * genome and annotation: on minus-strand genes the alleles are reverse-complemented and the offset counted
 * from the region's transcript start. A chromosome the genome lacks (after the usual aliases, chrI = I = 1)
 * and a REF that differs from the genome are errors naming the record; symbolic or non-ACGT alleles,
 * alleles reaching past a region's edge and alleles outside every region are counted, never dropped silently.
 */
export async function placeGenomicRecords(o: PlacementOptions, records: readonly GenomicRecord[]): Promise<Placement> {
  const [genome, models] = await Promise.all([openGenome(o.genome), loadGeneModels(o.annotation)]);
  const known = resolveContigs(
    [...new Set(records.map((r) => r.chrom))],
    genome.contigNames,
    o.input,
    o.input.match(/\.vcf(\.gz|\.bgz)?$/i) ? "VCF" : "variant table",
  ).map;
  for (const r of records) {
    if (!known.has(r.chrom)) {
      throw new InputError(
        `${r.where} (${r.chrom}:${r.pos}) is on chromosome "${r.chrom}", which genome ${o.genome} does not have ` +
          `(contigs: ${genome.contigNames.slice(0, 8).join(", ")}${genome.contigNames.length > 8 ? ", ..." : ""}); use the genome the variants were called against`,
      );
    }
  }
  const byContig = new Map<string, ExtractedRegion[]>();
  for (const region of o.regions ?? ["three_prime", "five_prime"]) {
    const len = o.length?.[region];
    for (const r of (await extractRegions(genome, models, { species: o.species, region, ...(len ? { length: len } : {}) })).regions) {
      byContig.set(r.contig, [...(byContig.get(r.contig) ?? []), r]);
    }
  }
  const summary: PlacementSummary = {
    records: records.length,
    alleles: 0,
    placedAlleles: 0,
    placements: 0,
    outsideRegions: 0,
    kinds: {},
    unscorable: {},
    regions: {},
  };
  const variants: PlacedVariant[] = [];
  const status: string[][] = [];
  for (const [record, rec] of records.entries()) {
    const contig = known.get(rec.chrom)!;
    const pos0 = rec.pos - 1;
    const ref = rec.ref.toUpperCase();
    const genomic = Buffer.from(await genome.fetch(contig, pos0, pos0 + ref.length))
      .toString("latin1")
      .toUpperCase();
    if (genomic !== ref) {
      throw new InputError(
        `${rec.where} (${rec.chrom}:${rec.pos}) has REF ${ref} but genome ${o.genome} has ${genomic || "nothing"} there; check that the variants match the genome (1-based positions, + strand alleles)`,
      );
    }
    const own: string[] = [];
    status.push(own);
    if (rec.alts.length === 0) {
      count(summary.unscorable, "no ALT allele");
      own.push("no ALT allele");
    }
    for (const [altIndex, rawAlt] of rec.alts.entries()) {
      summary.alleles++;
      const alt = rawAlt.toUpperCase();
      const result = placeAllele(rec, record, altIndex, ref, alt, pos0, byContig.get(contig) ?? [], o.species);
      own.push(result.status);
      count(summary.kinds, result.kind ?? "symbolic");
      if (result.status === "outside every region") summary.outsideRegions++;
      else if (result.status !== "placed") count(summary.unscorable, result.status);
      if (result.status !== "placed") continue;
      summary.placedAlleles++;
      for (const v of result.placed) {
        variants.push(v);
        summary.placements++;
        count(summary.regions, v.region);
      }
    }
  }
  return { variants, summary, status };
}

function placeAllele(
  rec: GenomicRecord,
  record: number,
  altIndex: number,
  ref: string,
  alt: string,
  pos0: number,
  regions: readonly ExtractedRegion[],
  species: string,
): { status: string; kind?: VariantKind; placed: PlacedVariant[] } {
  if (!ACGT.test(ref) || !ACGT.test(alt)) return { status: "symbolic or non-ACGT allele", placed: [] };
  if (ref === alt) return { status: "ALT equals REF", placed: [] };
  const kind = variantChange({ pos: 0, ref, alt }).kind;
  const end0 = pos0 + ref.length;
  const ofGene = regions.filter((r) => rec.gene === undefined || r.geneId === rec.gene);
  if (rec.gene !== undefined && ofGene.length === 0) return { status: "its gene has no region in the annotation", kind, placed: [] };
  const inside = ofGene.filter((r) => pos0 >= r.start && end0 <= r.end);
  if (inside.length === 0) {
    if (ofGene.some((r) => pos0 < r.end && end0 > r.start)) return { status: "runs off the region", kind, placed: [] };
    return { status: "outside every region", kind, placed: [] };
  }
  const placed = inside.map((r): PlacedVariant => {
    const plus = r.strand === "+";
    const offset = plus ? pos0 - r.start : r.end - end0;
    return {
      id: `${rec.id || `${rec.chrom}:${rec.pos}`}:${ref}>${alt}:${r.geneId}:${r.region}`,
      species,
      sequence: Buffer.from(r.sequence).toString("latin1").toUpperCase(),
      pos: offset,
      ref: plus ? ref : reverseComplementString(ref),
      alt: plus ? alt : reverseComplementString(alt),
      record,
      altIndex,
      chrom: rec.chrom,
      vcfPos: rec.pos,
      vcfId: rec.idField ?? (rec.id || "."),
      vcfRef: rec.ref,
      vcfAlt: rec.alts[altIndex]!,
      gene: r.geneId,
      region: r.region,
      offset,
    };
  });
  return { status: "placed", kind, placed };
}
