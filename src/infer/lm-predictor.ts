import { basename } from "node:path";
import type { NucleotideProbs, NucleotidePredictor, SequenceRecord } from "../baselines/nucleotide-predictor.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { reconstruct } from "./reconstruct.js";

export interface LmPredictorOptions {
  readonly name?: string;
  /** Masked spans per forward pass (1 = the published recipe). */
  readonly spansPerPass?: number;
  readonly batchSize?: number;
  /** Species told to the model for records of species it does not know. */
  readonly speciesProxy?: string;
  /** Tell the model this species for every record (species-swap and held-out-species analyses). */
  readonly tellSpecies?: string;
  readonly onProgress?: (doneRows: number, totalRows: number) => void;
}

/**
 * A masked LM as a NucleotidePredictor: per-nucleotide P(A,C,G,T) by rolling-mask reconstruction,
 * so it is evaluated exactly like the k-mer baselines. Agnostic models ("none") are not told the species.
 */
export function lmPredictor(model: MaskedLanguageModel, o: LmPredictorOptions = {}): NucleotidePredictor {
  const agnostic = model.config.conditioning === "none";
  const known = new Set(model.tokenizer.vocab.speciesNames);
  const notes = new Set<string>();
  const predictMany = async (records: readonly SequenceRecord[]): Promise<NucleotideProbs[]> => {
    const items = records.map((r) => {
      const species = agnostic ? null : (o.tellSpecies ?? r.species);
      if (species !== null && !known.has(species) && o.speciesProxy) notes.add(`${species} told as proxy ${o.speciesProxy}`);
      return { id: r.id, sequence: r.sequence, species, ...(o.speciesProxy ? { speciesProxy: o.speciesProxy } : {}) };
    });
    return reconstruct(model, items, {
      ...(o.spansPerPass ? { spansPerPass: o.spansPerPass } : {}),
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
  };
  return {
    name: o.name ?? basename(model.folder.dir.replace(/\/checkpoint\/?$/, "")),
    predict: async (r) => (await predictMany([r]))[0]!,
    predictMany,
    notes: () => [
      ...(o.spansPerPass && o.spansPerPass > 1 ? [`${o.spansPerPass} masked spans per forward pass (approximates the one-span recipe)`] : []),
      ...(model.config.edgeMasks === "minimal"
        ? ["the first and last k-1 nucleotides hidden by only the tokens covering each (the model was trained on edge spans)"]
        : []),
      ...notes,
    ],
  };
}
