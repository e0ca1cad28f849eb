import { escapeXml } from "./svg-charts.js";

/** Letter outlines in a 100 x 100 box (drawn as paths, so logos need no fonts). */
export const GLYPHS = [
  { letter: "A", colour: "#109648", path: "M0 100 L38 0 H62 L100 100 H79 L70 74 H30 L21 100 Z M36 56 H64 L50 17 Z" },
  { letter: "C", colour: "#255C99", path: "M94 28 A47 50 0 1 0 94 72 L77 63 A29 32 0 1 1 77 37 Z" },
  { letter: "G", colour: "#F7B32B", path: "M94 28 A47 50 0 1 0 96 62 V47 H55 V62 H77 A29 32 0 1 1 77 37 Z" },
  { letter: "T", colour: "#D62839", path: "M0 0 H100 V18 H59 V100 H41 V18 H0 Z" },
] as const;

/** Small-sample correction of information content (Schneider et al. 1986) for n sites: (4 - 1) / (2 ln 2 n). */
export function smallSampleCorrection(n: number): number {
  return n > 0 ? 3 / (2 * Math.LN2 * n) : 0;
}

/** `[width, 4]` letter heights in bits: p x max(0, 2 - H - e(n)). */
export function informationHeights(ppm: Float64Array, width: number, nsites: number): Float64Array {
  const e = smallSampleCorrection(nsites);
  const out = new Float64Array(width * 4);
  for (let j = 0; j < width; j++) {
    let h = 0;
    for (let c = 0; c < 4; c++) {
      const p = ppm[j * 4 + c]!;
      if (p > 0) h -= p * Math.log2(p);
    }
    const ic = Math.max(0, 2 - h - e);
    for (let c = 0; c < 4; c++) out[j * 4 + c] = ppm[j * 4 + c]! * ic;
  }
  return out;
}

export interface LogoSpec {
  /** `[width, 4]` signed letter heights (A,C,G,T); negative heights stack below the axis. */
  heights: Float64Array;
  width: number;
  yLabel: string;
  /** Axis range; default [min(0, lowest stack), max(highest stack)]. */
  yMax?: number;
  yMin?: number;
  title?: string;
  columnWidth?: number;
  height?: number;
}

/** A sequence logo as inline SVG: per column, letters stacked by height, the tallest furthest from the axis. */
export function logoSvg(spec: LogoSpec): string {
  const cw = spec.columnWidth ?? 22,
    plotH = spec.height ?? 90;
  const left = 34,
    top = spec.title ? 18 : 6,
    bottom = 16;
  let up = 0,
    down = 0;
  for (let j = 0; j < spec.width; j++) {
    let p = 0,
      n = 0;
    for (let c = 0; c < 4; c++) {
      const v = spec.heights[j * 4 + c]!;
      if (v > 0) p += v;
      else n -= v;
    }
    up = Math.max(up, p);
    down = Math.max(down, n);
  }
  const yMax = spec.yMax ?? Math.max(up, 1e-9),
    yMin = spec.yMin ?? -down;
  const scale = plotH / (yMax - yMin);
  const y0 = top + yMax * scale;
  const W = left + cw * spec.width + 6,
    H = top + plotH + bottom;
  let body = "";
  for (let j = 0; j < spec.width; j++) {
    const x = left + j * cw;
    const col = [0, 1, 2, 3].map((c) => ({ c, v: spec.heights[j * 4 + c]! }));
    let yUp = y0,
      yDown = y0;
    for (const { c, v } of col.filter((e) => e.v > 0).sort((a, b) => a.v - b.v)) {
      const h = v * scale;
      yUp -= h;
      if (h >= 0.3) body += glyph(c, x, yUp, cw, h);
    }
    for (const { c, v } of col.filter((e) => e.v < 0).sort((a, b) => b.v - a.v)) {
      const h = -v * scale;
      if (h >= 0.3) body += glyph(c, x, yDown, cw, h);
      yDown += h;
    }
    body += `<text x="${x + cw / 2}" y="${H - 4}" font-size="9" text-anchor="middle" fill="#666">${j + 1}</text>`;
  }
  const tick = (v: number) =>
    `<line x1="${left - 3}" x2="${left}" y1="${(y0 - v * scale).toFixed(1)}" y2="${(y0 - v * scale).toFixed(1)}" stroke="#444"/>` +
    `<text x="${left - 5}" y="${(y0 - v * scale + 3).toFixed(1)}" font-size="9" text-anchor="end" fill="#444">${Number(v.toPrecision(2))}</text>`;
  const axis =
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#444"/>` +
    `<line x1="${left}" x2="${W - 4}" y1="${y0.toFixed(1)}" y2="${y0.toFixed(1)}" stroke="#bbb"/>` +
    tick(yMax) +
    (yMin < 0 ? tick(yMin) : tick(0)) +
    `<text transform="translate(9 ${top + plotH / 2}) rotate(-90)" font-size="9" text-anchor="middle" fill="#222">${escapeXml(spec.yLabel)}</text>`;
  const title = spec.title ? `<text x="${left}" y="12" font-size="11" fill="#222">${escapeXml(spec.title)}</text>` : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">${title}${axis}${body}</svg>`;
}

/** Letter c (0..3 = A,C,G,T) stretched to the box (x, y, w, h); `opacity` < 1 fades it. */
export function glyph(c: number, x: number, y: number, w: number, h: number, opacity = 1): string {
  const g = GLYPHS[c]!;
  const fade = opacity < 1 ? ` fill-opacity="${opacity}"` : "";
  return `<path d="${g.path}" fill="${g.colour}"${fade} fill-rule="evenodd" transform="translate(${x.toFixed(2)} ${y.toFixed(2)}) scale(${(w / 100).toFixed(4)} ${(h / 100).toFixed(4)})"><title>${g.letter}</title></path>`;
}
