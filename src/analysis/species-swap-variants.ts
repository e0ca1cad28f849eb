import { readFile } from "node:fs/promises";
import { InputError, ParseError } from "../errors.js";
import { consensusMasks } from "../pwm/iupac-codes.js";

/**
 * Motif families with per-species variants, the input of the species-swap analysis: e.g. Puf3 as
 * TGTAAATA in S. cerevisiae and TGTACATA in N. crassa. Variants of a family are aligned (same length);
 * the positions where their IUPAC codes differ are the family's variable positions.
 */
export interface MotifVariant {
  readonly family: string;
  /** IUPAC consensus over DNA letters (U read as T), upper case. */
  readonly variant: string;
  /** Species that use this variant; empty = not assigned (any species' sequences are scanned for it). */
  readonly species: readonly string[];
}

export interface MotifFamily {
  readonly family: string;
  readonly variants: readonly MotifVariant[];
  /** `[variant][width]` IUPAC 4-bit masks (bit 0 = A .. bit 3 = T). */
  readonly masks: readonly Uint8Array[];
  /** 0-based offsets within the motif where the variants' codes differ. */
  readonly variable: readonly number[];
}

function normaliseVariant(given: string, where: string, line?: number): string {
  const v = given.trim().toUpperCase().replaceAll("U", "T");
  const bad = consensusMasks(v);
  if (v === "" || typeof bad === "number") {
    throw new ParseError(where, `"${given}" is not an IUPAC consensus${typeof bad === "number" ? ` (letter ${bad + 1})` : ""}`, line);
  }
  return v;
}

/**
 * Reads a variants table: TSV with a header naming `family` and `variant` (or `consensus`), and optionally
 * `species` (comma-separated names using that variant; empty or `*` = unassigned). A `.json` file is read
 * as a sim12 `truth.json` instead (see `variantsFromTruth`).
 */
export async function readMotifVariants(path: string): Promise<MotifVariant[]> {
  const text = await readFile(path, "utf8");
  if (path.toLowerCase().endsWith(".json")) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ParseError(path, "not valid JSON", undefined, { cause: err });
    }
    return variantsFromTruth(json, path);
  }
  return parseMotifVariants(text, path);
}

export function parseMotifVariants(text: string, source = "<variants>"): MotifVariant[] {
  const out: MotifVariant[] = [];
  let cols: { family: number; variant: number; species: number } | undefined;
  text.split(/\r?\n/).forEach((line, k) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const f = line.split("\t").map((x) => x.trim());
    if (!cols) {
      const find = (...names: string[]) => f.findIndex((x) => names.includes(x.toLowerCase()));
      cols = { family: find("family"), variant: find("variant", "consensus"), species: find("species") };
      if (cols.family < 0 || cols.variant < 0) {
        throw new ParseError(source, `header must name columns "family" and "variant" (optionally "species"); found: ${f.join(", ")}`, k + 1);
      }
      return;
    }
    const family = f[cols.family] ?? "";
    if (family === "") throw new ParseError(source, "row without a family", k + 1);
    const sp = cols.species >= 0 ? (f[cols.species] ?? "") : "";
    const species =
      sp === "" || sp === "*"
        ? []
        : sp
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
    out.push({ family, variant: normaliseVariant(f[cols.variant] ?? "", source, k + 1), species });
  });
  if (out.length === 0) throw new ParseError(source, "no motif variants found");
  return mergeDuplicates(out);
}

/** One entry per (family, variant), species lists merged. */
function mergeDuplicates(list: readonly MotifVariant[]): MotifVariant[] {
  const byKey = new Map<string, { family: string; variant: string; species: string[] }>();
  for (const v of list) {
    const key = `${v.family}\t${v.variant}`;
    const e = byKey.get(key) ?? { family: v.family, variant: v.variant, species: [] };
    for (const s of v.species) if (!e.species.includes(s)) e.species.push(s);
    byKey.set(key, e);
  }
  return [...byKey.values()];
}

/**
 * sim12 truth.json -> variants: per family, species grouped by their consensus; species where the family
 * is absent (`present: false`) are left out, since nothing of theirs was planted.
 */
export function variantsFromTruth(json: unknown, source = "truth.json"): MotifVariant[] {
  const species = (json as { species?: unknown })?.species;
  if (typeof species !== "object" || species === null) throw new ParseError(source, `expected an object with a "species" map (sim12 truth.json)`);
  const out: MotifVariant[] = [];
  for (const [name, entry] of Object.entries(species as Record<string, unknown>)) {
    const families = (entry as { families?: unknown })?.families;
    if (typeof families !== "object" || families === null) throw new ParseError(source, `species "${name}" has no "families" map`);
    for (const [family, f] of Object.entries(families as Record<string, { consensus?: unknown; present?: unknown }>)) {
      if (f.present === false) continue;
      if (typeof f.consensus !== "string") throw new ParseError(source, `species "${name}" family "${family}" has no consensus string`);
      out.push({ family, variant: normaliseVariant(f.consensus, source), species: [name] });
    }
  }
  if (out.length === 0) throw new ParseError(source, "no present motif families found");
  return mergeDuplicates(out);
}

/** Groups variants by family and finds the variable positions; variants of one family must share a width. */
export function groupFamilies(variants: readonly MotifVariant[]): MotifFamily[] {
  const byFamily = new Map<string, MotifVariant[]>();
  for (const v of variants) byFamily.set(v.family, [...(byFamily.get(v.family) ?? []), v]);
  return [...byFamily].map(([family, vs]) => {
    const width = vs[0]!.variant.length;
    const odd = vs.find((v) => v.variant.length !== width);
    if (odd) {
      throw new InputError(`family ${family}: variants ${vs[0]!.variant} and ${odd.variant} differ in length; align them (pad with N) so offsets correspond`);
    }
    const masks = vs.map((v) => consensusMasks(v.variant) as Uint8Array);
    const variable: number[] = [];
    for (let j = 0; j < width; j++) if (masks.some((m) => m[j] !== masks[0]![j])) variable.push(j);
    return { family, variants: vs, masks, variable };
  });
}
