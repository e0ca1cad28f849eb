import { f32 } from "../../src/host-tensor.js";
import { SPECIES_EMBEDDINGS } from "../../src/model/param-layout.js";
import { MaskedLanguageModel } from "../../src/runtime/masked-lm.js";
import { FIXTURE } from "./shared.js";

/**
 * The tiny random-weight fixture in each conditioning mode, for the species-lens tests. "embedding" gets a
 * species table built from `rows` ([species][H], default three pairs of near-identical rows), so the
 * expected species map is known by construction.
 */
export const TINY_MODEL = `${FIXTURE}model`;

export async function tinyModel(mode: "token" | "embedding" | "none", rows?: number[][]): Promise<MaskedLanguageModel> {
  const base = await MaskedLanguageModel.load(TINY_MODEL, { threads: 1 });
  if (mode === "token") return base;
  const f = base.folder;
  const S = f.vocab.speciesNames.length;
  const H = f.config.hiddenSize;
  const weights = new Map(f.weights);
  if (mode === "embedding") weights.set(SPECIES_EMBEDDINGS, f32([S, H], (rows ?? pairedRows(S, H)).flat()));
  const config = { ...f.config, conditioning: mode, numSpecies: mode === "embedding" ? S : 0 };
  return new MaskedLanguageModel({ ...f, config, weights }, { threads: 1 });
}

/** Species 2g and 2g+1 share direction e_g (scale 2) and differ by 0.3 along their own axis. */
export function pairedRows(S: number, H: number): number[][] {
  return Array.from({ length: S }, (_, i) => {
    const v = new Array<number>(H).fill(0);
    v[Math.floor(i / 2)] = 2;
    v[16 + i] = 0.6;
    return v;
  });
}
