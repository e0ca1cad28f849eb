import { peekUntil, readLines, type TextLine } from "../io/byte-stream.js";
import { isSeekableInput } from "../io/input-stream.js";
import type { RegionType } from "../sequence/region.js";
import { placeGenomicRecords, type GenomicRecord, type PlacedVariant, type PlacementSummary } from "./genomic-placement.js";
import { readVcfRecords } from "./vcf-records.js";

export type { PlacedVariant } from "./genomic-placement.js";
export type VcfPlacementSummary = PlacementSummary;

export interface VcfPlacement {
  readonly variants: PlacedVariant[];
  readonly summary: VcfPlacementSummary;
  /** Header lines and raw data lines of the input, for writing the scores back (`--vcf-out`). */
  readonly headerLines: string[];
  readonly dataLines: string[];
}

export interface VcfPlacementOptions {
  readonly vcf: string;
  /** The VCF's lines when the caller has opened it already (a pipe, read once; see openVariantInput). */
  readonly lines?: AsyncIterable<TextLine>;
  readonly genome: string;
  readonly annotation: string;
  /** Species of the genome (model species name). */
  readonly species: string;
  readonly regions?: readonly RegionType[];
  /** Region lengths, as `extract --length` (default 300 / 1003). */
  readonly length?: Partial<Record<RegionType, number>>;
}

/**
 * Places the alleles of a VCF (SNVs, MNVs, indels; each allele of a multi-allelic record on its own) in
 * the 3' and/or 5' regions that `extract` defines for the genome and annotation (`placeGenomicRecords`).
 */
export async function placeVcfVariants(o: VcfPlacementOptions): Promise<VcfPlacement> {
  const { headerLines, dataLines, records: parsed } = await readVcfRecords(o.vcf, o.lines);
  const records: GenomicRecord[] = parsed.map((v, i) => ({
    chrom: v.CHROM,
    pos: v.POS,
    id: v.ID?.[0] ?? "",
    idField: v.ID?.join(";") ?? ".",
    ref: v.REF,
    alts: v.ALT ?? [],
    where: `${o.vcf}: record ${i + 1}`,
  }));
  const placed = await placeGenomicRecords({ ...o, input: o.vcf }, records);
  return { variants: placed.variants, summary: placed.summary, headerLines, dataLines };
}

/**
 * Whether a variants input is a VCF: by name (`.vcf`, `.vcf.gz`, `.vcf.bgz`), else, for a pipe or standard
 * input, by its first line (`##fileformat=VCF` or `#CHROM`); the lines read to decide come back with the rest.
 */
export async function openVariantInput(path: string): Promise<{ vcf: boolean; lines?: AsyncGenerator<TextLine> }> {
  if (/\.vcf(\.gz|\.bgz)?$/i.test(path)) return { vcf: true };
  if (isSeekableInput(path)) return { vcf: false };
  const peek = await peekUntil(readLines(path, "variant input"), ({ text }) => (text.trim() === "" ? undefined : /^(##fileformat=VCF|#CHROM\t)/.test(text)));
  return { vcf: peek.decision === true, lines: peek.items };
}
