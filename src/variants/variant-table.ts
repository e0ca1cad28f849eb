import { InputError, ParseError } from "../errors.js";
import { readTsv } from "../io/tsv-reader.js";
import type { TextLine } from "../io/byte-stream.js";
import type { GenomicRecord } from "./genomic-placement.js";
import type { Variant } from "./variant.js";

/** A variant read from a table, with where it came from and the table's other columns (labels, notes). */
export interface TableVariant extends Variant {
  /** `file:line`, for messages. */
  readonly where: string;
  readonly extra: Readonly<Record<string, string>>;
}

/** A row of a genomic table (chrom, 1-based pos, + strand ref/alt), with the table's other columns. */
export interface GenomicTableRow extends GenomicRecord {
  readonly extra: Readonly<Record<string, string>>;
}

export const VARIANT_COLUMNS = ["id", "species", "sequence", "pos", "ref", "alt"] as const;
export const GENOMIC_COLUMNS = ["id", "chrom", "pos", "ref", "alt", "gene"] as const;

export type VariantTable =
  | { readonly kind: "sequence"; readonly variants: TableVariant[]; readonly extraColumns: string[] }
  | { readonly kind: "genomic"; readonly rows: GenomicTableRow[]; readonly extraColumns: string[] };

/**
 * `--columns id=variant_id,chrom=chromosome`: the table's header name of each column `variants` reads;
 * unnamed columns keep their own names.
 */
export function parseColumnMap(spec: string | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of (spec ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)) {
    const [name, header] = pair.split("=").map((x) => x.trim());
    const known = [...new Set([...VARIANT_COLUMNS, ...GENOMIC_COLUMNS])] as string[];
    if (!name || !header || !known.includes(name)) throw new InputError(`--columns: "${pair}" is not NAME=HEADER with NAME one of ${known.join(", ")}`);
    map[name] = header;
  }
  return map;
}

/**
 * Reads a variant TSV. A `sequence` column makes it a sequence table: `id`, `sequence`, `pos` (0-based),
 * `ref`, `alt`, optionally `species` (rows without one take `o.species`). Otherwise a `chrom` column
 * makes it a genomic table: `id`, `chrom`, `pos` (1-based), `ref`, `alt` on the genome's + strand, and
 * optionally `gene` (only that gene's regions hold the variant), placed with a genome and annotation.
 * Alleles are 1+ bases (indels VCF-style: CT>C). `columns` maps these names to the table's headers.
 * Columns beyond these are kept in `extra` (header order in `extraColumns`) and copied to the output.
 */
export async function readVariantTable(
  path: string,
  o: { species?: string; speciesProxy?: string; columns?: Record<string, string> } = {},
  lines?: AsyncIterable<TextLine>,
): Promise<VariantTable> {
  const name = (c: string) => o.columns?.[c] ?? c;
  const variants: TableVariant[] = [];
  const rows: GenomicTableRow[] = [];
  let kind: "sequence" | "genomic" | undefined;
  let extraColumns: string[] = [];
  for await (const { values, line } of readTsv(path, "variant table", [], lines)) {
    if (!kind) {
      const header = Object.keys(values);
      kind = header.includes(name("sequence")) ? "sequence" : header.includes(name("chrom")) ? "genomic" : undefined;
      if (!kind)
        throw new ParseError(
          path,
          `neither a "${name("sequence")}" column (sequence table) nor a "${name("chrom")}" column (genomic table); header has: ${header.join(", ")} (map names with --columns, e.g. id=variant_id)`,
          line,
        );
      const required = kind === "sequence" ? ["id", "sequence", "pos", "ref", "alt"] : ["id", "chrom", "pos", "ref", "alt"];
      const missing = required.filter((c) => !header.includes(name(c)));
      if (missing.length)
        throw new ParseError(
          path,
          `missing column(s) ${missing.map(name).join(", ")} of a ${kind} table; header has: ${header.join(", ")} (map names with --columns, e.g. id=variant_id)`,
          line,
        );
      const own = (kind === "sequence" ? VARIANT_COLUMNS : GENOMIC_COLUMNS).map(name) as string[];
      extraColumns = header.filter((c) => !own.includes(c));
    }
    const get = (c: string) => values[name(c)] ?? "";
    const pos = Number(get("pos"));
    if (get("pos") === "" || !Number.isInteger(pos))
      throw new ParseError(
        path,
        `record ${get("id")}: pos "${get("pos")}" is not an integer (${kind === "sequence" ? "0-based position in the sequence" : "1-based genomic position"})`,
        line,
      );
    if (!get("id")) throw new ParseError(path, "row has an empty id", line);
    const extra = Object.fromEntries(extraColumns.map((c) => [c, values[c] ?? ""]));
    if (kind === "genomic") {
      if (!get("chrom") || pos < 1) throw new ParseError(path, `record ${get("id")}: needs a chrom and a 1-based pos`, line);
      const gene = get("gene");
      rows.push({
        chrom: get("chrom"),
        pos,
        id: get("id"),
        ref: get("ref"),
        alts: get("alt") ? [get("alt")] : [],
        ...(gene ? { gene } : {}),
        where: `${path}:${line}`,
        extra,
      });
      continue;
    }
    if (!get("sequence")) throw new ParseError(path, `record ${get("id")}: empty sequence`, line);
    const species = get("species") || o.species;
    variants.push({
      id: get("id"),
      species: species ?? null,
      sequence: get("sequence").toUpperCase(),
      pos,
      ref: get("ref").toUpperCase(),
      alt: get("alt").toUpperCase(),
      ...(o.speciesProxy ? { speciesProxy: o.speciesProxy } : {}),
      where: `${path}:${line}`,
      extra,
    });
  }
  if (variants.length + rows.length === 0) throw new ParseError(path, "no variants: the table has a header but no rows");
  return kind === "genomic" ? { kind, rows, extraColumns } : { kind: "sequence", variants, extraColumns };
}
