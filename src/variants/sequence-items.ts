import { UnknownSpeciesError } from "../errors.js";
import type { ReconstructItem } from "../infer/reconstruct.js";
import type { SequenceRecord } from "../baselines/nucleotide-predictor.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { checkRollingMaskLength, checkSequenceLength } from "../runtime/sequence-window.js";

/**
 * Reads every record and checks it against the model before any compute (so a bad record late in the
 * file leaves no partial output): length between 2k-1 and what the position table holds, a species
 * the model knows (or the proxy).
 */
export async function sequenceItems(
  model: MaskedLanguageModel,
  records: AsyncIterable<SequenceRecord<string | null>>,
  path: string,
  speciesProxy?: string,
): Promise<ReconstructItem[]> {
  const items: ReconstructItem[] = [];
  for await (const r of records) {
    const L = r.sequence.length;
    checkRollingMaskLength(model, r.id, L, path);
    checkSequenceLength(model, r.id, L, path);
    if (r.species !== null && model.config.conditioning !== "none") {
      try {
        model.tokenizer.speciesId(r.species, speciesProxy);
      } catch (err) {
        if (err instanceof UnknownSpeciesError) throw new UnknownSpeciesError(err.species, err.suggestions, `${path} record ${r.id}`);
        throw err;
      }
    }
    items.push({ id: r.id, species: r.species, sequence: r.sequence.toUpperCase(), ...(speciesProxy ? { speciesProxy } : {}) });
  }
  return items;
}
