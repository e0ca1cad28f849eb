import { INVALID_BASE } from "../alphabet/base-codes.js";
import { ShapeError } from "../errors.js";

/**
 * Per-position scores of one prediction against the true bases: `nll[i]` = -ln P(true base) in nats
 * (probabilities floored at 1e-12 so a confident miss costs ~27.6 nats, not Infinity), `correct[i]` = 1
 * when the argmax equals the true base (ties go to the first base in A,C,G,T order), `confidence[i]` =
 * max probability. `scored[i]` = 0 where the true base is not A/C/G/T; such positions are ignored.
 */
export interface NucleotideScores {
  readonly scored: Uint8Array;
  readonly correct: Uint8Array;
  readonly nll: Float64Array;
  readonly confidence: Float64Array;
}

export const PROBABILITY_FLOOR = 1e-12;

/** `probs` is `[L, 4]` row-major for the L bases in `x` (codes from encodeBases). */
export function scoreNucleotides(x: Uint8Array, probs: Float32Array, recordId: string, model: string): NucleotideScores {
  const L = x.length;
  if (probs.length !== L * 4) {
    throw new ShapeError(`${model} returned ${probs.length} probabilities for record ${recordId} of length ${L}; expected [L, 4] = ${L * 4}`);
  }
  const scored = new Uint8Array(L);
  const correct = new Uint8Array(L);
  const nll = new Float64Array(L);
  const confidence = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    const t = x[i]!;
    if (t === INVALID_BASE) continue;
    const o = i * 4;
    let best = 0;
    let bestP = probs[o]!;
    for (let c = 1; c < 4; c++) {
      if (probs[o + c]! > bestP) {
        bestP = probs[o + c]!;
        best = c;
      }
    }
    scored[i] = 1;
    correct[i] = best === t ? 1 : 0;
    nll[i] = -Math.log(Math.max(probs[o + t]!, PROBABILITY_FLOOR));
    confidence[i] = bestP;
  }
  return { scored, correct, nll, confidence };
}
