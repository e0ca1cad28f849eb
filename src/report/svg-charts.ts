/**
 * Minimal static SVG charts for the HTML report: grouped bars and line charts. Output is a string with
 * inline attributes only (no scripts, no external fonts), so the report opens offline from disk.
 */

/** Colour-blind-safe palette (Okabe-Ito, then Tableau-like extras). */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442", "#8C564B", "#7F7F7F"];

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3))));

/** "Nice" axis ticks covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  const first = Math.floor(lo / step + 1e-9),
    last = Math.ceil(hi / step - 1e-9);
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(10)));
  return ticks;
}

function yAxis(f: Frame, ticks: number[], y: (v: number) => number, label: string): string {
  const lines = ticks.map(
    (t) =>
      `<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(t)}" y2="${y(t)}" stroke="#e3e3e3"/>` +
      `<text x="${f.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11" fill="#444">${fmt(t)}</text>`,
  );
  const mid = (f.top + f.height - f.bottom) / 2;
  return lines.join("") + `<text transform="translate(14 ${mid}) rotate(-90)" text-anchor="middle" font-size="12" fill="#222">${escapeXml(label)}</text>`;
}

function legend(names: readonly string[], x: number, y: number): string {
  return names
    .map(
      (n, i) =>
        `<rect x="${x}" y="${y + i * 16}" width="11" height="11" fill="${PALETTE[i % PALETTE.length]}"/>` +
        `<text x="${x + 16}" y="${y + i * 16 + 10}" font-size="11" fill="#222">${escapeXml(n)}</text>`,
    )
    .join("");
}

/** A chart's size in pixels; each chart has its own default. */
export interface ChartSize {
  width?: number;
  height?: number;
}

/** Width of the series legend in a frame's right margin. */
const LEGEND_W = 200;

/** A 760 x 300 (default) frame with the series legend in its right margin. */
function legendFrame(size: ChartSize, top: number, bottom: number): Frame {
  return { width: size.width ?? 760, height: size.height ?? 300, left: 56, right: 16 + LEGEND_W, top, bottom };
}

/** The series' names as a legend in the right margin of a `legendFrame`. */
function seriesLegend(f: Frame, series: ReadonlyArray<{ name: string }>): string {
  return legend(
    series.map((s) => s.name),
    f.width - LEGEND_W + 4,
    f.top,
  );
}

export interface BarChartSpec extends ChartSize {
  title: string;
  categories: readonly string[];
  series: ReadonlyArray<{ name: string; values: readonly number[] }>;
  yLabel: string;
  /** Force the y range to start at 0 (default true). */
  fromZero?: boolean;
}

/** Grouped vertical bars: one group per category, one bar per series, values printed above bars. */
export function barChart(spec: BarChartSpec): string {
  const f = legendFrame(spec, 44, 56);
  const all = spec.series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = spec.fromZero === false ? Math.min(...all) : Math.min(0, ...all);
  const ticks = niceTicks(lo, Math.max(...all, lo + 1e-9));
  const [t0, t1] = [ticks[0]!, ticks[ticks.length - 1]!];
  const plotH = f.height - f.top - f.bottom;
  const y = (v: number) => f.top + plotH * (1 - (v - t0) / (t1 - t0));
  const groupW = (f.width - f.left - f.right) / Math.max(1, spec.categories.length);
  const barW = Math.min(36, (groupW * 0.8) / Math.max(1, spec.series.length));
  let bars = "";
  spec.categories.forEach((cat, ci) => {
    const gx = f.left + ci * groupW + (groupW - barW * spec.series.length) / 2;
    spec.series.forEach((s, si) => {
      const v = s.values[ci]!;
      if (!Number.isFinite(v)) return;
      const x = gx + si * barW;
      const top = Math.min(y(v), y(Math.max(t0, 0)));
      const h = Math.abs(y(v) - y(Math.max(t0, 0)));
      bars += `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeXml(`${s.name} · ${cat}: ${fmt(v)}`)}</title></rect>`;
      if (spec.series.length * spec.categories.length <= 16) {
        bars += `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(top - 3).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">${fmt(v)}</text>`;
      }
    });
    bars += `<text x="${(f.left + ci * groupW + groupW / 2).toFixed(1)}" y="${f.height - f.bottom + 16}" text-anchor="middle" font-size="11" fill="#222">${escapeXml(cat)}</text>`;
  });
  return svgFrame(f, spec.title, yAxis(f, ticks, y, spec.yLabel) + bars + seriesLegend(f, spec.series));
}

export interface LineChartSpec extends ChartSize {
  title: string;
  series: ReadonlyArray<{ name: string; x: readonly number[]; y: readonly number[] }>;
  xLabel: string;
  yLabel: string;
  /** Fixed axis ranges; default from the data. */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Dashed y = x reference line (reliability diagrams). */
  diagonal?: boolean;
  /** Draw a dot at each point (sparse series such as calibration bins). */
  dots?: boolean;
}

