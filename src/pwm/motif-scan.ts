import { encodeBases, INVALID_BASE } from "../alphabet/base-codes.js";
import type { MotifSite } from "./sites.js";
import { consensusFromPwm, consensusMasks } from "./iupac-codes.js";
import type { Motif } from "./motif.js";

/**
 * Motif scanning on the given strand only (3' UTR motifs are RNA-binding: transcript orientation).
 * Hits are 0-based half-open [start, end) on the sequence; `family` is the motif name.
 */
export interface ConsensusScanOptions {
  /** Also report hits of the reverse complement (for double-stranded TF motifs). */
  bothStrands?: boolean;
}

/** All exact IUPAC matches of each motif's consensus (from the file, or derived from its PWM). */
export function scanConsensus(sequence: string, motifs: readonly Motif[], opts: ConsensusScanOptions = {}): MotifSite[] {
  const x = encodeBases(sequence);
  const hits: MotifSite[] = [];
  for (const m of motifs) {
    const masks = consensusMasks(m.consensus ?? consensusFromPwm(m));
    if (typeof masks === "number") continue;
    const patterns: Array<["+" | "-", Uint8Array]> = [["+", masks]];
    if (opts.bothStrands) patterns.push(["-", reverseComplementMasks(masks)]);
    for (const [strand, pat] of patterns) {
      for (let s = 0; s + pat.length <= x.length; s++) {
        let ok = true;
        for (let j = 0; j < pat.length && ok; j++) {
          const b = x[s + j]!;
          ok = b !== INVALID_BASE && ((pat[j]! >> b) & 1) === 1;
        }
        if (ok) hits.push({ family: m.name, start: s, end: s + pat.length, strand });
      }
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

function reverseComplementMasks(masks: Uint8Array): Uint8Array {
  const out = new Uint8Array(masks.length);
  for (let i = 0; i < masks.length; i++) {
    const m = masks[masks.length - 1 - i]!;
    // complement swaps A<->T (bits 0,3) and C<->G (bits 1,2)
    out[i] = ((m & 1) << 3) | ((m & 2) << 1) | ((m & 4) >> 1) | ((m & 8) >> 3);
  }
  return out;
}

export interface PwmScanOptions {
  /** Background base frequencies A,C,G,T for the log-odds (default uniform). */
  background?: ArrayLike<number>;
  /** Pseudo-probability added to each matrix cell before the log, so zeros do not give -Infinity. */
  pseudo?: number;
  /**
   * Keep windows whose log-odds score s satisfies (s - min) / (max - min) >= minRelativeScore, where
   * min/max are the matrix's extreme scores (default 0.9). Comparable across motif widths.
   */
  minRelativeScore?: number;
  bothStrands?: boolean;
}

/** A motif compiled to a `[width, 4]` log2-odds table with its score range. */
export interface CompiledPwm {
  readonly motif: Motif;
  readonly logOdds: Float64Array;
  readonly minScore: number;
  readonly maxScore: number;
}

export function compilePwm(motif: Motif, opts: PwmScanOptions = {}): CompiledPwm {
  const bg = opts.background ?? [0.25, 0.25, 0.25, 0.25];
  const pseudo = opts.pseudo ?? 0.01;
  const logOdds = new Float64Array(motif.width * 4);
  let minScore = 0,
    maxScore = 0;
  for (let r = 0; r < motif.width; r++) {
    let lo = Infinity,
      hi = -Infinity;
    for (let c = 0; c < 4; c++) {
      const p = (motif.probs[r * 4 + c]! + pseudo) / (1 + 4 * pseudo);
      const v = Math.log2(p / bg[c]!);
      logOdds[r * 4 + c] = v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    minScore += lo;
    maxScore += hi;
  }
  return { motif, logOdds, minScore, maxScore };
}

/** Relative PWM score (0 = the worst window, 1 = the best) a window needs to count as a site, unless told otherwise. */
export const DEFAULT_MIN_RELATIVE_SCORE = 0.9;

/** Windows scoring at or above the relative threshold; windows containing N are skipped. */
export function scanPwm(sequence: string, pwms: readonly CompiledPwm[], opts: PwmScanOptions = {}): MotifSite[] {
  const x = encodeBases(sequence);
  const rel = opts.minRelativeScore ?? DEFAULT_MIN_RELATIVE_SCORE;
  const hits: MotifSite[] = [];
  for (const pwm of pwms) {
    const w = pwm.motif.width;
    const cut = pwm.minScore + rel * (pwm.maxScore - pwm.minScore);
    for (let s = 0; s + w <= x.length; s++) {
      const fwd = windowScore(pwm.logOdds, x, s, w, false);
      const rev = opts.bothStrands ? windowScore(pwm.logOdds, x, s, w, true) : -Infinity;
      if (fwd >= cut - 1e-9) hits.push({ family: pwm.motif.name, start: s, end: s + w, strand: "+", score: fwd });
      if (rev >= cut - 1e-9) hits.push({ family: pwm.motif.name, start: s, end: s + w, strand: "-", score: rev });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

function windowScore(logOdds: Float64Array, x: Uint8Array, s: number, w: number, reverse: boolean): number {
  let score = 0;
  for (let j = 0; j < w; j++) {
    const b = reverse ? x[s + w - 1 - j]! : x[s + j]!;
    if (b === INVALID_BASE) return -Infinity;
    score += logOdds[j * 4 + (reverse ? 3 - b : b)]!;
  }
  return score;
}
