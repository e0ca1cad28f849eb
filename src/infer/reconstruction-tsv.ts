import type { NucleotideProbs } from "../baselines/nucleotide-predictor.js";

/**
 * The reconstruction table `specieslm reconstruct` writes and the browser app downloads:
 * `id pos ref A C G T`, 0-based positions, probabilities to 6 significant digits.
 */
export const RECONSTRUCTION_TSV_HEADER = "id\tpos\tref\tA\tC\tG\tT\n";

/** The rows of one record, each ending in a newline. */
export function reconstructionTsvRows(id: string, sequence: string, p: NucleotideProbs): string {
  const lines: string[] = [];
  for (let pos = 0; pos < sequence.length; pos++) {
    lines.push(`${id}\t${pos}\t${sequence[pos]}\t${p[pos * 4]!.toPrecision(6)}\t${p[pos * 4 + 1]!.toPrecision(6)}\t${p[pos * 4 + 2]!.toPrecision(6)}\t${p[pos * 4 + 3]!.toPrecision(6)}`);
  }
  return lines.join("\n") + "\n";
}