export function lineChart(spec: LineChartSpec): string {
  const f = legendFrame(spec, 30, 46);
  const xs = spec.series.flatMap((s) => s.x).filter(Number.isFinite);
  const ys = spec.series.flatMap((s) => s.y).filter(Number.isFinite);
  const xt = niceTicks(...(spec.xRange ?? [Math.min(...xs), Math.max(...xs)]), 6);
  const yt = niceTicks(...(spec.yRange ?? [Math.min(...ys), Math.max(...ys)]), 5);
  const { px, py, body: axes } = xyAxes(f, xt, yt, spec.xLabel, spec.yLabel, spec.diagonal);
  let body = axes;
  spec.series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length];
    const pts = s.x.map((x, i) => [x, s.y[i]!] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const d = pts.map(([x, y], i) => `${i === 0 ? "M" : "L"}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join("");
    body += `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"/>`;
    if (spec.dots) body += pts.map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"/>`).join("");
  });
  return svgFrame(f, spec.title, body + seriesLegend(f, spec.series));
}

/**
 * Numeric x and y axes over the tick ranges: value-to-pixel maps and the axis marks, labels and, with
 * `diagonal`, a dashed y = x line where the ranges overlap.
 */
function xyAxes(
  f: Frame,
  xt: number[],
  yt: number[],
  xLabel: string,
  yLabel: string,
  diagonal?: boolean,
): { px: (v: number) => number; py: (v: number) => number; body: string } {
  const [x0, x1, y0, y1] = [xt[0]!, xt[xt.length - 1]!, yt[0]!, yt[yt.length - 1]!];
  const W = f.width - f.left - f.right,
    H = f.height - f.top - f.bottom;
  const px = (v: number) => f.left + (W * (v - x0)) / (x1 - x0);
  const py = (v: number) => f.top + H * (1 - (v - y0) / (y1 - y0));
  let body = yAxis(f, yt, py, yLabel);
  body += xt.map((t) => `<text x="${px(t)}" y="${f.height - f.bottom + 15}" text-anchor="middle" font-size="11" fill="#444">${fmt(t)}</text>`).join("");
  body += `<text x="${f.left + W / 2}" y="${f.height - 8}" text-anchor="middle" font-size="12" fill="#222">${escapeXml(xLabel)}</text>`;
  if (diagonal) {
    const a = Math.max(x0, y0),
      b = Math.min(x1, y1);
    if (b > a) body += `<line x1="${px(a)}" y1="${py(a)}" x2="${px(b)}" y2="${py(b)}" stroke="#999" stroke-dasharray="4 4"/>`;
  }
  return { px, py, body };
}

function svgFrame(f: Frame, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" font-family="system-ui, sans-serif" role="img" aria-label="${escapeXml(title)}">` +
    `<text x="${f.left}" y="18" font-size="14" font-weight="600" fill="#111">${escapeXml(title)}</text>` +
    `<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#888"/>` +
    `<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="#888"/>` +
    body +
    `</svg>`
  );
}

export interface ScatterChartSpec extends ChartSize {
  title: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  xLabel: string;
  yLabel: string;
  /** Dashed y = x reference line (predicted vs measured). */
  diagonal?: boolean;
  /** A line of text under the title (e.g. "r2 = 0.58"). */
  subtitle?: string;
}

/** Points without a legend; translucent so dense clouds show their density. */
export function scatterChart(spec: ScatterChartSpec): string {
  const f: Frame = { width: spec.width ?? 420, height: spec.height ?? 400, left: 56, right: 16, top: 40, bottom: 46 };
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < spec.x.length; i++) if (Number.isFinite(spec.x[i]!) && Number.isFinite(spec.y[i]!)) pts.push([spec.x[i]!, spec.y[i]!]);
  const lo = (v: number[]) => v.reduce((a, b) => Math.min(a, b), Infinity);
  const hi = (v: number[]) => v.reduce((a, b) => Math.max(a, b), -Infinity);
  const xs = pts.map((p) => p[0]),
    ys = pts.map((p) => p[1]);
  const { px, py, body: axes } = xyAxes(f, niceTicks(lo(xs), hi(xs), 5), niceTicks(lo(ys), hi(ys), 5), spec.xLabel, spec.yLabel, spec.diagonal);
  let body = axes;
  if (spec.subtitle) body += `<text x="${f.left}" y="33" font-size="11" fill="#555">${escapeXml(spec.subtitle)}</text>`;
  const r = pts.length > 2000 ? 1.4 : 2.2;
  body += pts.map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="${r}" fill="${PALETTE[0]}" fill-opacity="0.35"/>`).join("");
  return svgFrame(f, spec.title, body);
}
