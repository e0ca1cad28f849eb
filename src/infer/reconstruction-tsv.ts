import type { NucleotideProbs } from "../baselines/nucleotide-predictor.js";

/**
 * The reconstruction table `specieslm reconstruct` writes, the browser app downloads and `specieslm motifs`
 * reads (reconstruction-tsv-reader.ts, kept apart because it needs Node streams and this module runs in
 * the browser): `id pos ref A C G T`, 0-based positions, probabilities to 6 significant digits.
 */
export const RECONSTRUCTION_TSV_COLUMNS = ["id", "pos", "ref", "A", "C", "G", "T"] as const;
export const RECONSTRUCTION_TSV_HEADER = RECONSTRUCTION_TSV_COLUMNS.join("\t") + "\n";

/** One sequence's reconstruction: P(A,C,G,T) at each position with that base hidden. */
export interface ReconstructionRecord {
  readonly id: string;
  /** The reference bases (upper case), one per position. */
  readonly sequence: string;
  /** `[length, 4]` row-major probabilities, columns A,C,G,T. */
  readonly probs: Float32Array;
}

/** The rows of one record, each ending in a newline. */
export function reconstructionTsvRows(id: string, sequence: string, p: NucleotideProbs): string {
  const lines: string[] = [];
  for (let pos = 0; pos < sequence.length; pos++) {
    lines.push(
      `${id}\t${pos}\t${sequence[pos]}\t${p[pos * 4]!.toPrecision(6)}\t${p[pos * 4 + 1]!.toPrecision(6)}\t${p[pos * 4 + 2]!.toPrecision(6)}\t${p[pos * 4 + 3]!.toPrecision(6)}`,
    );
  }
  return lines.join("\n") + "\n";
}
