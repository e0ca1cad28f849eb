import { escapeXml } from "./svg-charts.js";

/**
 * A labelled heatmap as a static SVG string (inline attributes only, opens offline), for matrices such
 * as sequence species x told species. Cells shade white -> blue over [lo, hi]; NaN cells are grey.
 */
export interface HeatmapSpec {
  readonly title: string;
  readonly rowLabels: readonly string[];
  readonly colLabels: readonly string[];
  /** `[rows][cols]` values. */
  readonly values: readonly (readonly number[])[];
  readonly rowTitle: string;
  readonly colTitle: string;
  /** Colour range; default the finite min and max of the values. */
  readonly range?: readonly [number, number];
  /** Outline cells where row label equals column label (own species). */
  readonly markDiagonal?: boolean;
}

function shade(t: number): string {
  const c = (from: number, to: number) => Math.round(from + (to - from) * Math.min(1, Math.max(0, t)));
  return `rgb(${c(255, 8)},${c(255, 69)},${c(255, 148)})`;
}

export function heatmapSvg(spec: HeatmapSpec): string {
  const cell = 44;
  const labelW = 8 + 7 * Math.max(4, ...spec.rowLabels.map((l) => l.length));
  const labelH = 8 + 6 * Math.max(4, ...spec.colLabels.map((l) => l.length));
  const left = labelW + 24,
    top = 40 + labelH;
  const width = left + cell * spec.colLabels.length + 20,
    height = top + cell * spec.rowLabels.length + 30;
  const finite = spec.values.flat().filter(Number.isFinite);
  const [lo, hi] = spec.range ?? [Math.min(...finite), Math.max(...finite)];
  let body = "";
  spec.colLabels.forEach((c, j) => {
    const x = left + j * cell + cell / 2;
    body += `<text transform="translate(${x} ${top - 6}) rotate(-60)" font-size="11" fill="#222">${escapeXml(c)}</text>`;
  });
  spec.rowLabels.forEach((r, i) => {
    const y = top + i * cell;
    body += `<text x="${left - 6}" y="${y + cell / 2 + 4}" text-anchor="end" font-size="11" fill="#222">${escapeXml(r)}</text>`;
    spec.colLabels.forEach((c, j) => {
      const v = spec.values[i]?.[j] ?? NaN;
      const x = left + j * cell;
      const fill = Number.isFinite(v) ? shade(hi > lo ? (v - lo) / (hi - lo) : 0.5) : "#ddd";
      const own = spec.markDiagonal && r === c ? ` stroke="#D55E00" stroke-width="3"` : ` stroke="#fff"`;
      const dark = Number.isFinite(v) && hi > lo && (v - lo) / (hi - lo) > 0.6;
      body += `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}"${own}><title>${escapeXml(`${r} / ${c}: ${Number.isFinite(v) ? v.toFixed(4) : "n/a"}`)}</title></rect>`;
      body += `<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" font-size="10" fill="${dark ? "#fff" : "#222"}">${Number.isFinite(v) ? v.toFixed(3) : ""}</text>`;
    });
  });
  body += `<text x="${left}" y="${height - 8}" font-size="11" fill="#444">rows: ${escapeXml(spec.rowTitle)}; columns: ${escapeXml(spec.colTitle)}; colour ${lo.toFixed(3)} to ${hi.toFixed(3)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" role="img" aria-label="${escapeXml(spec.title)}">` +
    `<text x="10" y="20" font-size="14" font-weight="600" fill="#111">${escapeXml(spec.title)}</text>${body}</svg>`
  );
}
