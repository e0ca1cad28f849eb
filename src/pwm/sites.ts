import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { ParseError } from "../errors.js";

/** A motif instance on a record, 0-based half-open [start, end) in record (transcript) coordinates. */
export interface MotifSite {
  readonly family: string;
  readonly start: number;
  readonly end: number;
  readonly strand?: "+" | "-";
  readonly score?: number;
  /** Optional class of the instance (e.g. bound / unbound), from a `label` column. */
  readonly label?: string;
}

/** Sites per record id. */
export type SiteIndex = ReadonlyMap<string, readonly MotifSite[]>;

/**
 * Reads a sites table like sim12's sites.tsv: header with `id`, `family`, `start` (0-based) and either
 * `end` (exclusive) or `site` (the instance sequence, whose length gives the end); an optional `label`
 * column (bound / unbound, functional / inert) is kept per site.
 */
export async function readSitesTsv(path: string): Promise<Map<string, MotifSite[]>> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  const index = new Map<string, MotifSite[]>();
  let cols: { id: number; family: number; start: number; end: number; site: number; label: number } | undefined;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line === "" || line.startsWith("#")) continue;
    const f = line.split("\t");
    if (!cols) {
      const find = (n: string) => f.findIndex((x) => x.trim().toLowerCase() === n);
      cols = { id: find("id"), family: find("family"), start: find("start"), end: find("end"), site: find("site"), label: find("label") };
      if (cols.id < 0 || cols.family < 0 || cols.start < 0 || (cols.end < 0 && cols.site < 0)) {
        throw new ParseError(path, `header needs id, family, start and end or site columns; found: ${f.join(", ")}`, lineNo);
      }
      continue;
    }
    const start = Number(f[cols.start]);
    const end = cols.end >= 0 ? Number(f[cols.end]) : start + (f[cols.site] ?? "").length;
    const id = f[cols.id];
    if (!id || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
      throw new ParseError(path, `bad site row (need id, integer 0-based start < end): "${line.slice(0, 60)}"`, lineNo);
    }
    const list = index.get(id) ?? [];
    const label = cols.label >= 0 ? f[cols.label]?.trim() : undefined;
    list.push({ family: f[cols.family] ?? "", start, end, ...(label ? { label } : {}) });
    index.set(id, list);
  }
  if (!cols) throw new ParseError(path, "empty sites file: expected a header line");
  return index;
}
