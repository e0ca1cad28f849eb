import { InputError } from "../errors.js";
import type { ScoreTrack } from "./contribution-scores.js";
import {
  absPrefixSums,
  aggregateWindows,
  alignableCwm,
  reverseComplement,
  windowJaccard,
  type AlignableCwm,
  type AlignedWindows,
} from "./pattern-alignment.js";
import { extendConserved } from "./pattern-extension.js";
import { cwmSimilarity } from "./pattern-similarity.js";
import { bestSeed, seedWindows } from "./seed-kmers.js";
import { callSeqlets, type SeqletOptions, type Seqlets } from "./seqlets.js";
import type { Pattern } from "./pattern.js";
import { absorbWord, wordPattern } from "./word-patterns.js";
import { addWordSeqlets } from "./word-seqlets.js";
import { MOTIF_DEFAULTS as D } from "./discovery-defaults.js";

/** Members of two merged patterns re-align to the bigger one at this fraction of the similarity threshold. */
const MERGED_MEMBER_SIMILARITY = 0.8;

export interface DiscoveryOptions extends SeqletOptions {
  /** Align patterns on both strands (default true; false for strand-specific RNA motifs). */
  bothStrands?: boolean;
  /** Seed k-mer length (default 6) and bases added each side of the seed before refinement (default 4). */
  seedLength?: number;
  seedPad?: number;
  /** Continuous-Jaccard similarity a seqlet needs to join a pattern (default 0.5). */
  similarity?: number;
  /** Fewest seqlets a pattern must gather (default 20)... */
  minSeqlets?: number;
  /** ...and at least this fraction of all seqlets (default 0.005), so large runs are not cluttered by rare composites. */
  minFraction?: number;
  maxPatterns?: number;
  /** Trim columns whose contribution mass is below this fraction of the pattern's largest column (default 0.15). */
  trim?: number;
  /** Merge two patterns whose CWMs align with at least this similarity (default 0.7). */
  merge?: number;
  /** Bases beyond a pattern, each side, whose contribution counts against a seqlet's similarity (default 3). */
  alignFlank?: number;
  /** Refinement rounds (re-align, re-aggregate) per pattern (default 3). */
  iterations?: number;
  /** After trimming, add up to this many columns each side where the members' sequences agree (default 4; 0 = off)... */
  extend?: number;
  /** ...each with at least this relative entropy (bits) over the base composition (default 1). */
  extendBits?: number;
  /** Fewest columns a pattern keeps after trimming and widening (default 4): narrower ones are a base or two of diffuse contribution, not a motif. */
  minWidth?: number;
  /**
   * Fewest columns carrying at least a tenth of the largest column's contribution (default 3). A motif is
   * several bases the model expects together; one or two lone bases are what a baseline's error in a
   * rare context looks like (docs/decisions/motif-recurrent-words.md).
   */
  minColumns?: number;
  /** Also take seqlets at occurrences of recurrent words (see addWordSeqlets; default true)... */
  words?: boolean;
  /** ...whose mean, and each occurrence, reach this quantile of the null's word sums (default 0.95). */
  wordQuantile?: number;
}

export interface DiscoveryResult {
  readonly seqlets: Seqlets;
  readonly patterns: Pattern[];
}

/**
 * Seeds in a row that may fail before discovery stops: recurrent words add many seeds that are shifted
 * pieces of motifs found already or fail the column rule (docs/decisions/motif-recurrent-words.md).
 */
const MAX_FAILED_SEEDS = 32;

interface Config {
  bothStrands: boolean;
  k: number;
  pad: number;
  sim: number;
  minSeqlets: number;
  maxPatterns: number;
  trim: number;
  merge: number;
  iterations: number;
  flank: number;
  ext: number;
  extend: number;
  extendBits: number;
  minWidth: number;
  minColumns: number;
}

/**
 * Seqlets, then greedy seeded clustering: the k-mer carrying the most contribution among unassigned
 * seqlets seeds a pattern; every unassigned seqlet is aligned to the pattern's CWM over offsets around
 * its centre (and both strands), those above the similarity join, and the CWM is rebuilt; after a few
 * rounds the pattern is trimmed to its informative columns and widened by the neighbouring columns
 * where its members' sequences agree, its members leave the pool, and the next seed is taken.
 * Near-duplicate patterns (shifted or reverse-complement copies) are merged at the end.
 */
