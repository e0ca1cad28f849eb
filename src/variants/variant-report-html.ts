import { REPORT_CSS } from "../report/report-html.js";
import { barChart, escapeXml, lineChart } from "../report/svg-charts.js";
import type { VariantEvaluation } from "./variant-evaluation.js";

const f3 = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(3) : "–");
const ci = (c: readonly [number, number] | undefined) => (c ? `[${f3(c[0])}, ${f3(c[1])}]` : "–");
const pv = (p: number) => (Number.isFinite(p) ? `<span class="${p < 0.01 ? "sig" : "ns"}">${p < 1e-300 ? "&lt;1e-300" : p.toExponential(1)}</span>` : "–");

/** A self-contained HTML page (inline CSS and SVG, as the `evaluate` report) for a variant evaluation. */
export function renderVariantReportHtml(e: VariantEvaluation): string {
  const body = e.kind === "binary" ? binarySections(e) : continuousSections(e);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(e.title)}</title>
<style>${REPORT_CSS}</style></head><body>
<h1>${escapeXml(e.title)}</h1>
<p class="meta">${e.rows.toLocaleString("en")} variants · label column <b>${escapeXml(e.label)}</b> (${e.kind}) · input ${escapeXml(e.input)} · generated ${escapeXml(e.createdAt)}</p>
<p class="lead">Each score is oriented so that a larger value means a larger predicted effect: <b>-llr</b> (the masked
log-likelihood ratio ln P(alt) − ln P(ref), negated), <b>influence</b> (mean change of the model's predictions at the other
positions), <b>embedding_distance</b> (1 − cosine of the sequence embeddings), <b>delta_prob</b> (change of the
reconstructed probabilities around the variant). Rows with a missing score or label are left out of that score.</p>
${body}
</body></html>
`;
}

function binarySections(e: VariantEvaluation): string {
  const best = Math.max(...e.scores.map((s) => s.auroc?.auroc ?? -Infinity));
  const rows = e.scores.map(
    (s) =>
      `<tr><td>${escapeXml(s.name)}</td><td>${s.n.toLocaleString("en")}</td><td>${s.auroc?.positives ?? 0} / ${s.auroc?.negatives ?? 0}</td>` +
      `<td${s.auroc?.auroc === best && e.scores.length > 1 ? ' class="best"' : ""}>${f3(s.auroc?.auroc)}</td><td>${ci(s.auroc?.ci95)}</td><td>${f3(s.auprc?.auprc)}</td><td>${ci(s.auprc?.ci95)}</td></tr>`,
  );
  const published = e.published.map(
    (p) => `<tr class="published"><td>${escapeXml(p.name)} (published)</td><td>–</td><td>–</td><td>${f3(p.auroc)}</td><td>–</td><td>–</td><td>–</td></tr>`,
  );
  const comps = e.comparisons.map(
    (c) => `<tr><td>${escapeXml(c.a)} vs ${escapeXml(c.b)}</td><td>${c.n.toLocaleString("en")}</td><td>${f3(c.difference)}</td><td>${pv(c.p)}</td></tr>`,
  );
  const roc = lineChart({
    title: "ROC curves",
    xLabel: "false positive rate",
    yLabel: "true positive rate",
    xRange: [0, 1],
    yRange: [0, 1],
    diagonal: true,
    width: 640,
    height: 420,
    series: e.scores.map((s) => ({ name: `${s.name} (${f3(s.auroc?.auroc)})`, x: s.roc?.fpr ?? [], y: s.roc?.tpr ?? [] })),
  });
  const bars = barChart({
    title: "AUROC (0.5 = chance) and AUPRC per score",
    categories: ["AUROC", "AUPRC"],
    series: e.scores.map((s) => ({ name: s.name, values: [s.auroc?.auroc ?? NaN, s.auprc?.auprc ?? NaN] })),
    yLabel: "area",
    width: 560,
    height: 300,
  });
  const base = e.scores[0]?.auroc ? e.scores[0].auroc.positives / (e.scores[0].auroc.positives + e.scores[0].auroc.negatives) : NaN;
  return `<h2>Summary</h2>
<table><tr><th>score</th><th>variants</th><th>positives / negatives</th><th>AUROC</th><th>95% CI (DeLong)</th><th>AUPRC</th><th>95% CI (bootstrap)</th></tr>${rows.join("")}${published.join("")}</table>
<p class="hint">AUROC: probability that a random positive outscores a random negative (0.5 = chance), with DeLong's variance. AUPRC: average
precision (chance = the positive fraction, ${f3(base)}), with a 95% interval from 1,000 bootstrap resamples within each class.</p>
<div class="charts">${roc}${bars}</div>
${
  comps.length
    ? `<h2>Are the differences real?</h2>
<p class="hint">Paired DeLong tests on the variants every score covers: ΔAUROC = AUROC(first) − AUROC(second).</p>
<table><tr><th>scores</th><th>variants</th><th>ΔAUROC</th><th>p</th></tr>${comps.join("")}</table>`
    : ""
}`;
}

function continuousSections(e: VariantEvaluation): string {
  const rows = e.scores.map(
    (s) =>
      `<tr><td>${escapeXml(s.name)}</td><td>${s.n.toLocaleString("en")}</td><td>${f3(s.pearson?.r)}</td><td>${ci(s.pearson?.ci95)}</td><td>${f3(s.spearman?.r)}</td><td>${ci(s.spearman?.ci95)}</td></tr>`,
  );
  const bars = barChart({
    title: "Correlation with the measured effect",
    categories: ["Pearson", "Spearman"],
    series: e.scores.map((s) => ({ name: s.name, values: [s.pearson?.r ?? NaN, s.spearman?.r ?? NaN] })),
    yLabel: "r",
    width: 560,
    height: 300,
  });
  return `<h2>Summary</h2>
<table><tr><th>score</th><th>variants</th><th>Pearson r</th><th>95% CI</th><th>Spearman ρ</th><th>95% CI</th></tr>${rows.join("")}</table>
<p class="hint">Intervals by Fisher's z transformation (approximate for Spearman).</p>
<div class="charts">${bars}</div>`;
}
