import type { EvaluationReport, ModelReport } from "./report-types.js";
import { barChart, escapeXml, lineChart } from "./svg-charts.js";

/**
 * A self-contained HTML page for an EvaluationReport: inline CSS and SVG only (no scripts, no external
 * resources), readable without knowing the code: each section says what its numbers mean.
 */
/** The report as HTML; `tables` names the TSV files written beside it (path, what it holds). */
export function renderReportHtml(report: EvaluationReport, tables: readonly (readonly [string, string])[] = []): string {
  const sections = [
    summarySection(report),
    speciesSection(report),
    positionSection(report),
    calibrationSection(report),
    familySection(report),
    significanceSection(report),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(report.title)}</title>
<style>${REPORT_CSS}</style></head><body>
<h1>${escapeXml(report.title)}</h1>
<p class="meta">${report.records.toLocaleString("en")} records · ${report.nucleotides.toLocaleString("en")} scored nucleotides ·
${report.species.length} species · motif sites: ${escapeXml(report.motifSource)} · generated ${escapeXml(report.createdAt)}</p>
${tablesLine(tables)}
<p class="lead">Each model predicts every nucleotide from its context (the nucleotide itself hidden).
<b>Accuracy</b>: fraction of nucleotides whose most probable base is the true one (chance 0.25).
<b>Cross-entropy</b> (CE): mean −ln P(true base) in nats; lower is better (uniform guessing: ln 4 = 1.386).
“Species average” weighs each species equally.</p>
${report.notes.length ? `<div class="notes"><b>Notes</b><ul>${report.notes.map((n) => `<li>${escapeXml(n)}</li>`).join("")}</ul></div>` : ""}
${sections.join("\n")}
</body></html>
`;
}

/** A line naming the TSV tables written beside a report (base names: they sit in the same folder). */
export function tablesLine(tables: readonly (readonly [string, string])[]): string {
  if (tables.length === 0) return "";
  return `<p class="meta">Tables: ${tables.map(([p, what]) => `<code>${escapeXml(p.split(/[\\/]/).pop()!)}</code> (${escapeXml(what)})`).join(", ")}</p>`;
}

/** The report style every HTML report shares. */
export const REPORT_CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:24px auto;padding:0 20px;color:#1a1a1a;line-height:1.45}
h1{font-size:24px;margin-bottom:4px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#666;font-size:13px;margin-top:0}.lead{font-size:14px}.hint{font-size:13px;color:#555}
table{border-collapse:collapse;font-size:13px;margin:8px 0 16px}th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:right}
th{background:#f6f6f6;font-weight:600}td:first-child,th:first-child{text-align:left}
td.best{font-weight:700;background:#eaf4ea}.notes{background:#fff8e5;border:1px solid #f0dca0;padding:8px 14px;font-size:13px}
.charts{display:flex;flex-wrap:wrap;gap:12px}svg{max-width:100%;height:auto}.sig{color:#0a6}.ns{color:#999}`;

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "–");
const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : "–");

/** Table cells for one column of values, marking the best (max or min) in bold. */
function cells(values: number[], better: "max" | "min", format: (v: number) => string): string[] {
  const finite = values.filter(Number.isFinite);
  const best = finite.length ? (better === "max" ? Math.max(...finite) : Math.min(...finite)) : NaN;
  return values.map((v) => `<td${v === best && values.length > 1 ? ' class="best"' : ""}>${format(v)}</td>`);
}

