import { REPORT_CSS } from "../report/report-html.js";
import { barChart, escapeXml } from "../report/svg-charts.js";
import type { SequenceRecord } from "../baselines/nucleotide-predictor.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { InstanceScores, SiteAuroc, SiteInstance, SitePairedTest } from "./site-reconstruction.js";

export interface SiteReport {
  readonly title: string;
  readonly createdAt: string;
  readonly siteSource: string;
  readonly records: readonly SequenceRecord[];
  readonly instances: readonly SiteInstance[];
  readonly scores: readonly InstanceScores[];
  readonly aurocs: readonly SiteAuroc[];
  readonly paired: readonly SitePairedTest[];
  readonly notes: readonly string[];
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "–");
const label = (i: SiteInstance) => (i.positive === undefined ? "" : i.positive ? "positive" : "negative");

/** One row per instance: where it is, its class, and each scorer's mean p_ref and contribution. */
export function renderSiteTsv(r: SiteReport): string {
  const head = ["id", "species", "family", "start", "end", "site", "class", ...r.scores.flatMap((s) => [`${s.scorer}:mean_p_ref`, `${s.scorer}:contribution`])];
  const rows = r.instances.map((inst, i) => {
    const rec = r.records[inst.record]!;
    return [
      rec.id,
      rec.species,
      inst.site.family,
      inst.site.start,
      inst.site.end,
      rec.sequence.slice(inst.site.start, inst.site.end),
      label(inst),
      ...r.scores.flatMap((s) => [s.meanPRef[i]!.toFixed(5), s.contribution[i]!.toFixed(5)]),
    ].join("\t");
  });
  return [head.join("\t"), ...rows].join("\n") + "\n";
}

export function siteSummary(r: SiteReport) {
  const positives = r.instances.filter((i) => i.positive === true).length;
  const negatives = r.instances.filter((i) => i.positive === false).length;
  return {
    title: r.title,
    createdAt: r.createdAt,
    siteSource: r.siteSource,
    records: r.records.length,
    instances: r.instances.length,
    positives,
    negatives,
    notes: r.notes,
    aurocs: r.aurocs,
    paired: r.paired,
  };
}

export function renderSiteHtml(r: SiteReport): string {
  const s = siteSummary(r);
  const rows = r.aurocs.map(
    (a) =>
      `<tr><td>${escapeXml(a.family)}</td><td>${escapeXml(a.scorer)}</td><td>${a.meanPRef.positives} / ${a.meanPRef.negatives}</td>` +
      `<td>${f3(a.meanPRef.auroc)}</td><td>[${f3(a.meanPRef.ci95[0])}, ${f3(a.meanPRef.ci95[1])}]</td><td>${f3(a.contribution.auroc)}</td><td>[${f3(a.contribution.ci95[0])}, ${f3(a.contribution.ci95[1])}]</td></tr>`,
  );
  const paired = r.paired.map(
    (p) =>
      `<tr><td>${escapeXml(p.family)}</td><td>${escapeXml(p.a)} vs ${escapeXml(p.b)}</td><td>${f3(p.difference)}</td><td>${f3(p.se)}</td>` +
      `<td><span class="${p.p < 0.01 ? "sig" : "ns"}">${p.p.toExponential(1)}</span></td></tr>`,
  );
  const all = r.aurocs.filter((a) => a.family === "all");
  const means = r.scores.map((sc) => {
    const mean = (want: boolean) => {
      const v = r.instances.map((inst, i) => (inst.positive === want ? sc.meanPRef[i]! : NaN)).filter(Number.isFinite);
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
    };
    return `<tr><td>${escapeXml(sc.scorer)}</td><td>${f3(mean(true))}</td><td>${f3(mean(false))}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(r.title)}</title><style>${REPORT_CSS}</style></head><body>
<h1>${escapeXml(r.title)}</h1>
<p class="meta">${s.records.toLocaleString("en")} records · ${s.instances.toLocaleString("en")} motif instances (${s.positives} positive, ${s.negatives} negative) · sites: ${escapeXml(r.siteSource)} · generated ${escapeXml(r.createdAt)}</p>
<p class="lead">Each model reconstructs every base of each motif instance with that base hidden. <b>mean p_ref</b>: the mean probability of
the reference bases over the instance; <b>contribution</b>: the mean of p_ref·log2(p_ref / p̄_ref), p̄_ref the species' frequency of that base
(high when the model is confident beyond composition). <b>AUROC</b>: how well the score ranks positive (bound, functional) above negative
instances (0.5 = chance), with DeLong 95% intervals; paired DeLong tests compare scorers on the same instances.</p>
${r.notes.length ? `<div class="notes"><b>Notes</b><ul>${r.notes.map((n) => `<li>${escapeXml(n)}</li>`).join("")}</ul></div>` : ""}
${all.length ? barChart({ title: "AUROC of mean p_ref, positive vs negative instances", categories: ["mean p_ref", "contribution"], series: all.map((a) => ({ name: a.scorer, values: [a.meanPRef.auroc, a.contribution.auroc] })), yLabel: "AUROC", width: 700, height: 300 }) : "<p>No labelled instances of both classes: no AUROC.</p>"}
<h2>AUROC</h2><table><tr><th>family</th><th>scorer</th><th>positive / negative</th><th>AUROC mean p_ref</th><th>95% CI</th><th>AUROC contribution</th><th>95% CI</th></tr>${rows.join("")}</table>
<h2>Mean p_ref by class</h2><table><tr><th>scorer</th><th>positive</th><th>negative</th></tr>${means.join("")}</table>
${paired.length ? `<h2>Paired DeLong tests (mean p_ref)</h2><table><tr><th>family</th><th>A vs B</th><th>ΔAUROC</th><th>SE</th><th>p</th></tr>${paired.join("")}</table>` : ""}
</body></html>
`;
}

/** PREFIX.tsv (per instance), PREFIX.json and PREFIX.html, each written atomically. */
export async function writeSiteReport(r: SiteReport, prefix: string): Promise<{ tsv: string; json: string; html: string }> {
  const paths = { tsv: `${prefix}.tsv`, json: `${prefix}.json`, html: `${prefix}.html` };
  await writeFileAtomic(paths.tsv, renderSiteTsv(r));
  await writeFileAtomic(paths.json, JSON.stringify(siteSummary(r), (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1) + "\n");
  await writeFileAtomic(paths.html, renderSiteHtml(r));
  return paths;
}
