import { extname } from "node:path";
import { InputError, ParseError } from "../errors.js";
import { readLines } from "../io/byte-stream.js";

/** Which columns of the input table mean what. */
export interface ReadoutColumns {
  readonly id: string;
  readonly sequence: string;
  /** Species column; records without one take `species` (or stay species-agnostic when neither). */
  readonly speciesColumn: string;
  readonly species?: string;
  readonly targets: readonly string[];
  readonly group?: string;
  /** Extra numeric columns that features read (covariates). */
  readonly numeric?: readonly string[];
  /** Rows with a missing target (empty, NA, NaN) are dropped instead of being an error. */
  readonly dropMissing?: boolean;
  /** "log": natural log of each target (all values must be > 0). */
  readonly transform?: "none" | "log";
}

/** Records with their measurements, in file order. */
export interface ReadoutTable {
  readonly path: string;
  readonly header: readonly string[];
  readonly ids: readonly string[];
  readonly sequences: readonly string[];
  readonly species: readonly (string | null)[];
  readonly targets: ReadonlyMap<string, Float64Array>;
  readonly groups?: readonly string[];
  readonly numeric: ReadonlyMap<string, Float64Array>;
  /** Rows left out by dropMissing. */
  readonly dropped: number;
}

const MISSING = new Set(["", "na", "nan", "null", "none"]);
const isCsv = (path: string) => extname(path.replace(/\.gz$/i, "")).toLowerCase() === ".csv";
const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, "$1");

interface BadValue {
  line: number;
  id: string;
  value: string;
}

/** The header row alone (so `cov:A..B` ranges resolve before the table is parsed). */
export async function readTableHeader(path: string): Promise<string[]> {
  for await (const { text } of readLines(path, "readout table")) {
    if (text.trim() === "" || text.startsWith("#")) continue;
    return text.split(isCsv(path) ? "," : "\t").map(unquote);
  }
  throw new ParseError(path, "empty readout table: expected a header line");
}

/**
 * Reads a TSV (or .csv, comma-separated without embedded commas) table with a header row. Every target
 * and numeric column must hold numbers; the error names up to five offending rows and the fix.
 */
export async function readReadoutTable(path: string, c: ReadoutColumns): Promise<ReadoutTable> {
  const sep = isCsv(path) ? "," : "\t";
  let header: string[] | undefined;
  const idx: Record<string, number> = {};
  const ids: string[] = [],
    sequences: string[] = [],
    species: (string | null)[] = [],
    groups: string[] = [];
  const numericCols = [...new Set([...c.targets, ...(c.numeric ?? [])])];
  const values = new Map(numericCols.map((n) => [n, [] as number[]]));
  const bad = new Map(numericCols.map((n) => [n, [] as BadValue[]]));
  let dropped = 0;
  for await (const { text, lineNo } of readLines(path, "readout table")) {
    if (text.trim() === "" || text.startsWith("#")) continue;
    const f = text.split(sep).map(unquote);
    if (!header) {
      header = f;
      const need = [c.id, c.sequence, ...numericCols, ...(c.group ? [c.group] : [])];
      const missing = need.filter((n) => !header!.includes(n));
      if (missing.length) throw new ParseError(path, `missing column(s) ${missing.join(", ")}; header has: ${header.join(", ")}`, lineNo);
      for (const n of [...need, c.speciesColumn]) idx[n] = header.indexOf(n);
      continue;
    }
    if (f.length !== header.length) throw new ParseError(path, `expected ${header.length} columns, found ${f.length}`, lineNo);
    const id = f[idx[c.id]!]!;
    if (c.dropMissing && c.targets.some((t) => MISSING.has(f[idx[t]!]!.toLowerCase()))) {
      dropped++;
      continue;
    }
    for (const n of numericCols) {
      const raw = f[idx[n]!]!;
      const v = raw === "" ? NaN : Number(raw);
      if (!Number.isFinite(v)) bad.get(n)!.push({ line: lineNo, id, value: raw });
      values.get(n)!.push(v);
    }
    ids.push(id);
    sequences.push(f[idx[c.sequence]!]!.toUpperCase());
    const sp = idx[c.speciesColumn]! >= 0 ? f[idx[c.speciesColumn]!] : undefined;
    species.push(sp || c.species || null);
    if (c.group) groups.push(f[idx[c.group]!]!);
  }
  if (!header) throw new ParseError(path, "empty readout table: expected a header line");
  for (const [col, rows] of bad) {
    if (!rows.length) continue;
    const shown = rows
      .slice(0, 5)
      .map((r) => `line ${r.line} (id ${r.id}: ${JSON.stringify(r.value)})`)
      .join(", ");
    const isTarget = c.targets.includes(col);
    throw new ParseError(
      path,
      `column "${col}" must be numeric, but ${rows.length} row(s) are not: ${shown}${rows.length > 5 ? ", ..." : ""}. ` +
        (isTarget ? "Fix or remove those rows, or pass --drop-missing to skip rows with a missing target" : "Fix or remove those rows"),
    );
  }
  const targets = new Map(c.targets.map((t) => [t, transform(Float64Array.from(values.get(t)!), c.transform ?? "none", t, path, ids)]));
  const numeric = new Map(numericCols.map((n) => [n, Float64Array.from(values.get(n)!)]));
  return { path, header, ids, sequences, species, targets, ...(c.group ? { groups } : {}), numeric, dropped };
}

function transform(v: Float64Array, how: "none" | "log", column: string, path: string, ids: readonly string[]): Float64Array {
  if (how === "none") return v;
  const bad = [...v.keys()].filter((i) => !(v[i]! > 0));
  if (bad.length) {
    throw new InputError(
      `${path}: --target-transform log needs positive values, but column "${column}" has ${bad.length} value(s) <= 0 (ids ${bad
        .slice(0, 5)
        .map((i) => ids[i])
        .join(", ")}); drop them or use --target-transform none`,
    );
  }
  return v.map(Math.log);
}