function summarySection(r: EvaluationReport): string {
  const m = r.models;
  const cols: Array<[string, (x: ModelReport) => number, "max" | "min", (v: number) => string]> = [
    ["accuracy (species avg)", (x) => x.speciesAverage.accuracy, "max", f3],
    ["CE (species avg)", (x) => x.speciesAverage.crossEntropy, "min", f4],
    ["background CE", (x) => x.speciesAverage.backgroundCrossEntropy, "min", f4],
    ["motif accuracy", (x) => x.speciesAverage.motifAccuracy, "max", f3],
    ["edge accuracy", (x) => x.edges.edge.accuracy, "max", f3],
    ["interior accuracy", (x) => x.edges.interior.accuracy, "max", f3],
    ["accuracy (pooled)", (x) => x.pooled.accuracy, "max", f3],
    ["CE (pooled)", (x) => x.pooled.crossEntropy, "min", f4],
    ["ECE", (x) => x.calibration.ece, "min", f4],
  ];
  const columns = cols.map(([, get, better, fmt]) => cells(m.map(get), better, fmt));
  const rows = m.map((x, i) => `<tr><td>${escapeXml(x.name)}</td>${columns.map((c) => c[i]).join("")}</tr>`);
  const bars = (title: string, label: string, get: (x: ModelReport) => number) =>
    barChart({
      title,
      categories: ["species average"],
      series: m.map((x) => ({ name: x.name, values: [get(x)] })),
      yLabel: label,
      width: 540,
      height: 280,
    });
  return `<h2>Summary</h2>
<table><tr><th>model</th>${cols.map(([h]) => `<th>${h}</th>`).join("")}</tr>${rows.join("")}</table>
<p class="hint">Background = positions outside motif sites; motif = inside sites. Edge = the first and last 6 nucleotides of each record, interior = the rest (pooled over species). ECE = expected calibration error (see below). Best value per column in bold.</p>
<div class="charts">${bars("Accuracy, species average", "accuracy", (x) => x.speciesAverage.accuracy)}${bars("Cross-entropy, species average (lower is better)", "nats / nucleotide", (x) => x.speciesAverage.crossEntropy)}</div>`;
}

function speciesSection(r: EvaluationReport): string {
  const table = (title: string, get: (x: ModelReport, sp: string) => number, better: "max" | "min", fmt: (v: number) => string) => {
    const perRow = r.species.map((sp) =>
      cells(
        r.models.map((x) => get(x, sp)),
        better,
        fmt,
      ),
    );
    return (
      `<h3>${title}</h3><table><tr><th>species</th>${r.models.map((x) => `<th>${escapeXml(x.name)}</th>`).join("")}</tr>` +
      r.species.map((sp, i) => `<tr><td>${escapeXml(sp)}</td>${perRow[i]!.join("")}</tr>`).join("") +
      `</table>`
    );
  };
  const pick = (x: ModelReport, sp: string) => x.perSpecies.find((s) => s.species === sp);
  return `<h2>Per species</h2>
${table("Accuracy", (x, sp) => pick(x, sp)?.all.accuracy ?? NaN, "max", f3)}
${table("Cross-entropy (nats)", (x, sp) => pick(x, sp)?.all.crossEntropy ?? NaN, "min", f4)}`;
}

/** Centred moving average over `w` positions, so per-position noise does not hide trends. */
function smooth(y: readonly number[], w: number): number[] {
  const h = Math.floor(w / 2);
  return y.map((_, i) => {
    let s = 0,
      n = 0;
    for (let j = Math.max(0, i - h); j <= Math.min(y.length - 1, i + h); j++) {
      if (Number.isFinite(y[j]!)) {
        s += y[j]!;
        n++;
      }
    }
    return n ? s / n : NaN;
  });
}

function positionSection(r: EvaluationReport): string {
  const w = 5;
  const series = (get: (x: ModelReport) => number[]) => r.models.map((x) => ({ name: x.name, x: get(x).map((_, i) => i), y: smooth(get(x), w) }));
  return `<h2>Along the region</h2>
<p class="hint">Metric at each position (0 = first nucleotide of the region), all species together, smoothed over ${w} positions. Dips often mark where motifs sit.</p>
<div class="charts">${lineChart({ title: "Accuracy by position", series: series((x) => x.perPosition.accuracy), xLabel: "position in region (nt)", yLabel: "accuracy", width: 1000 })}
${lineChart({ title: "Cross-entropy by position", series: series((x) => x.perPosition.crossEntropy), xLabel: "position in region (nt)", yLabel: "nats / nucleotide", width: 1000 })}</div>`;
}

