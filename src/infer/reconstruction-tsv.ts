import type { NucleotideProbs } from "./reconstruct.js";

/** Header of the `reconstruct` TSV: one row per nucleotide. */
export const RECONSTRUCTION_TSV_HEADER = "id\tpos\tref\tA\tC\tG\tT\n";

/** One record's rows of the `reconstruct` TSV (6 significant digits), newline-terminated. */
export function formatReconstructionRows(id: string, sequence: string, p: NucleotideProbs): string {
  const lines: string[] = [];
  for (let pos = 0; pos < sequence.length; pos++) {
    lines.push(`${id}\t${pos}\t${sequence[pos]}\t${p[pos * 4]!.toPrecision(6)}\t${p[pos * 4 + 1]!.toPrecision(6)}\t${p[pos * 4 + 2]!.toPrecision(6)}\t${p[pos * 4 + 3]!.toPrecision(6)}`);
  }
  return lines.join("\n") + "\n";
}
