import type { ScoreTrack } from "./contribution-scores.js";
import type { AlignedWindows } from "./pattern-alignment.js";
import type { Seqlets } from "./seqlets.js";

/** k-mer code (base 4, first base most significant) at flat index g, or -1 if a base is not ACGT. */
function kmerAt(track: ScoreTrack, g: number, k: number): number {
  let code = 0;
  for (let j = 0; j < k; j++) {
    const b = track.bases[g + j]!;
    if (b > 3) return -1;
    code = code * 4 + b;
  }
  return code;
}

export function reverseComplementCode(code: number, k: number): number {
  let rc = 0;
  for (let j = 0; j < k; j++) {
    rc = rc * 4 + (3 - (code & 3));
    code >>= 2;
  }
  return rc;
}

/**
 * The k-mer carrying the most contribution over the free seqlets (each seqlet counts a k-mer once, at
 * its best occurrence; reverse complements pooled when both strands are read), skipping banned seeds.
 */
export function bestSeed(
  track: ScoreTrack,
  seqlets: Seqlets,
  free: Uint8Array,
  k: number,
  bothStrands: boolean,
  banned: ReadonlySet<number>,
): number | undefined {
  const total = new Float64Array(4 ** k);
  const codes: number[] = [],
    weights: number[] = [];
  for (let s = 0; s < free.length; s++) {
    if (!free[s]) continue;
    const g0 = track.starts[seqlets.seq[s]!]! + seqlets.start[s]!;
    codes.length = 0;
    weights.length = 0;
    for (let g = g0; g + k <= g0 + seqlets.width; g++) {
      let code = kmerAt(track, g, k);
      if (code < 0) continue;
      if (bothStrands) code = Math.min(code, reverseComplementCode(code, k));
      let wsum = 0;
      for (let j = 0; j < k; j++) wsum += track.contrib[g + j]!;
      const seen = codes.indexOf(code);
      if (seen < 0) {
        codes.push(code);
        weights.push(wsum);
      } else if (wsum > weights[seen]!) weights[seen] = wsum;
    }
    for (let i = 0; i < codes.length; i++) if (weights[i]! > 0) total[codes[i]!]! += weights[i]!;
  }
  let best = -1,
    bestW = 0;
  for (let c = 0; c < total.length; c++) {
    if (total[c]! > bestW && !banned.has(c)) {
      bestW = total[c]!;
      best = c;
    }
  }
  return best >= 0 ? best : undefined;
}

/** Windows (seed +- pad) at the best occurrence of the seed (either strand if allowed) in each free seqlet. */
export function seedWindows(track: ScoreTrack, seqlets: Seqlets, free: Uint8Array, seed: number, k: number, pad: number, bothStrands: boolean): AlignedWindows {
  const rc = reverseComplementCode(seed, k);
  const width = k + 2 * pad;
  const at: number[] = [],
    strand: number[] = [];
  for (let s = 0; s < free.length; s++) {
    if (!free[s]) continue;
    const seq = seqlets.seq[s]!;
    const o = track.starts[seq]!,
      L = track.starts[seq + 1]! - o;
    const g0 = o + seqlets.start[s]!;
    let best = -Infinity,
      bestG = -1,
      bestStrand = 0;
    for (let g = g0; g + k <= g0 + seqlets.width; g++) {
      const code = kmerAt(track, g, k);
      const strandHere = code === seed ? 0 : bothStrands && code === rc ? 1 : -1;
      if (strandHere < 0) continue;
      let wsum = 0;
      for (let j = 0; j < k; j++) wsum += track.contrib[g + j]!;
      if (wsum > best) {
        best = wsum;
        bestG = g;
        bestStrand = strandHere;
      }
    }
    if (bestG < 0 || bestG - pad < o || bestG - pad + width > o + L) continue;
    at.push(bestG - pad);
    strand.push(bestStrand);
  }
  return { width, at: Int32Array.from(at), strand: Uint8Array.from(strand) };
}
