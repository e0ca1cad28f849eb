import { basename } from "node:path";
import { REPORT_CSS } from "../report/report-html.js";
import { escapeXml } from "../report/svg-charts.js";
import type { DiscoveredMotif, MotifDiscovery } from "./discover-motifs.js";
import { informationHeights, logoSvg } from "../report/logo-svg.js";

export interface MotifReportMeta {
  readonly title: string;
  readonly input: string;
  readonly score: string;
  readonly databases: readonly string[];
  readonly createdAt: string;
}

/** Self-contained HTML (inline CSS and SVG) in the style of the evaluation report. */
export function renderMotifReportHtml(d: MotifDiscovery, meta: MotifReportMeta): string {
  const sequences = d.groups.reduce((s, g) => s + g.track.ids.length, 0);
  const seqlets = d.groups.reduce((s, g) => s + g.seqlets.seq.length, 0);
  const species = new Set(d.groups.flatMap((g) => g.track.species.filter((x): x is string => x !== null)));
  const byGroup = d.groups.some((g) => g.group !== null);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(meta.title)}</title>
<style>${REPORT_CSS}.logo{white-space:nowrap}td.left{text-align:left}</style></head><body>
<h1>${escapeXml(meta.title)}</h1>
<p class="meta">${escapeXml(meta.input)} · ${sequences.toLocaleString("en")} sequences · ${species.size} species · score ${escapeXml(meta.score)} ·
${seqlets.toLocaleString("en")} seqlets · ${d.motifs.length} patterns${meta.databases.length ? ` · matched against ${escapeXml(meta.databases.map((p) => basename(p)).join(", "))} (${d.database} motifs)` : ""} · generated ${escapeXml(meta.createdAt)}</p>
<p class="lead">The model's reconstruction scores every nucleotide: high where the model expects the actual base from its
context. <b>Seqlets</b> are windows whose summed score is higher than in the same scores shuffled along each sequence
(the null), at the stated false discovery rate. Seqlets that align to each other (on either strand, at any offset) form a
<b>pattern</b>. The first logo shows the bases of the pattern's seqlets as information content in bits (corrected for the
number of seqlets); the second its <b>contribution</b>: the mean score of each base at each column, what the model actually
relies on. <b>Matches</b> compare each pattern to known motifs (Tomtom's method: p-value of the best alignment against
the database's own column scores, corrected for the offsets tried; E = p x database size; q = Benjamini-Hochberg).</p>
${seqletSection(d)}
${patternSection(d)}
${byGroup ? variantSection(d) : speciesSection(d)}
</body></html>
`;
}

const gp = (v: number) => (v < 1e-300 ? "&lt;1e-300" : v.toExponential(1));

function seqletSection(d: MotifDiscovery): string {
  const rows = d.groups.map(
    (g) =>
      `<tr><td>${escapeXml(g.group ?? "all sequences")}</td><td>${g.track.ids.length}</td><td>${g.seqlets.windows.toLocaleString("en")}</td>` +
      `<td>${g.seqlets.threshold.toFixed(3)}</td><td>${g.seqlets.passing.toLocaleString("en")}</td><td>${g.seqlets.nullPassing.toFixed(0)}</td><td>${g.seqlets.seq.length}</td></tr>`,
  );
  return `<h2>Seqlets</h2>
<p class="hint">Windows of ${d.groups[0]?.seqlets.window ?? "?"} nt; a window passes when its summed score reaches the threshold, set so that the windows of the null passing it are at most the FDR's share of the passing windows. Overlapping passing windows give one seqlet (the best).</p>
<table><tr><th>run</th><th>sequences</th><th>windows</th><th>threshold</th><th>passing</th><th>null passing</th><th>seqlets</th></tr>${rows.join("")}</table>`;
}

function positionSpark(m: DiscoveredMotif): string {
  const h = m.support.positionHistogram,
    max = Math.max(1, ...h);
  const bw = 3,
    H = 28;
  const bars = h
    .map((v, i) => `<rect x="${i * bw}" y="${(H - (v / max) * H).toFixed(1)}" width="${bw - 0.5}" height="${((v / max) * H).toFixed(1)}" fill="#0072B2"/>`)
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${h.length * bw}" height="${H + 10}"><title>member centres along the region, bins of ${m.support.binWidth} nt</title>${bars}` +
    `<text x="0" y="${H + 9}" font-size="8" fill="#666">0</text><text x="${h.length * bw}" y="${H + 9}" font-size="8" text-anchor="end" fill="#666">${h.length * m.support.binWidth}</text></svg>`
  );
}