export function discoverPatterns(track: ScoreTrack, opts: DiscoveryOptions = {}): DiscoveryResult {
  const called = callSeqlets(track, opts);
  const { seqlets, recurrent } =
    (opts.words ?? D.words)
      ? addWordSeqlets(track, called, {
          k: opts.seedLength ?? D.seedLength,
          fdr: opts.fdr ?? D.fdr,
          quantile: opts.wordQuantile ?? D.wordQuantile,
          bothStrands: opts.bothStrands ?? D.bothStrands,
          seed: opts.seed ?? D.seed,
        })
      : { seqlets: called, recurrent: undefined };
  const cfg: Config = {
    bothStrands: opts.bothStrands ?? D.bothStrands,
    k: opts.seedLength ?? D.seedLength,
    pad: opts.seedPad ?? D.seedPad,
    sim: opts.similarity ?? D.similarity,
    minSeqlets: Math.max(opts.minSeqlets ?? D.minSeqlets, Math.ceil((opts.minFraction ?? D.minFraction) * seqlets.seq.length)),
    maxPatterns: opts.maxPatterns ?? D.maxPatterns,
    trim: opts.trim ?? D.trim,
    merge: opts.merge ?? D.merge,
    iterations: opts.iterations ?? D.iterations,
    ext: opts.alignFlank ?? D.alignFlank,
    flank: (seqlets.width - seqlets.window) >> 1,
    extend: opts.extend ?? D.extend,
    extendBits: opts.extendBits ?? D.extendBits,
    minWidth: opts.minWidth ?? D.minWidth,
    minColumns: opts.minColumns ?? D.minColumns,
  };
  if (cfg.k < 3 || cfg.k > 10) throw new InputError(`seed length must be in [3, 10], got ${cfg.k}`);
  const absPrefix = absPrefixSums(track);
  const free = new Uint8Array(seqlets.seq.length).fill(1);
  const banned = new Set<number>();
  const found: Omit<Pattern, "id">[] = [];
  let failures = 0;
  while (found.length < cfg.maxPatterns && failures < MAX_FAILED_SEEDS) {
    const seed = bestSeed(track, seqlets, free, cfg.k, cfg.bothStrands, banned);
    if (seed === undefined) break;
    banned.add(seed);
    const win = seedWindows(track, seqlets, free, seed, cfg.k, cfg.pad, cfg.bothStrands);
    if (win.at.length < cfg.minSeqlets) {
      failures++;
      continue;
    }
    let pattern = refine(track, absPrefix, seqlets, free, win, cfg);
    if (!pattern && recurrent?.[seed]) {
      // a faint motif: a piece of one found already joins it, else its occurrences make a pattern
      const search = { track, seqlets, free, word: seed, k: cfg.k, bothStrands: cfg.bothStrands };
      const absorbed = absorbWord(search, found);
      if (absorbed) {
        for (const s of absorbed.members.seqlet) free[s] = 0;
        found[absorbed.index] = { width: absorbed.members.width, ...aggregateWindows(track, absorbed.members), members: absorbed.members };
        failures = 0;
        continue;
      }
      pattern = wordPattern(search, { maxColumns: cfg.extend, minBits: cfg.extendBits });
    }
    if (!pattern || pattern.members.at.length < cfg.minSeqlets || informativeColumns(pattern.cwm, pattern.width) < cfg.minColumns) {
      failures++;
      continue;
    }
    failures = 0;
    for (const s of pattern.members.seqlet) free[s] = 0;
    found.push(pattern);
  }
  const patterns = mergeDuplicates(track, absPrefix, seqlets, found, cfg)
    .filter((p) => p.members.at.length >= cfg.minSeqlets)
    .map(orientForward)
    .sort((a, b) => b.members.at.length - a.members.at.length)
    .map((p, i) => ({ id: `pattern_${i + 1}`, ...p }));
  return { seqlets, patterns };
}

/** Re-align and re-aggregate a few rounds, trim, align once more with the trimmed CWM. */
function refine(
  track: ScoreTrack,
  absPrefix: Float64Array,
  seqlets: Seqlets,
  free: Uint8Array,
  start: AlignedWindows,
  cfg: Config,
): Omit<Pattern, "id"> | undefined {
  let agg = aggregateWindows(track, start);
  const width = start.width;
  const pool: number[] = [];
  for (let s = 0; s < free.length; s++) if (free[s]) pool.push(s);
  let members = align(track, absPrefix, seqlets, pool, alignableCwm(agg.cwm, width), cfg);
  for (let it = 0; it < cfg.iterations && members.at.length > 0; it++) {
    agg = aggregateWindows(track, members);
    members = align(track, absPrefix, seqlets, pool, alignableCwm(agg.cwm, width), cfg);
  }
  if (members.at.length < cfg.minSeqlets) return undefined;
  agg = aggregateWindows(track, members);
  const [l, r] = trimRange(agg.cwm, width, cfg.trim);
  const trimmed = { ...members, width: r - l + 1, at: members.at.map((g, i) => (members.strand[i] === 1 ? g + width - 1 - r : g + l)) };
  // widen with the members the full-width pattern gathered: re-aligned to a few trimmed columns first,
  // any seqlet holding those bases joins, and the flanks that made them a motif no longer agree
  const core = extendConserved(track, seqlets, trimmed, { maxColumns: cfg.extend, minBits: cfg.extendBits });
  if (core.width < cfg.minWidth) return undefined;
  members = align(track, absPrefix, seqlets, pool, alignableCwm(aggregateWindows(track, core).cwm, core.width), cfg);
  if (members.at.length < cfg.minSeqlets) return undefined;
  return { width: members.width, ...aggregateWindows(track, members), members };
}

