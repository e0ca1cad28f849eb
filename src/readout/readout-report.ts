import { PREDICTION_COLUMNS, type ReadoutPaths, readoutPaths } from "./report-files.js";
import { REPORT_CSS, tablesLine } from "../report/report-html.js";
import { barChart, escapeXml, scatterChart } from "../report/svg-charts.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { ReadoutReport, TargetReport } from "./readout.js";

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "–");
const ci = (c: readonly [number, number]) => `[${f3(c[0])}, ${f3(c[1])}]`;
const pv = (p: number) => (p < 1e-300 ? "<1e-300" : p.toExponential(1));

/** One row per (target, feature set): the numbers a reader copies into a table. */
export function renderReadoutTsv(r: ReadoutReport): string {
  const head = [
    "target",
    "features",
    "n_features",
    "r2",
    "r2_lo",
    "r2_hi",
    "pearson",
    "pearson_lo",
    "pearson_hi",
    "spearman",
    "spearman_lo",
    "spearman_hi",
    "alphas",
  ];
  const rows = r.targets.flatMap((t) =>
    t.sets.map((s) =>
      [
        t.target,
        s.name,
        s.features,
        s.metrics.r2,
        ...s.ci95.r2,
        s.metrics.pearson,
        ...s.ci95.pearson,
        s.metrics.spearman,
        ...s.ci95.spearman,
        s.alphas.map((a) => a.toPrecision(3)).join(","),
      ]
        .map((v) => (typeof v === "number" ? Number(v.toFixed(5)) : v))
        .join("\t"),
    ),
  );
  return [head.join("\t"), ...rows].join("\n") + "\n";
}

/** Paired comparisons of feature sets, one row per (target, pair); a table of its own. */
export function renderReadoutComparisonsTsv(r: ReadoutReport): string {
  const cmpHead = ["target", "a", "b", "r2_diff", "r2_diff_lo", "r2_diff_hi", "wilcoxon_n", "wilcoxon_w_plus", "wilcoxon_p", "a_closer"];
  const cmp = r.targets.flatMap((t) =>
    t.comparisons.map((c) =>
      [
        t.target,
        c.a,
        c.b,
        Number(c.r2Difference.toFixed(5)),
        ...c.r2DifferenceCi95.map((v) => Number(v.toFixed(5))),
        c.wilcoxon.n,
        c.wilcoxon.wPlus,
        c.wilcoxon.p.toExponential(3),
        c.aCloser,
      ].join("\t"),
    ),
  );
  return [cmpHead.join("\t"), ...cmp].join("\n") + "\n";
}

/** Out-of-fold predictions per record: id, fold, then per target the measurement and each set's prediction. */
export function renderPredictionsTsv(r: ReadoutReport): string {
  const c = PREDICTION_COLUMNS;
  const head = [c.id, c.fold, ...r.targets.flatMap((t) => [t.target, ...t.sets.map((s) => c.prediction(t.target, s.name))])];
  const rows = r.ids.map((id, i) =>
    [id, r.foldOf[i], ...r.targets.flatMap((t) => [t.measured[i]!, ...t.sets.map((s) => t.predictions.get(s.name)![i]!)])]
      .map((v) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(7)) : v))
      .join("\t"),
  );
  return [head.join("\t"), ...rows].join("\n") + "\n";
}

/** The report as plain data (predictions live in the predictions TSV). */
export function readoutSummary(r: ReadoutReport) {
  return {
    title: r.title,
    createdAt: r.createdAt,
    records: r.records,
    folds: r.folds,
    foldKind: r.foldKind,
    seed: r.seed,
    bootstrapSamples: r.bootstrapSamples,
    alphaRange: r.alphaRange,
    notes: r.notes,
    targets: r.targets.map((t) => ({ target: t.target, sets: t.sets, comparisons: t.comparisons })),
  };
}

