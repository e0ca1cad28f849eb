/**
 * A position weight matrix as parsed from MEME, TRANSFAC or a consensus string, always over DNA
 * letters: RNA motifs (U) are stored with U as T so they scan DNA-alphabet sequences directly.
 */
export interface Motif {
  /** Accession or identifier (TRANSFAC AC, MEME motif id, the consensus for consensus lists). */
  readonly id: string;
  /** Human name (TRANSFAC ID/NA, MEME alternate name); falls back to id. */
  readonly name: string;
  /** File the motif came from, for reports. */
  readonly source: string;
  readonly width: number;
  /** `[width, 4]` row-major probabilities, columns A,C,G,T, rows sum to 1. */
  readonly probs: Float64Array;
  /** The IUPAC consensus as given by the file, when the format carries one (consensus lists). */
  readonly consensus?: string;
}

/** Normalises `[width, 4]` counts or frequencies to probabilities (an all-zero row becomes uniform). */
export function normaliseRows(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let r = 0; r * 4 < values.length; r++) {
    const o = r * 4;
    const s = values[o]! + values[o + 1]! + values[o + 2]! + values[o + 3]!;
    for (let c = 0; c < 4; c++) out[o + c] = s > 0 ? values[o + c]! / s : 0.25;
  }
  return out;
}

/** Column index for a matrix header letter: A,C,G,T (U counts as T), either case; -1 otherwise. */
export function letterColumn(letter: string): number {
  return "ACGT".indexOf(letter.toUpperCase() === "U" ? "T" : letter.toUpperCase());
}
