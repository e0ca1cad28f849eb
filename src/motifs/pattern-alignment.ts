import type { ScoreTrack } from "./contribution-scores.js";

/**
 * A contribution-weighted matrix prepared for continuous-Jaccard alignment against the track:
 * L1-normalised columns (A,C,G,T) in both orientations, and each column's absolute mass.
 */
export interface AlignableCwm {
  readonly width: number;
  /** `[2][width, 4]`: forward, then reverse complement. */
  readonly norm: readonly [Float64Array, Float64Array];
  readonly colAbs: readonly [Float64Array, Float64Array];
}

export function alignableCwm(cwm: Float64Array, width: number): AlignableCwm {
  let total = 0;
  for (const v of cwm) total += Math.abs(v);
  const fwd = new Float64Array(width * 4);
  for (let i = 0; i < fwd.length; i++) fwd[i] = total > 0 ? cwm[i]! / total : 0;
  const rev = reverseComplement(fwd, width);
  const abs = (m: Float64Array) => {
    const out = new Float64Array(width);
    for (let j = 0; j < width; j++) out[j] = Math.abs(m[j * 4]!) + Math.abs(m[j * 4 + 1]!) + Math.abs(m[j * 4 + 2]!) + Math.abs(m[j * 4 + 3]!);
    return out;
  };
  return { width, norm: [fwd, rev], colAbs: [abs(fwd), abs(rev)] };
}

/** `[width, 4]` matrix of the other strand: columns reversed, A<->T and C<->G swapped. */
export function reverseComplement(m: Float64Array, width: number): Float64Array {
  const out = new Float64Array(width * 4);
  for (let j = 0; j < width; j++) for (let c = 0; c < 4; c++) out[(width - 1 - j) * 4 + (3 - c)] = m[j * 4 + c]!;
  return out;
}

/**
 * Continuous Jaccard similarity (as in TF-MoDISco) between the pattern, read on `strand` (0 forward,
 * 1 reverse complement), and the contribution-weighted one-hot window of the track starting at flat
 * index g. The window reaches `ext` bases beyond the pattern on each side (clipped to [lo, hi), the
 * sequence), where the pattern counts as zero: contribution just outside a pattern lowers the
 * similarity, so TAGTTA does not absorb the seqlets of TCTAATTA through their shared TA.TTA. Each side
 * is L1-normalised; the window has one non-zero entry per column, so each column costs O(1).
 * `absPrefix` holds prefix sums of |contrib| over the flat track.
 */
export function windowJaccard(
  track: ScoreTrack,
  absPrefix: Float64Array,
  pat: AlignableCwm,
  g: number,
  strand: 0 | 1,
  ext: number,
  lo: number,
  hi: number,
): number {
  const w = pat.width;
  const a0 = Math.max(lo, g - ext),
    b0 = Math.min(hi, g + w + ext);
  const mass = absPrefix[b0]! - absPrefix[a0]!;
  if (!(mass > 0)) return 0;
  const m = pat.norm[strand],
    colAbs = pat.colAbs[strand];
  let num = 0;
  // flanks: the pattern is zero there, so each adds |x| to the denominator only
  let den = (absPrefix[g]! - absPrefix[a0]! + absPrefix[b0]! - absPrefix[g + w]!) / mass;
  for (let j = 0; j < w; j++) {
    const b = track.bases[g + j]!;
    const x = track.contrib[g + j]! / mass;
    if (b > 3) {
      den += colAbs[j]! + Math.abs(x);
      continue;
    }
    const a = m[j * 4 + b]!;
    const aa = Math.abs(a),
      ax = Math.abs(x);
    num += a >= 0 === x >= 0 ? Math.min(aa, ax) : -Math.min(aa, ax);
    den += colAbs[j]! - aa + Math.max(aa, ax);
  }
  return den > 0 ? num / den : 0;
}

export function absPrefixSums(track: ScoreTrack): Float64Array {
  const p = new Float64Array(track.contrib.length + 1);
  for (let i = 0; i < track.contrib.length; i++) p[i + 1] = p[i]! + Math.abs(track.contrib[i]!);
  return p;
}

/** Aligned windows: flat start index and strand (0 forward, 1 reverse) of each, all of one width. */
export interface AlignedWindows {
  readonly at: Int32Array;
  readonly strand: Uint8Array;
  readonly width: number;
}

/** PPM (base counts normalised), CWM (mean contribution-weighted one-hot) and mean hypothetical contributions. */
export function aggregateWindows(track: ScoreTrack, win: AlignedWindows): { ppm: Float64Array; cwm: Float64Array; hcwm: Float64Array } {
  const w = win.width;
  const counts = new Float64Array(w * 4),
    cwm = new Float64Array(w * 4),
    hcwm = new Float64Array(w * 4);
  const n = win.at.length;
  for (let k = 0; k < n; k++) {
    const g = win.at[k]!,
      rev = win.strand[k] === 1;
    for (let j = 0; j < w; j++) {
      const pos = rev ? g + w - 1 - j : g + j;
      const b = track.bases[pos]!;
      for (let c = 0; c < 4; c++) hcwm[j * 4 + c]! += track.hyp[pos * 4 + (rev ? 3 - c : c)]!;
      if (b > 3) continue;
      const col = rev ? 3 - b : b;
      counts[j * 4 + col]! += 1;
      cwm[j * 4 + col]! += track.contrib[pos]!;
    }
  }
  const ppm = new Float64Array(w * 4);
  for (let j = 0; j < w; j++) {
    const s = counts[j * 4]! + counts[j * 4 + 1]! + counts[j * 4 + 2]! + counts[j * 4 + 3]!;
    for (let c = 0; c < 4; c++) ppm[j * 4 + c] = s > 0 ? counts[j * 4 + c]! / s : 0.25;
  }
  for (let i = 0; i < w * 4; i++) {
    cwm[i] = n > 0 ? cwm[i]! / n : 0;
    hcwm[i] = n > 0 ? hcwm[i]! / n : 0;
  }
  return { ppm, cwm, hcwm };
}