function calibrationSection(r: EvaluationReport): string {
  const series = r.models.map((x) => {
    const bins = x.calibration.bins.filter((b) => b.n > 0);
    return { name: `${x.name} (ECE ${f3(x.calibration.ece)})`, x: bins.map((b) => b.meanConfidence), y: bins.map((b) => b.accuracy) };
  });
  return `<h2>Calibration</h2>
<p class="hint">Nucleotides binned by the probability the model gives its top base; each point is the observed accuracy in a bin. A calibrated model lies on the dashed diagonal. ECE = bin-size-weighted mean |accuracy − confidence|.</p>
${lineChart({ title: "Reliability curve", series, xLabel: "predicted probability of the top base", yLabel: "observed accuracy", xRange: [0.2, 1], yRange: [0, 1], diagonal: true, dots: true, width: 760, height: 420 })}`;
}

function familySection(r: EvaluationReport): string {
  const families = [...new Set(r.models.flatMap((x) => x.perFamily.map((f) => f.family)))].sort();
  if (families.length === 0) return `<h2>Motifs</h2><p class="hint">No motif sites were given, so there are no per-motif metrics.</p>`;
  const value = (x: ModelReport, fam: string, get: (m: { accuracy: number; crossEntropy: number }) => number) => {
    const f = x.perFamily.find((p) => p.family === fam);
    return f ? get(f.all) : NaN;
  };
  const nSites = (fam: string) => r.models[0]?.perFamily.find((p) => p.family === fam)?.all.n ?? 0;
  const rows = families.map((fam) => {
    const acc = cells(
      r.models.map((x) => value(x, fam, (m) => m.accuracy)),
      "max",
      f3,
    );
    return `<tr><td>${escapeXml(fam)}</td><td>${nSites(fam).toLocaleString("en")}</td>${acc.join("")}</tr>`;
  });
  return `<h2>Motifs</h2>
<p class="hint">Accuracy on nucleotides inside motif instances (${escapeXml(r.motifSource)}), all species together. A model that has learned a motif reconstructs its bases far above the background rate.</p>
${barChart({ title: "Accuracy inside motif instances, per family", categories: families, series: r.models.map((x) => ({ name: x.name, values: families.map((f) => value(x, f, (m) => m.accuracy)) })), yLabel: "accuracy", width: 1000 })}
<table><tr><th>family</th><th>nucleotides</th>${r.models.map((x) => `<th>${escapeXml(x.name)}</th>`).join("")}</tr>${rows.join("")}</table>`;
}

function significanceSection(r: EvaluationReport): string {
  if (r.comparisons.length === 0) return "";
  const p = (v: number) => `<span class="${v < 0.01 ? "sig" : "ns"}">${v < 1e-300 ? "&lt;1e-300" : v.toExponential(1)}</span>`;
  const rows = r.comparisons.map(
    (c) =>
      `<tr><td>${escapeXml(c.a)} vs ${escapeXml(c.b)}</td><td>${c.onlyA.toLocaleString("en")}</td><td>${c.onlyB.toLocaleString("en")}</td>` +
      `<td>${p(c.mcnemarP)} (${c.mcnemarMethod})</td><td>${f4(c.ceDifference)}</td><td>[${f4(c.ceDifferenceCi95[0])}, ${f4(c.ceDifferenceCi95[1])}]</td><td>${p(c.bootstrapP)}</td></tr>`,
  );
  return `<h2>Are the differences real?</h2>
<p class="hint">Paired on the same nucleotides. “only A right / only B right”: nucleotides exactly one model gets right; McNemar's sign test asks whether they split 50:50.
ΔCE = CE(A) − CE(B) per nucleotide (negative: A better), with a 95% bootstrap interval resampling whole records (${r.comparisons[0]!.bootstrapSamples} resamples, seed ${r.comparisons[0]!.seed}); the bootstrap p-value cannot go below 1/(resamples+1).</p>
<table><tr><th>A vs B</th><th>only A right</th><th>only B right</th><th>McNemar p</th><th>ΔCE (nats)</th><th>95% CI</th><th>bootstrap p</th></tr>${rows.join("")}</table>`;
}
