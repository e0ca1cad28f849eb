import type { ScoreTrack } from "./contribution-scores.js";
import { smallSampleCorrection } from "../report/logo-svg.js";
import type { Seqlets } from "./seqlets.js";

/** Members of a pattern: aligned windows and the seqlet each came from. */
export interface ExtendableMembers {
  readonly width: number;
  readonly at: Int32Array;
  readonly strand: Uint8Array;
  readonly seqlet: Int32Array;
  readonly similarity: Float32Array;
}

export interface ExtensionOptions {
  /** Most columns added each side (0 = off). */
  readonly maxColumns: number;
  /** Relative entropy (bits, after the small-sample correction) a column needs over the track's base composition. */
  readonly minBits: number;
}

/**
 * Widens a pattern by the columns next to it where its members' sequences agree. Trimming keeps the
 * columns that carry contribution, but a score against a baseline (or a model that predicts part of a
 * motif from its neighbours) leaves little contribution on motif bases the context already explains,
 * so trimmed patterns can be too short to match anything (docs/decisions/motif-pattern-widening.md).
 * A column joins while its base distribution over the members differs from the track's composition by
 * at least `minBits` (relative entropy minus the 3 / (2 ln2 n) small-sample bias, as the logos use),
 * and at least half of the members have that position inside their sequence. Members whose widened window leaves their
 * sequence are dropped (a site at a region's very end).
 */
export function extendConserved<M extends ExtendableMembers>(track: ScoreTrack, seqlets: Seqlets, members: M, opts: ExtensionOptions): M {
  const n = members.at.length;
  if (opts.maxColumns <= 0 || n === 0) return members;
  const bg = composition(track);
  const w = members.width;
  // flat position of column j of member i (j < 0 or j >= w reach past the pattern), -1 outside its sequence
  const position = (i: number, j: number): number => {
    const k = seqlets.seq[members.seqlet[i]!]!;
    const pos = members.strand[i] === 1 ? members.at[i]! + w - 1 - j : members.at[i]! + j;
    return pos >= track.starts[k]! && pos < track.starts[k + 1]! ? pos : -1;
  };
  const conserved = (j: number): boolean => {
    const counts = [0, 0, 0, 0];
    let m = 0;
    for (let i = 0; i < n; i++) {
      const pos = position(i, j);
      const b = pos < 0 ? 4 : track.bases[pos]!;
      if (b <= 3) {
        counts[members.strand[i] === 1 ? 3 - b : b]!++;
        m++;
      }
    }
    if (m * 2 < n) return false;
    let kl = 0;
    for (let c = 0; c < 4; c++) if (counts[c]! > 0) kl += (counts[c]! / m) * Math.log2(counts[c]! / m / bg[c]!);
    return kl - smallSampleCorrection(m) >= opts.minBits;
  };
  let left = 0,
    right = 0;
  while (left < opts.maxColumns && conserved(-left - 1)) left++;
  while (right < opts.maxColumns && conserved(w + right)) right++;
  if (left === 0 && right === 0) return members;
  const keep = new Uint8Array(n);
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    if (position(i, -left) < 0 || position(i, w - 1 + right) < 0) continue;
    keep[i] = 1;
    // a reverse-strand member's right extension lies to its left on the sequence
    at.push(members.at[i]! - (members.strand[i] === 1 ? right : left));
  }
  return {
    ...members,
    width: w + left + right,
    at: Int32Array.from(at),
    strand: members.strand.filter((_, i) => keep[i]),
    seqlet: members.seqlet.filter((_, i) => keep[i]),
    similarity: members.similarity.filter((_, i) => keep[i]),
  };
}

/** Base frequencies (A, C, G, T) over the whole track, with a pseudocount so no base has probability 0. */
function composition(track: ScoreTrack): number[] {
  const counts = [1, 1, 1, 1];
  for (const b of track.bases) if (b <= 3) counts[b]!++;
  const total = counts.reduce((a, c) => a + c, 0);
  return counts.map((c) => c / total);
}
