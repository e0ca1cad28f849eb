import { writeFileAtomic } from "../io/atomic-write.js";
import { renderReportHtml } from "./report-html.js";
import { renderReportTsv } from "./report-tsv.js";
import type { EvaluationReport } from "./report-types.js";

/** Writes `<prefix>.json`, `<prefix>.tsv` and `<prefix>.html`, each atomically; returns the paths. */
export async function writeReport(report: EvaluationReport, outPrefix: string): Promise<{ json: string; tsv: string; html: string }> {
  const paths = { json: `${outPrefix}.json`, tsv: `${outPrefix}.tsv`, html: `${outPrefix}.html` };
  // NaN (e.g. motif metrics without sites) is written as null, which JSON can represent
  await writeFileAtomic(paths.json, JSON.stringify(report, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1) + "\n");
  await writeFileAtomic(paths.tsv, renderReportTsv(report));
  await writeFileAtomic(paths.html, renderReportHtml(report));
  return paths;
}
