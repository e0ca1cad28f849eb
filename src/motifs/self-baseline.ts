import { KmerModel } from "../baselines/kmer-model.js";
import { MOTIF_DEFAULTS as D } from "./discovery-defaults.js";
import type { ReconstructionRecord } from "../infer/reconstruction-tsv.js";

/**
 * The vs-baseline score's default baseline: a (2,2) k-mer table per species (ids without a species
 * share one table) fitted on the analysed sequences themselves, as `baseline fit --left 2 --right 2`.
 * Fitting on the same sequences lets motif sites count towards their own 5-mer contexts, which lowers
 * their score a little (most for motifs frequent enough to dominate a context) and raises no other, so it
 * can hide but not invent a pattern; with 1,024 contexts and tens of thousands of positions the shift is small.
 */
export function selfFittedBaseline(
  records: readonly ReconstructionRecord[],
  species?: ReadonlyMap<string, string>,
): (id: string, sequence: string) => Float32Array {
  const spOf = (id: string) => species?.get(id) ?? "";
  const model = KmerModel.fitSync(
    records.map((r) => ({ id: r.id, species: spOf(r.id), sequence: r.sequence })),
    {
      kind: "markov",
      left: D.selfBaselineLeft,
      right: D.selfBaselineRight,
    },
  );
  return (id, sequence) => model.predictSequence(sequence, spOf(id));
}
