import type { ScoreTrack } from "./contribution-scores.js";
import type { Pattern } from "./pattern.js";

export interface SpeciesSupport {
  readonly species: string;
  /** Sequences of this species holding at least one member, and all sequences of the species. */
  readonly sequences: number;
  readonly total: number;
}

/** Where and how often a pattern occurs. */
export interface PatternSupport {
  readonly seqlets: number;
  readonly sequences: number;
  readonly perSpecies: readonly SpeciesSupport[];
  /** Median member centre, 0-based position along the region. */
  readonly medianPosition: number;
  /** Member centres counted in bins of `binWidth` along the region. */
  readonly positionHistogram: readonly number[];
  readonly binWidth: number;
}

export function patternSupport(track: ScoreTrack, pattern: Pattern, binWidth = 10): PatternSupport {
  const n = track.ids.length;
  const seqOf = (g: number) => {
    let lo = 0,
      hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (track.starts[mid]! <= g) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  let maxLen = 0;
  for (let k = 0; k < n; k++) maxLen = Math.max(maxLen, track.starts[k + 1]! - track.starts[k]!);
  const hist = new Array<number>(Math.max(1, Math.ceil(maxLen / binWidth))).fill(0);
  const centres: number[] = [];
  const withPattern = new Set<number>();
  for (const g of pattern.members.at) {
    const k = seqOf(g);
    withPattern.add(k);
    const centre = g - track.starts[k]! + (pattern.width - 1) / 2;
    centres.push(centre);
    hist[Math.min(hist.length - 1, Math.floor(centre / binWidth))]! += 1;
  }
  centres.sort((a, b) => a - b);
  const total = new Map<string, number>(),
    hit = new Map<string, number>();
  track.species.forEach((sp, k) => {
    const key = sp ?? "(unknown)";
    total.set(key, (total.get(key) ?? 0) + 1);
    if (withPattern.has(k)) hit.set(key, (hit.get(key) ?? 0) + 1);
  });
  return {
    seqlets: pattern.members.at.length,
    sequences: withPattern.size,
    perSpecies: [...total].sort(([a], [b]) => a.localeCompare(b)).map(([species, t]) => ({ species, sequences: hit.get(species) ?? 0, total: t })),
    medianPosition: centres.length ? centres[centres.length >> 1]! : NaN,
    positionHistogram: hist,
    binWidth,
  };
}