function columnMass(cwm: Float64Array, width: number): number[] {
  return Array.from({ length: width }, (_, j) => Math.abs(cwm[j * 4]!) + Math.abs(cwm[j * 4 + 1]!) + Math.abs(cwm[j * 4 + 2]!) + Math.abs(cwm[j * 4 + 3]!));
}

/** Columns whose contribution mass reaches a tenth of the largest column's. */
function informativeColumns(cwm: Float64Array, width: number): number {
  const mass = columnMass(cwm, width);
  const cut = 0.1 * Math.max(...mass);
  return mass.filter((m) => m >= cut).length;
}

/** Columns [l, r] spanning every column whose contribution mass reaches `frac` of the largest. */
function trimRange(cwm: Float64Array, width: number, frac: number): [number, number] {
  const mass = columnMass(cwm, width);
  const cut = frac * Math.max(...mass);
  let l = 0,
    r = width - 1;
  while (l < r && mass[l]! < cut) l++;
  while (r > l && mass[r]! < cut) r--;
  return [l, r];
}

/**
 * Best alignment of each pooled seqlet: pattern starts that put the pattern's centre inside the seqlet's
 * core window, on one or both strands; seqlets at or above the similarity threshold become members.
 * One member per (start, strand), so overlapping seqlets do not count one site twice.
 */
function align(track: ScoreTrack, absPrefix: Float64Array, seqlets: Seqlets, pool: readonly number[], pat: AlignableCwm, cfg: Config): Pattern["members"] {
  const w = pat.width,
    half = w >> 1;
  const at: number[] = [],
    strand: number[] = [],
    seqlet: number[] = [],
    similarity: number[] = [];
  const seen = new Set<number>();
  for (const s of pool) {
    const k = seqlets.seq[s]!;
    const o = track.starts[k]!,
      L = track.starts[k + 1]! - o;
    if (L < w) continue;
    const core = seqlets.start[s]! + cfg.flank;
    const lo = Math.max(0, core - half),
      hi = Math.min(L - w, core + seqlets.window - 1 - half);
    let best = -Infinity,
      bestG = -1,
      bestStrand: 0 | 1 = 0;
    for (let p = lo; p <= hi; p++) {
      const f = windowJaccard(track, absPrefix, pat, o + p, 0, cfg.ext, o, o + L);
      if (f > best) {
        best = f;
        bestG = o + p;
        bestStrand = 0;
      }
      if (cfg.bothStrands) {
        const r = windowJaccard(track, absPrefix, pat, o + p, 1, cfg.ext, o, o + L);
        if (r > best) {
          best = r;
          bestG = o + p;
          bestStrand = 1;
        }
      }
    }
    if (best < cfg.sim || seen.has(bestG * 2 + bestStrand)) continue;
    seen.add(bestG * 2 + bestStrand);
    at.push(bestG);
    strand.push(bestStrand);
    seqlet.push(s);
    similarity.push(best);
  }
  return {
    width: w,
    at: Int32Array.from(at),
    strand: Uint8Array.from(strand),
    seqlet: Int32Array.from(seqlet),
    similarity: Float32Array.from(similarity),
  };
}

/**
 * Merges pairs whose CWMs align at or above `cfg.merge` (a shifted or reverse-complement copy found
 * from another seed): the seqlets of both are re-aligned to the larger pattern.
 */
function mergeDuplicates(track: ScoreTrack, absPrefix: Float64Array, seqlets: Seqlets, patterns: Omit<Pattern, "id">[], cfg: Config): Omit<Pattern, "id">[] {
  const out = [...patterns];
  for (;;) {
    let pair: [number, number] | undefined;
    let bestSim = cfg.merge;
    for (let a = 0; a < out.length; a++) {
      for (let b = a + 1; b < out.length; b++) {
        const s = cwmSimilarity(out[a]!.cwm, out[a]!.width, out[b]!.cwm, out[b]!.width, cfg.bothStrands).similarity;
        if (s >= bestSim) {
          bestSim = s;
          pair = [a, b];
        }
      }
    }
    if (!pair) return out;
    const [a, b] = pair;
    const big = out[a]!.members.at.length >= out[b]!.members.at.length ? out[a]! : out[b]!;
    const pool = [...out[a]!.members.seqlet, ...out[b]!.members.seqlet];
    const members = align(track, absPrefix, seqlets, pool, alignableCwm(big.cwm, big.width), {
      ...cfg,
      sim: MERGED_MEMBER_SIMILARITY * cfg.sim,
    });
    out.splice(b, 1);
    out[a] = { width: big.width, ...aggregateWindows(track, members), members };
  }
}

/** Reports a pattern in the orientation most of its members have on the sequences given. */
function orientForward(p: Omit<Pattern, "id">): Omit<Pattern, "id"> {
  let rev = 0;
  for (const s of p.members.strand) rev += s;
  if (rev * 2 <= p.members.strand.length) return p;
  return {
    width: p.width,
    ppm: reverseComplement(p.ppm, p.width),
    cwm: reverseComplement(p.cwm, p.width),
    hcwm: reverseComplement(p.hcwm, p.width),
    members: { ...p.members, strand: p.members.strand.map((s) => 1 - s) },
  };
}
