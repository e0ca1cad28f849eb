import { BASES } from "./variant.js";

/** Per-position P(A,C,G,T) ([L*4]) of one sequence with each position hidden in turn, and the window [from, to) to sum. */
export interface PllSide {
  readonly probs: ArrayLike<number>;
  readonly sequence: string;
  readonly window: readonly [number, number];
}

/** Sum over the window of ln P(x_j | rest), the pseudo-log-likelihood of the window's bases. */
export function windowPll(s: PllSide): number {
  let sum = 0;
  for (let j = s.window[0]; j < s.window[1]; j++) sum += Math.log(s.probs[j * 4 + BASES.indexOf(s.sequence[j]!)]!);
  return sum;
}

/** Indel/MNV llr of any per-nucleotide predictor (the LM's reconstruction, a k-mer table): alt window PLL minus ref window PLL. */
export const pllDifference = (ref: PllSide, alt: PllSide): number => windowPll(alt) - windowPll(ref);
