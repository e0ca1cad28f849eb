import type { SequenceRecord } from "../baselines/index.js";
import { InputError } from "../errors.js";
import { readTsv } from "../io/tsv-reader.js";
import type { MotifSite, SiteIndex } from "../pwm/sites.js";
import type { SiteInstance } from "./site-reconstruction.js";

/** Labels that mark the positive class (bound, functional) unless told otherwise; compared lower-case. */
export const DEFAULT_POSITIVE_LABELS: readonly string[] = ["bound", "functional", "positive", "1", "true", "yes"];

/** Record id -> label from a table with `id` and the label column. */
export async function readSiteLabels(path: string, column: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const { values } of readTsv(path, "label table", ["id", column])) out.set(values["id"]!, values[column]!);
  return out;
}

/** Motif sites per record id (a sites table), or a function finding them in a record (a scan). */
export type SiteLookup = SiteIndex | ((r: SequenceRecord) => MotifSite[]);

export interface SiteInstanceOptions {
  /** Record id -> label (every instance on a record takes it) when a site carries none. */
  readonly labels?: ReadonlyMap<string, string> | undefined;
  /** Labels of the positive class (default DEFAULT_POSITIVE_LABELS); others are negative. */
  readonly positive?: readonly string[];
  /** Where the sites came from, for the error on a site past its record's end. */
  readonly source?: string | undefined;
}

/** The motif instances of the records (a sites table by id, or a scan), labelled positive, negative or not. */
export function siteInstances(records: readonly SequenceRecord[], sites: SiteLookup | undefined, o: SiteInstanceOptions = {}): SiteInstance[] {
  const positive = new Set((o.positive ?? DEFAULT_POSITIVE_LABELS).map((s) => s.toLowerCase()));
  const instances: SiteInstance[] = [];
  records.forEach((rec, i) => {
    const found = typeof sites === "function" ? sites(rec) : (sites?.get(rec.id) ?? []);
    for (const site of found) {
      if (site.end > rec.sequence.length)
        throw new InputError(`${o.source}: site ${site.family} at ${rec.id}:${site.start}-${site.end} runs past the record's ${rec.sequence.length} nt`);
      const l = site.label ?? o.labels?.get(rec.id);
      instances.push({ record: i, site, ...(l !== undefined && l !== "" ? { positive: positive.has(l.toLowerCase()) } : {}) });
    }
  });
  return instances;
}

/**
 * Notes for a site report: what is not in the AUROC, and sites-table ids missing from the input.
 * `labelled`: a label table was given; `aurocs`: how many AUROCs the report has.
 */
export function siteNotes(
  records: readonly SequenceRecord[],
  instances: readonly SiteInstance[],
  o: { labelled: boolean; aurocs: number; sites: SiteLookup | undefined; input: string },
): string[] {
  const labelled = instances.filter((i) => i.positive !== undefined).length;
  const known = new Set(records.map((r) => r.id));
  const orphans = o.sites instanceof Map ? [...o.sites.keys()].filter((id) => !known.has(id)) : [];
  return [
    ...(o.labelled || instances.some((i) => i.site.label) ? [] : ["no labels given: instances are scored, no AUROC"]),
    ...(labelled && !o.aurocs ? ["the labelled instances are all of one class: no AUROC"] : []),
    ...(labelled < instances.length && labelled > 0 ? [`${instances.length - labelled} instance(s) without a label are scored but not in the AUROC`] : []),
    ...(orphans.length
      ? [`${orphans.length} record id(s) of the sites table are not in ${o.input} (e.g. ${orphans.slice(0, 3).join(", ")}): their sites are skipped`]
      : []),
  ];
}
