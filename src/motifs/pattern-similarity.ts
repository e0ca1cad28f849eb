import { reverseComplement } from "./pattern-alignment.js";

export interface CwmAlignment {
  readonly similarity: number;
  /** Column of `a` that column 0 of `b` (as oriented) sits on; may be negative. */
  readonly offset: number;
  readonly reverse: boolean;
}

/**
 * Continuous Jaccard similarity of two `[w, 4]` contribution matrices at their best offset (and strand),
 * each L1-normalised. Columns of either matrix outside the overlap count in the denominator, so a
 * pattern is only similar to another that explains its contribution, not to one sharing two columns.
 * Offsets leave at least three quarters of the shorter matrix overlapping.
 */
export function cwmSimilarity(a: Float64Array, wa: number, b: Float64Array, wb: number, bothStrands: boolean): CwmAlignment {
  const na = l1(a),
    nb = l1(b),
    nbr = reverseComplement(nb, wb);
  const minOverlap = Math.max(1, Math.ceil(0.75 * Math.min(wa, wb)));
  let best: CwmAlignment = { similarity: -Infinity, offset: 0, reverse: false };
  for (const [m, reverse] of bothStrands
    ? ([
        [nb, false],
        [nbr, true],
      ] as const)
    : ([[nb, false]] as const)) {
    for (let d = minOverlap - wb; d <= wa - minOverlap; d++) {
      let num = 0,
        den = 0;
      for (let j = Math.min(0, d); j < Math.max(wa, d + wb); j++) {
        const jb = j - d;
        for (let c = 0; c < 4; c++) {
          const x = j >= 0 && j < wa ? na[j * 4 + c]! : 0;
          const y = jb >= 0 && jb < wb ? m[jb * 4 + c]! : 0;
          const ax = Math.abs(x),
            ay = Math.abs(y);
          num += x >= 0 === y >= 0 ? Math.min(ax, ay) : -Math.min(ax, ay);
          den += Math.max(ax, ay);
        }
      }
      const s = den > 0 ? num / den : 0;
      if (s > best.similarity) best = { similarity: s, offset: d, reverse };
    }
  }
  return best;
}

function l1(m: Float64Array): Float64Array {
  let t = 0;
  for (const v of m) t += Math.abs(v);
  return m.map((v) => (t > 0 ? v / t : 0));
}