function patternSection(d: MotifDiscovery): string {
  if (d.motifs.length === 0) return `<h2>Patterns</h2><p class="hint">No pattern gathered enough seqlets.</p>`;
  const rows = d.motifs.map((m) => {
    const p = m.pattern;
    const ic = logoSvg({ heights: informationHeights(p.ppm, p.width, m.motif.nsites), width: p.width, yLabel: "bits", yMax: 2 });
    const cwm = logoSvg({ heights: p.cwm, width: p.width, yLabel: "score" });
    const matches = m.matches
      .slice(0, 3)
      .map((x) => `${escapeXml(x.target.name)} <span class="${x.qValue < 0.05 ? "sig" : "ns"}">(q ${gp(x.qValue)}, ${x.strand})</span>`)
      .join("<br>");
    return (
      `<tr><td>${escapeXml(m.motif.id)}<br><b>${escapeXml(m.consensus)}</b></td><td class="logo">${ic}</td><td class="logo">${cwm}</td>` +
      `<td>${m.support.seqlets}</td><td>${m.support.sequences}</td><td>${positionSpark(m)}<br>median ${m.support.medianPosition.toFixed(0)}</td><td class="left">${matches || "–"}</td></tr>`
    );
  });
  return `<h2>Patterns</h2>
<p class="hint">Sorted by the number of seqlets per run. Positions: where the pattern's members sit along the region (0 = first nucleotide).${d.database ? " Matches: the three best database motifs; green q &lt; 0.05." : ""}</p>
<table><tr><th>pattern</th><th>bases (bits)</th><th>contribution</th><th>seqlets</th><th>sequences</th><th>positions</th><th>best matches</th></tr>${rows.join("")}</table>`;
}

/** Pooled discovery: fraction of each species' sequences holding each pattern. */
function speciesSection(d: MotifDiscovery): string {
  const species = d.motifs[0]?.support.perSpecies.map((s) => s.species) ?? [];
  if (species.length < 2) return "";
  const head = d.motifs.map((m) => `<th>${escapeXml(m.consensus)}</th>`).join("");
  const rows = species.map(
    (sp) =>
      `<tr><td>${escapeXml(sp)}</td>${d.motifs
        .map((m) => {
          const s = m.support.perSpecies.find((x) => x.species === sp);
          return `<td>${s?.total ? (s.sequences / s.total).toFixed(2) : "–"}</td>`;
        })
        .join("")}</tr>`,
  );
  return `<h2>Per species</h2><p class="hint">Fraction of each species' sequences with at least one member of the pattern.</p>
<table><tr><th>species</th>${head}</tr>${rows.join("")}</table>`;
}

/**
 * By-species discovery: one row per motif family (the best match, or patterns that align), one column
 * per species, each cell the consensus found there: a variant that changes between clades shows as a
 * row whose cells differ.
 */
function variantSection(d: MotifDiscovery): string {
  const species = d.groups.map((g) => g.group ?? "all");
  const families = [...new Set(d.motifs.map((m) => m.family))];
  const rows = families.map((f) => {
    const cells = species.map((sp) => {
      const ms = d.motifs.filter((m) => m.family === f && (m.group ?? "all") === sp);
      return `<td>${ms.map((m) => `<span title="${m.support.seqlets} seqlets${m.matches[0] ? `, q ${gp(m.matches[0].qValue)}` : ""}">${escapeXml(m.consensus)}</span>`).join("<br>") || "–"}</td>`;
    });
    return `<tr><td>${escapeXml(f)}</td>${cells.join("")}</tr>`;
  });
  return `<h2>Variants per species</h2><p class="hint">Patterns discovered in each species' sequences alone, grouped by family (the best database match with q &lt; 0.05, else patterns whose contributions align): a row whose consensus differs between species is a motif variant; – = not found in that species.</p>
<table><tr><th>family</th>${species.map((sp) => `<th>${escapeXml(sp)}</th>`).join("")}</tr>${rows.join("")}</table>`;
}
