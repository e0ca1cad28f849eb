import type { AlignedWindows } from "./pattern-alignment.js";

// The result type of pattern discovery, shared by the seed-based and the word-based pattern builders.
/** A discovered pattern with its aligned seqlets. */
export interface Pattern {
  readonly id: string;
  readonly width: number;
  /** `[width, 4]` base frequencies of the aligned windows. */
  readonly ppm: Float64Array;
  /** `[width, 4]` mean contribution-weighted one-hot of the aligned windows. */
  readonly cwm: Float64Array;
  /** `[width, 4]` mean hypothetical contributions (what the model expects at each column). */
  readonly hcwm: Float64Array;
  /** Aligned windows of the member seqlets (flat track indices) and the seqlet each came from. */
  readonly members: AlignedWindows & { readonly seqlet: Int32Array; readonly similarity: Float32Array };
}
