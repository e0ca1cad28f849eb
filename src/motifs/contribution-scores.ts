import { encodeBases, INVALID_BASE } from "../alphabet/base-codes.js";
import { InputError } from "../errors.js";
import { type ContributionScore, MOTIF_DEFAULTS as D } from "./discovery-defaults.js";
import type { ReconstructionRecord } from "../infer/reconstruction-tsv.js";
import { selfFittedBaseline } from "./self-baseline.js";

/**
 * Per-nucleotide scores of many sequences in flat typed arrays (no object per position), the input of
 * seqlet calling and clustering. Sequence k spans `[starts[k], starts[k+1])` of the flat arrays.
 */
export interface ScoreTrack {
  readonly ids: readonly string[];
  /** Species of each sequence, null where unknown. */
  readonly species: readonly (string | null)[];
  readonly starts: Int32Array;
  /** Base codes A=0, C=1, G=2, T=3, 255 = not a base. */
  readonly bases: Uint8Array;
  /** Contribution of the reference base at each position. */
  readonly contrib: Float32Array;
  /** `[positions, 4]` hypothetical contribution of each base at each position (what the logo of a CWM shows). */
  readonly hyp: Float32Array;
}

/**
 * `log-ratio`: p_ref * log2(p_ref / pbar_ref), pbar the mean predicted probability of that base over the
 * sequence (the lab's score: positive where the model expects the reference base more than it expects
 * that base anywhere in the sequence). `ic`: the information content 2 - H(p) of the predicted
 * distribution in bits, whatever the reference base. `vs-baseline`: p_ref * log2(p_ref / q_ref), q a
 * baseline's prediction at the same position (e.g. a k-mer model reading 2 bases each side): what the
 * model knows beyond local composition, which is where motifs sit when the background itself is very
 * predictable (as in sim12, whose order-2 background makes the other two scores light up everywhere).
 */

/** Floor for probabilities inside logarithms, so a predicted 0 gives a finite score. */
const P_FLOOR = 1e-6;

export interface TrackOptions {
  score?: ContributionScore;
  /** Species of each id (e.g. read from the sequence file); ids not in it get null. */
  species?: ReadonlyMap<string, string>;
  /** `vs-baseline`: the baseline's `[length, 4]` probabilities of each id; default a (2,2) k-mer table fitted on the records (selfFittedBaseline). */
  baseline?: (id: string, sequence: string) => Float32Array;
}

/** Contribution scores of reconstructions (see ContributionScore). */
export function contributionTrack(records: readonly ReconstructionRecord[], opts: TrackOptions = {}): ScoreTrack {
  const score = opts.score ?? D.score;
  const { starts, total } = offsets(records.map((r) => r.sequence.length));
  const bases = new Uint8Array(total);
  const contrib = new Float32Array(total);
  const hyp = new Float32Array(total * 4);
  const baseline = score === "vs-baseline" ? (opts.baseline ?? selfFittedBaseline(records, opts.species)) : undefined;
  const pbar = new Float64Array(4);
  records.forEach((r, k) => {
    const L = r.sequence.length;
    if (r.probs.length !== L * 4)
      throw new InputError(`reconstruction of "${r.id}" holds ${r.probs.length} probabilities for ${L} bases (expected 4 per base)`);
    const o = starts[k]!;
    bases.set(encodeBases(r.sequence), o);
    const base = baseline?.(r.id, r.sequence);
    if (base && base.length !== L * 4) throw new InputError(`baseline predictions of "${r.id}" hold ${base.length} values for ${L} bases`);
    pbar.fill(0);
    for (let i = 0; i < L * 4; i++) pbar[i & 3]! += r.probs[i]!;
    for (let c = 0; c < 4; c++) pbar[c] = Math.max(pbar[c]! / L, P_FLOOR);
    for (let i = 0; i < L; i++) {
      let ic = 2;
      if (score === "ic")
        for (let c = 0; c < 4; c++) {
          const p = r.probs[i * 4 + c]!;
          if (p > 0) ic += p * Math.log2(p);
        }
      for (let c = 0; c < 4; c++) {
        const p = Math.max(r.probs[i * 4 + c]!, P_FLOOR);
        const ref = base ? Math.max(base[i * 4 + c]!, P_FLOOR) : pbar[c]!;
        hyp[(o + i) * 4 + c] = score === "ic" ? p * ic : p * Math.log2(p / ref);
      }
      const b = bases[o + i]!;
      contrib[o + i] = b === INVALID_BASE ? 0 : score === "ic" ? ic : hyp[(o + i) * 4 + b]!;
    }
  });
  return { ids: records.map((r) => r.id), species: records.map((r) => opts.species?.get(r.id) ?? null), starts, bases, contrib, hyp };
}

/** A sequence with ready-made scores, e.g. an ideal track built from known sites. */
export interface ScoredSequence {
  readonly id: string;
  readonly species: string | null;
  readonly sequence: string;
  readonly contrib: ArrayLike<number>;
  /** `[length, 4]`; default: the contribution on the reference base's column, 0 elsewhere. */
  readonly hyp?: ArrayLike<number>;
}

export function trackFromScores(items: readonly ScoredSequence[]): ScoreTrack {
  const { starts, total } = offsets(items.map((r) => r.sequence.length));
  const bases = new Uint8Array(total);
  const contrib = new Float32Array(total);
  const hyp = new Float32Array(total * 4);
  items.forEach((r, k) => {
    const o = starts[k]!;
    if (r.contrib.length !== r.sequence.length) throw new InputError(`scores of "${r.id}": ${r.contrib.length} values for ${r.sequence.length} bases`);
    bases.set(encodeBases(r.sequence), o);
    contrib.set(r.contrib, o);
    if (r.hyp) hyp.set(r.hyp, o * 4);
    else for (let i = 0; i < r.sequence.length; i++) if (bases[o + i]! !== INVALID_BASE) hyp[(o + i) * 4 + bases[o + i]!] = r.contrib[i]!;
  });
  return { ids: items.map((r) => r.id), species: items.map((r) => r.species), starts, bases, contrib, hyp };
}

function offsets(lengths: readonly number[]): { starts: Int32Array; total: number } {
  const starts = new Int32Array(lengths.length + 1);
  lengths.forEach((L, k) => (starts[k + 1] = starts[k]! + L));
  return { starts, total: starts[lengths.length]! };
}

/** The sub-track of the given sequences (e.g. one species), sharing nothing with the original. */
export function subTrack(track: ScoreTrack, keep: readonly number[]): ScoreTrack {
  return trackFromScores(
    keep.map((k) => {
      const a = track.starts[k]!,
        b = track.starts[k + 1]!;
      let sequence = "";
      for (let i = a; i < b; i++) sequence += track.bases[i]! < 4 ? "ACGT"[track.bases[i]!] : "N";
      return {
        id: track.ids[k]!,
        species: track.species[k]!,
        sequence,
        contrib: track.contrib.subarray(a, b),
        hyp: track.hyp.subarray(a * 4, b * 4),
      };
    }),
  );
}
