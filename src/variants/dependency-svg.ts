import { escapeXml } from "../report/svg-charts.js";

const LEVELS = 12;

function shade(level: number): string {
  const t = level / (LEVELS - 1);
  const c = (from: number, to: number) => Math.round(from + (to - from) * t);
  return `rgb(${c(255, 120)},${c(245, 0)},${c(235, 20)})`;
}

/**
 * The L x L dependency map as a static SVG heatmap: row i = mutated position, column j = position
 * whose prediction changes, white -> dark red over [0, the 99.5th percentile] (the diagonal is 0).
 * Values are binned into 12 shades and each row drawn as runs of equal shade, so the file
 * stays small (maps over 160 nt are drawn in blocks, each the max of its positions); the sequence is
 * written along the bottom when it is short enough to read.
 */
export function dependencyHeatmapSvg(map: Float32Array, sequence: string, title: string): string {
  const L = sequence.length;
  // Maps over 160 nt are drawn in blocks of b x b positions (the block's max), to keep the file small.
  const block = Math.ceil(L / 160);
  const n = Math.ceil(L / block);
  const cell = Math.max(1, Math.min(8, Math.floor(720 / L))) * block;
  const left = 54,
    top = 40,
    size = cell * n;
  const sorted = Float32Array.from(map).sort();
  const hi = sorted[Math.min(sorted.length - 1, Math.floor(0.995 * sorted.length))]! || 1;
  const levels = new Uint8Array(n * n);
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < L; j++) {
      const at = Math.floor(i / block) * n + Math.floor(j / block);
      levels[at] = Math.max(levels[at]!, Math.min(LEVELS - 1, Math.floor((map[i * L + j]! / hi) * (LEVELS - 1))));
    }
  }
  let rects = "";
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; ) {
      const level = levels[i * n + j]!;
      let end = j + 1;
      while (end < n && levels[i * n + end] === level) end++;
      if (level > 0) rects += `<rect x="${left + j * cell}" y="${top + i * cell}" width="${(end - j) * cell}" height="${cell}" fill="${shade(level)}"/>`;
      j = end;
    }
  }
  const tickStep = L <= 60 ? 10 : L <= 300 ? 50 : 100;
  let axes = "";
  for (let t = 0; t < L; t += tickStep) {
    axes += `<text x="${left + (t / block) * cell}" y="${top - 6}" font-size="10" fill="#444">${t}</text>`;
    axes += `<text x="${left - 6}" y="${top + (t / block) * cell + 8}" font-size="10" text-anchor="end" fill="#444">${t}</text>`;
  }
  if (block === 1 && cell >= 7) {
    for (let j = 0; j < L; j++) {
      axes += `<text x="${left + j * cell + cell / 2}" y="${top + size + 9}" font-size="7" text-anchor="middle" fill="#222">${sequence[j]}</text>`;
    }
  }
  const legend = Array.from(
    { length: LEVELS },
    (_, l) => `<rect x="${left + l * 16}" y="${top + size + 22}" width="16" height="10" fill="${shade(l)}" stroke="#ccc" stroke-width="0.5"/>`,
  ).join("");
  const width = left + size + 20,
    height = top + size + 56;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" role="img" aria-label="${escapeXml(title)}">` +
    `<text x="${left}" y="16" font-size="13" font-weight="600" fill="#111">${escapeXml(title)}</text>` +
    `<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="#fff" stroke="#888"/>${rects}${axes}${legend}` +
    `<text x="${left + LEVELS * 16 + 8}" y="${top + size + 31}" font-size="10" fill="#444">max |log-odds change| 0 to ${hi.toPrecision(3)}; row: mutated position, column: affected position</text></svg>`
  );
}
