import { glyph, GLYPHS, informationHeights } from "./logo-svg.js";
import { escapeXml, niceTicks } from "./svg-charts.js";

/**
 * The reconstruction figure of the browser app (and anything else that wants it as a file): a sequence
 * logo of P(A,C,G,T) per position with the reference letter opaque and the others faded, the reference
 * row, a track of P(reference base), and with a second species the difference of that track. Plain SVG
 * with inline attributes; the letters are the motif logos' outlines (logo-svg.ts), so the file
 * looks the same everywhere.
 */

export type Base = "A" | "C" | "G" | "T";
const BASES: readonly Base[] = ["A", "C", "G", "T"];

/** The nucleotide colours of the logos (logo-svg.ts). */
export const BASE_COLORS: Readonly<Record<Base, string>> = Object.fromEntries(GLYPHS.map((g) => [g.letter, g.colour])) as Record<Base, string>;

export type LetterHeight = "probability" | "information";

export interface SequenceLogoSpec {
  readonly title: string;
  readonly sequence: string;
  /** [L*4] P(A,C,G,T) at each position with that position hidden. */
  readonly probs: Float32Array;
  /** Who `probs` belongs to (the species), shown in the legend. */
  readonly label: string;
  /** A second reading (another species): adds the track of P_compare(ref) - P(ref). */
  readonly compare?: { readonly label: string; readonly probs: Float32Array };
  readonly letterHeight?: LetterHeight;
  /** Pixels per nucleotide (default 14). */
  readonly columnWidth?: number;
  /** 0-based position drawn selected. */
  readonly selected?: number;
}

export interface SequenceLogoFigure {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  /** Width of the left margin that holds the axes (the app keeps it in view while the figure scrolls). */
  readonly gutter: number;
}

const GUTTER = 76;
const FONT = `font-family="Helvetica, Arial, sans-serif"`;
const fmt = (v: number): string => String(Number(v.toPrecision(3)));

/** Column heights of one position: probabilities, or probabilities times information content (bits). */
export function letterHeights(p: ArrayLike<number>, mode: LetterHeight): number[] {
  const h = [p[0]!, p[1]!, p[2]!, p[3]!];
  // A model's probabilities, not counts of sites: no small-sample correction (n = 0).
  return mode === "probability" ? h : [...informationHeights(Float64Array.from(h), 1, 0)];
}

/** Index of a reference letter in A,C,G,T, or -1 (N and other ambiguity codes). */
export function baseIndex(ch: string | undefined): number {
  return ch === undefined ? -1 : BASES.indexOf(ch.toUpperCase() as Base);
}

interface Panel {
  readonly top: number;
  readonly height: number;
}

function axis(panel: Panel, width: number, ticks: readonly number[], y: (v: number) => number, label: string): string {
  const lines = ticks.map(
    (t) =>
      `<line x1="${GUTTER - 4}" x2="${GUTTER}" y1="${y(t)}" y2="${y(t)}" stroke="#555"/>` +
      `<line x1="${GUTTER}" x2="${width}" y1="${y(t)}" y2="${y(t)}" stroke="#eeeeee"/>` +
      `<text x="${GUTTER - 7}" y="${y(t) + 3.5}" text-anchor="end" font-size="10" fill="#444" ${FONT}>${fmt(t)}</text>`,
  );
  const mid = panel.top + panel.height / 2;
  return (
    lines.join("") +
    `<line x1="${GUTTER}" x2="${GUTTER}" y1="${panel.top}" y2="${panel.top + panel.height}" stroke="#555"/>` +
    `<text transform="translate(16 ${mid}) rotate(-90)" text-anchor="middle" font-size="11" fill="#222" ${FONT}>${escapeXml(label)}</text>`
  );
}