function targetSection(r: ReadoutReport, t: TargetReport): string {
  const best = Math.max(...t.sets.map((s) => s.metrics.r2));
  const rows = t.sets.map(
    (s) =>
      `<tr><td>${escapeXml(s.name)}</td><td>${s.features}</td><td${s.metrics.r2 === best && t.sets.length > 1 ? ' class="best"' : ""}>${f3(s.metrics.r2)}</td><td>${ci(s.ci95.r2)}</td>` +
      `<td>${f3(s.metrics.pearson)}</td><td>${ci(s.ci95.pearson)}</td><td>${f3(s.metrics.spearman)}</td><td>${ci(s.ci95.spearman)}</td>` +
      `<td>${s.foldR2.map(f3).join(" ")}</td></tr>`,
  );
  const cmp = t.comparisons.map(
    (c) =>
      `<tr><td>${escapeXml(c.a)} vs ${escapeXml(c.b)}</td><td>${f3(c.r2Difference)}</td><td>${ci(c.r2DifferenceCi95)}</td>` +
      `<td>${c.aCloser} / ${t.measured.length - c.aCloser}</td><td><span class="${c.wilcoxon.p < 0.01 ? "sig" : "ns"}">${pv(c.wilcoxon.p)}</span> (${c.wilcoxon.method})</td></tr>`,
  );
  const scatters = t.sets.map((s) =>
    scatterChart({
      title: s.name,
      subtitle: `r² ${f3(s.metrics.r2)} · Pearson ${f3(s.metrics.pearson)} · Spearman ${f3(s.metrics.spearman)}`,
      x: t.predictions.get(s.name)!,
      y: t.measured,
      xLabel: `predicted ${t.target} (out of fold)`,
      yLabel: `measured ${t.target}`,
      diagonal: true,
    }),
  );
  return `<h2>${escapeXml(t.target)}</h2>
<table><tr><th>features</th><th>n features</th><th>r²</th><th>95% CI</th><th>Pearson</th><th>95% CI</th><th>Spearman</th><th>95% CI</th><th>r² per fold</th></tr>${rows.join("")}</table>
${barChart({ title: `r² of ${t.target}, out of fold`, categories: ["r²"], series: t.sets.map((s) => ({ name: s.name, values: [s.metrics.r2] })), yLabel: "r²", width: 640, height: 280 })}
${
  cmp.length
    ? `<h3>Paired comparisons (same records, same folds)</h3>
<p class="hint">Δr² = r²(A) − r²(B) with a 95% bootstrap interval over records (${r.bootstrapSamples} resamples, seed ${r.seed}). The Wilcoxon signed-rank test compares the per-record squared residuals of A and B; “A closer” counts records A predicts better.</p>
<table><tr><th>A vs B</th><th>Δr²</th><th>95% CI</th><th>A closer / B closer</th><th>Wilcoxon p</th></tr>${cmp.join("")}</table>`
    : ""
}
<h3>Predicted vs measured</h3><div class="charts">${scatters.join("")}</div>`;
}

/** The report as HTML; `tables` names the TSV files written beside it (path, what it holds). */
export function renderReadoutHtml(r: ReadoutReport, tables: readonly (readonly [string, string])[] = []): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(r.title)}</title><style>${REPORT_CSS}</style></head><body>
<h1>${escapeXml(r.title)}</h1>
<p class="meta">${r.records.toLocaleString("en")} records · ${r.folds}-fold ${r.foldKind} (seed ${r.seed}) · generated ${escapeXml(r.createdAt)}</p>
${tablesLine(tables)}
<p class="lead">Each feature set predicts each measurement by ridge regression on standardised features. Every prediction is
<b>out of fold</b>: the model (scaling, penalty and weights) never saw the record. The penalty is chosen in each training set by
leave-one-out error over ${r.alphaRange[0]}…${r.alphaRange[1]}. <b>r²</b> = 1 − SSE/SST of the out-of-fold predictions (0 = no better than the mean);
Pearson and Spearman are correlations of prediction and measurement. Intervals: 95% bootstrap over records.</p>
${r.notes.length ? `<div class="notes"><b>Notes</b><ul>${r.notes.map((n) => `<li>${escapeXml(n)}</li>`).join("")}</ul></div>` : ""}
${r.targets.map((t) => targetSection(r, t)).join("\n")}
</body></html>
`;
}

/** PREFIX.tsv (summary), PREFIX.comparisons.tsv, PREFIX.json, PREFIX.html and PREFIX.predictions.tsv, each written atomically. */
export async function writeReadoutReport(r: ReadoutReport, prefix: string): Promise<ReadoutPaths> {
  const paths = readoutPaths(prefix);
  await writeFileAtomic(paths.json, JSON.stringify(readoutSummary(r), (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1) + "\n");
  await writeFileAtomic(paths.tsv, renderReadoutTsv(r));
  await writeFileAtomic(paths.comparisons, renderReadoutComparisonsTsv(r));
  await writeFileAtomic(
    paths.html,
    renderReadoutHtml(r, [
      [paths.tsv, "r² per feature set"],
      [paths.comparisons, "paired comparisons"],
      [paths.predictions, "out-of-fold predictions"],
    ]),
  );
  await writeFileAtomic(paths.predictions, renderPredictionsTsv(r));
  return paths;
}
