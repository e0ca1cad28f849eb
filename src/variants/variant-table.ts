import { ParseError } from "../errors.js";
import { readTsv } from "../io/tsv-reader.js";
import type { TextLine } from "../io/byte-stream.js";
import type { Variant } from "./variant.js";

/** A variant read from a table, with where it came from and the table's other columns (labels, notes). */
export interface TableVariant extends Variant {
  /** `file:line`, for messages. */
  readonly where: string;
  readonly extra: Readonly<Record<string, string>>;
}

export const VARIANT_COLUMNS = ["id", "species", "sequence", "pos", "ref", "alt"] as const;

/**
 * Reads a TSV with a header naming `id`, `sequence`, `pos` (0-based), `ref`, `alt` and optionally
 * `species`; records without a species take `o.species`. Sequences and alleles are upper-cased. Columns
 * beyond these are kept in `extra` (in header order in `extraColumns`) and copied to the output.
 * Checks against the model (allele matches, range, species) are `checkVariant`'s.
 */
export async function readVariantTable(
  path: string,
  o: { species?: string; speciesProxy?: string } = {},
  lines?: AsyncIterable<TextLine>,
): Promise<{ variants: TableVariant[]; extraColumns: string[] }> {
  const variants: TableVariant[] = [];
  let extraColumns: string[] | undefined;
  for await (const { values, line } of readTsv(path, "variant table", ["id", "sequence", "pos", "ref", "alt"], lines)) {
    extraColumns ??= Object.keys(values).filter((c) => !(VARIANT_COLUMNS as readonly string[]).includes(c));
    const pos = Number(values.pos);
    if (values.pos === "" || !Number.isInteger(pos)) throw new ParseError(path, `record ${values.id}: pos "${values.pos}" is not an integer (0-based position in the sequence)`, line);
    if (!values.id || !values.sequence) throw new ParseError(path, "row has an empty id or sequence", line);
    const species = values.species || o.species;
    variants.push({
      id: values.id, species: species ?? null, sequence: values.sequence.toUpperCase(), pos,
      ref: values.ref!.toUpperCase(), alt: values.alt!.toUpperCase(),
      ...(o.speciesProxy ? { speciesProxy: o.speciesProxy } : {}),
      where: `${path}:${line}`,
      extra: Object.fromEntries(extraColumns.map((c) => [c, values[c] ?? ""])),
    });
  }
  if (variants.length === 0) throw new ParseError(path, "no variants: the table has a header but no rows");
  return { variants, extraColumns: extraColumns ?? [] };
}
