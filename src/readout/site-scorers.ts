import type { NucleotidePredictor } from "../baselines/nucleotide-predictor.js";
import { reconstruct } from "../infer/reconstruct.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import type { SiteScorer } from "./site-reconstruction.js";

/** A k-mer table (or any predictor) as a site scorer: it predicts whole records, which is cheap. */
export function predictorSiteScorer(p: NucleotidePredictor): SiteScorer {
  return {
    name: p.name,
    reconstruct: async (records) => (p.predictMany ? p.predictMany(records) : Promise.all(records.map((r) => p.predict(r)))),
  };
}

/**
 * A masked LM as a site scorer: reconstruct's `positions` runs only the rows serving the instance bases
 * (one span per pass, the published recipe). Agnostic models are not told the species; others are told
 * each record's species, or `speciesProxy` where the model lacks it.
 */
export function lmSiteScorer(
  model: MaskedLanguageModel,
  o: { name: string; speciesProxy?: string; batchSize?: number; onProgress?: (done: number, total: number) => void },
): SiteScorer {
  const agnostic = model.config.conditioning === "none";
  return {
    name: o.name,
    reconstruct: (records, positions) =>
      reconstruct(
        model,
        records.map((r) => ({
          id: r.id,
          sequence: r.sequence,
          species: agnostic ? null : r.species,
          ...(o.speciesProxy ? { speciesProxy: o.speciesProxy } : {}),
        })),
        {
          positions: (i) => positions[i],
          ...(o.batchSize ? { batchSize: o.batchSize } : {}),
          ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        },
      ),
  };
}
