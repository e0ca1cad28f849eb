import { InputError } from "../errors.js";
import type { RegionType } from "../sequence/region.js";
import { placeGenomicRecords, type PlacedVariant, type PlacementSummary } from "./genomic-placement.js";
import { readVariantTable, type GenomicTableRow, type TableVariant } from "./variant-table.js";
import { openVariantInput, placeVcfVariants } from "./vcf-variants.js";

export interface VariantInputOptions {
  readonly input: string;
  readonly genome?: string;
  readonly annotation?: string;
  /** The genome's species (a label only for a species-agnostic model). */
  readonly species?: string;
  readonly speciesProxy?: string;
  readonly regions: readonly RegionType[];
  /** Table header names of the columns `variants` reads (`--columns`). */
  readonly columns?: Record<string, string>;
}

/** The three inputs of `specieslm variants`, read and (VCF, genomic tables) placed in gene regions. */
export type VariantInput =
  | { readonly kind: "sequence"; readonly variants: TableVariant[]; readonly extraColumns: string[] }
  | {
      readonly kind: "vcf";
      readonly variants: PlacedVariant[];
      readonly summary: PlacementSummary;
      readonly headerLines: string[];
      readonly dataLines: string[];
    }
  | {
      readonly kind: "genomic";
      readonly variants: PlacedVariant[];
      readonly summary: PlacementSummary;
      readonly rows: GenomicTableRow[];
      readonly status: string[][];
      readonly extraColumns: string[];
    };

function placementArgs(o: VariantInputOptions, what: string): { genome: string; annotation: string; species: string } {
  if (!o.genome || !o.annotation || !o.species) throw new InputError(`${what} needs --genome, --annotation and --species (the genome's species)`);
  return { genome: o.genome, annotation: o.annotation, species: o.species };
}

/** Reads a VCF, a sequence table (id species sequence pos ref alt) or a genomic table (id chrom pos ref alt [gene]). */
export async function readVariantInput(o: VariantInputOptions): Promise<VariantInput> {
  const opened = await openVariantInput(o.input);
  const lines = opened.lines ? { lines: opened.lines } : {};
  if (opened.vcf) {
    const placed = await placeVcfVariants({ vcf: o.input, ...lines, ...placementArgs(o, "VCF input"), regions: o.regions });
    return { kind: "vcf", ...placed };
  }
  const table = await readVariantTable(
    o.input,
    {
      ...(o.species ? { species: o.species } : {}),
      ...(o.speciesProxy ? { speciesProxy: o.speciesProxy } : {}),
      ...(o.columns ? { columns: o.columns } : {}),
    },
    opened.lines,
  );
  if (table.kind === "sequence") return table;
  const placed = await placeGenomicRecords({ ...placementArgs(o, `${o.input} (a genomic table: chrom, pos)`), regions: o.regions, input: o.input }, table.rows);
  return {
    kind: "genomic",
    variants: placed.variants,
    summary: placed.summary,
    rows: table.rows,
    status: placed.status,
    extraColumns: table.extraColumns,
  };
}

/** One line on the placement of a VCF or genomic table, for stderr. */
export function placementNote(s: PlacementSummary): string {
  const list = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([r, n]) => `${r} ${n}`)
      .join(", ") || "none";
  return (
    `${s.records} records, ${s.alleles} alleles (${list(s.kinds)}): ${s.placedAlleles} placed in ${s.placements} region placements (${list(s.regions)}), ` +
    `${s.outsideRegions} outside every region, not placed: ${list(s.unscorable)}`
  );
}
