import { dirname, isAbsolute, resolve } from "node:path";
import { ParseError } from "../errors.js";
import { REGION_TYPES, type RegionType } from "../sequence/region.js";
import { readTsv } from "../io/tsv-reader.js";

/** A manifest row: either regions extracted from a genome + annotation, or a FASTA of ready regions. */
export type ManifestSource =
  | {
      kind: "extract";
      species: string;
      genome: string;
      annotation: string;
      region: RegionType | undefined;
      length: number | undefined;
      row: Record<string, string>;
    }
  | { kind: "fasta"; species: string; fasta: string; region: RegionType | undefined; row: Record<string, string> };

/**
 * Reads a corpus manifest TSV: header with `species` and either `genome` + `annotation` (optional
 * `region`, `length`) or `fasta`. Relative paths are resolved against the manifest's folder.
 */
export async function readManifest(path: string): Promise<ManifestSource[]> {
  const base = dirname(resolve(path));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const out: ManifestSource[] = [];
  for await (const { values: v, line } of readTsv(path, "corpus manifest", ["species"])) {
    const species = v["species"] ?? "";
    if (species === "" || /\s/.test(species)) throw new ParseError(path, `species "${species}" must be non-empty without whitespace`, line);
    const region = parseRegion(path, v["region"], line);
    if (v["fasta"]) {
      out.push({ kind: "fasta", species, fasta: abs(v["fasta"]), region, row: { ...v } });
    } else if (v["genome"] && v["annotation"]) {
      const length = v["length"] ? Number(v["length"]) : undefined;
      if (length !== undefined && (!Number.isInteger(length) || length < 3)) {
        throw new ParseError(path, `length "${v["length"]}" must be an integer >= 3`, line);
      }
      out.push({ kind: "extract", species, genome: abs(v["genome"]), annotation: abs(v["annotation"]), region, length, row: { ...v } });
    } else {
      throw new ParseError(path, "each row needs either a fasta path or both genome and annotation paths", line);
    }
  }
  if (out.length === 0) throw new ParseError(path, "manifest has no rows");
  return out;
}

function parseRegion(path: string, value: string | undefined, line: number): RegionType | undefined {
  if (value === undefined || value === "") return undefined;
  if ((REGION_TYPES as readonly string[]).includes(value)) return value as RegionType;
  throw new ParseError(path, `region "${value}" must be one of ${REGION_TYPES.join(", ")}`, line);
}