/** The whole figure as one SVG string; columns carry `data-pos` so a page can make them clickable. */
export function sequenceLogoSvg(spec: SequenceLogoSpec): SequenceLogoFigure {
  const seq = spec.sequence;
  const L = seq.length;
  const col = spec.columnWidth ?? 14;
  const mode = spec.letterHeight ?? "probability";
  const width = GUTTER + L * col + 12;
  const x = (i: number) => GUTTER + i * col;
  const refP = (probs: Float32Array, i: number) => {
    const b = baseIndex(seq[i]);
    return b < 0 ? NaN : probs[i * 4 + b]!;
  };

  const logo: Panel = { top: 46, height: 150 };
  const refRow: Panel = { top: logo.top + logo.height + 4, height: 16 };
  const track: Panel = { top: refRow.top + refRow.height + 16, height: 64 };
  const diff: Panel | undefined = spec.compare ? { top: track.top + track.height + 16, height: 72 } : undefined;
  const last = diff ?? track;
  const axisY = last.top + last.height;
  const height = axisY + 40;
  const parts: string[] = [];

  // Selection behind everything else.
  if (spec.selected !== undefined && spec.selected >= 0 && spec.selected < L) {
    parts.push(`<rect x="${x(spec.selected)}" y="${logo.top - 4}" width="${col}" height="${axisY - logo.top + 4}" fill="#fff1b8" stroke="#d4a106"/>`);
  }

  // Sequence logo.
  const maxH = mode === "probability" ? 1 : 2;
  const ly = (v: number) => logo.top + logo.height * (1 - v / maxH);
  parts.push(
    axis(
      logo,
      width - 12,
      mode === "probability" ? [0, 0.25, 0.5, 0.75, 1] : [0, 0.5, 1, 1.5, 2],
      ly,
      mode === "probability" ? "probability" : "information (bits)",
    ),
  );
  for (let i = 0; i < L; i++) {
    const heights = letterHeights(spec.probs.subarray(i * 4, i * 4 + 4), mode);
    const ref = baseIndex(seq[i]);
    let base = logo.top + logo.height;
    for (const b of [0, 1, 2, 3].sort((a, c) => heights[a]! - heights[c]!)) {
      const h = (heights[b]! / maxH) * logo.height;
      base -= h;
      if (h < 0.4) continue;
      parts.push(glyph(b, x(i) + 0.6, base, col - 1.2, h, b === ref ? 1 : 0.35));
    }
  }

  // Reference row.
  parts.push(`<text x="${GUTTER - 7}" y="${refRow.top + 12}" text-anchor="end" font-size="10" fill="#444" ${FONT}>reference</text>`);
  for (let i = 0; i < L; i++) {
    const ch = seq[i]!;
    const color = BASE_COLORS[ch as Base] ?? "#777";
    parts.push(
      `<text x="${x(i) + col / 2}" y="${refRow.top + 12}" text-anchor="middle" font-size="${Math.min(12, col)}" font-weight="bold" fill="${color}" font-family="Menlo, Consolas, monospace">${escapeXml(ch)}</text>`,
    );
  }

  // P(reference base).
  const ty = (v: number) => track.top + track.height * (1 - v);
  parts.push(axis(track, width - 12, [0, 0.5, 1], ty, "P(ref)"));
  parts.push(`<line x1="${GUTTER}" x2="${width - 12}" y1="${ty(0.25)}" y2="${ty(0.25)}" stroke="#999" stroke-dasharray="3 3"/>`);
  for (let i = 0; i < L; i++) {
    const p = refP(spec.probs, i);
    if (!Number.isFinite(p)) continue;
    parts.push(
      `<rect x="${x(i) + 1}" y="${ty(p).toFixed(2)}" width="${col - 2}" height="${(track.height * p).toFixed(2)}" fill="${BASE_COLORS[seq[i] as Base]}" fill-opacity="0.8"/>`,
    );
  }

  // Species as a lens: P_B(ref) - P_A(ref).
  if (diff && spec.compare) {
    const deltas = Array.from({ length: L }, (_, i) => refP(spec.compare!.probs, i) - refP(spec.probs, i));
    const m = Math.max(0.05, ...deltas.filter(Number.isFinite).map(Math.abs));
    const ticks = niceTicks(-m, m, 4).filter((t) => Math.abs(t) <= m * 1.0001);
    const dy = (v: number) => diff.top + diff.height * (0.5 - v / (2 * m));
    parts.push(axis(diff, width - 12, ticks, dy, "Δ P(ref)"));
    parts.push(`<line x1="${GUTTER}" x2="${width - 12}" y1="${dy(0)}" y2="${dy(0)}" stroke="#555"/>`);
    deltas.forEach((d, i) => {
      if (!Number.isFinite(d) || d === 0) return;
      const y0 = Math.min(dy(0), dy(d));
      parts.push(
        `<rect x="${x(i) + 1}" y="${y0.toFixed(2)}" width="${col - 2}" height="${Math.abs(dy(d) - dy(0)).toFixed(2)}" fill="${d > 0 ? "#0072B2" : "#D55E00"}"/>`,
      );
    });
    parts.push(
      `<text x="${GUTTER + 4}" y="${diff.top - 4}" font-size="10" fill="#444" ${FONT}>` +
        `<tspan fill="#0072B2">▲ higher as ${escapeXml(spec.compare.label)}</tspan>  <tspan fill="#D55E00">▼ higher as ${escapeXml(spec.label)}</tspan></text>`,
    );
  }

  // Position axis: 1-based positions, a tick every 10.
  parts.push(`<line x1="${GUTTER}" x2="${x(L)}" y1="${axisY}" y2="${axisY}" stroke="#555"/>`);
  const step = col >= 10 ? 10 : col >= 5 ? 20 : 50;
  for (let pos = 1; pos <= L; pos = pos === 1 ? step : pos + step) {
    const cx = x(pos - 1) + col / 2;
    parts.push(
      `<line x1="${cx}" x2="${cx}" y1="${axisY}" y2="${axisY + 4}" stroke="#555"/><text x="${cx}" y="${axisY + 15}" text-anchor="middle" font-size="10" fill="#444" ${FONT}>${pos}</text>`,
    );
  }
  parts.push(`<text x="${GUTTER}" y="${axisY + 32}" font-size="11" fill="#222" ${FONT}>position (nt)</text>`);

  // Title, then the letter legend and what the figure shows.
  parts.push(`<text x="${GUTTER}" y="18" font-size="14" font-weight="bold" fill="#111" ${FONT}>${escapeXml(spec.title)}</text>`);
  BASES.forEach((_, i) => parts.push(glyph(i, GUTTER + i * 16, 25, 11, 12)));
  parts.push(
    `<text x="${GUTTER + 72}" y="35" font-size="11" fill="#444" ${FONT}>${escapeXml(spec.label)} · letter height = ` +
      `${mode === "probability" ? "P(base | context)" : "P × information (bits)"} · reference base opaque</text>`,
  );

  // Click targets on top.
  for (let i = 0; i < L; i++) {
    parts.push(
      `<rect data-pos="${i}" x="${x(i)}" y="${logo.top}" width="${col}" height="${axisY - logo.top}" fill="transparent"><title>${i + 1} ${escapeXml(seq[i]!)}</title></rect>`,
    );
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>${parts.join("")}</svg>`;
  return { svg, width, height, gutter: GUTTER };
}
