import { writeFileAtomic } from "../io/atomic-write.js";
import { renderReportHtml } from "./report-html.js";
import { renderComparisonsTsv, renderReportTsv } from "./report-tsv.js";
import type { EvaluationReport } from "./report-types.js";

export interface ReportPaths {
  readonly json: string;
  /** The long-format metrics table. */
  readonly tsv: string;
  /** The paired model comparisons (header only with one model): a table of its own, as pandas reads one per file. */
  readonly comparisons: string;
  readonly html: string;
}

/** Writes `<prefix>.json`, `<prefix>.tsv`, `<prefix>.comparisons.tsv` and `<prefix>.html`, each atomically; returns the paths. */
export async function writeReport(report: EvaluationReport, outPrefix: string): Promise<ReportPaths> {
  const paths = {
    json: `${outPrefix}.json`,
    tsv: `${outPrefix}.tsv`,
    comparisons: `${outPrefix}.comparisons.tsv`,
    html: `${outPrefix}.html`,
  };
  // NaN (e.g. motif metrics without sites) is written as null, which JSON can represent
  await writeFileAtomic(paths.json, JSON.stringify(report, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1) + "\n");
  await writeFileAtomic(paths.tsv, renderReportTsv(report));
  await writeFileAtomic(paths.comparisons, renderComparisonsTsv(report));
  await writeFileAtomic(
    paths.html,
    renderReportHtml(report, [
      [paths.tsv, "metrics"],
      [paths.comparisons, "paired model comparisons"],
    ]),
  );
  return paths;
}
