import { initWeights } from "../../src/model/init-weights.js";
import type { BertConfig, Conditioning } from "../../src/model/config.js";
import { saveModelFolder } from "../../src/model/model-folder.js";
import { type PresetName, presetConfig } from "../../src/model/presets.js";
import { buildVocab } from "../../src/tokenizer/build-vocab.js";

export interface RandomModelOptions {
  readonly k: number;
  readonly conditioning?: Conditioning;
  readonly species?: readonly string[];
  readonly preset?: PresetName;
  readonly positions?: number;
  /** Std of the random weights: larger than HF's 0.02 so predictions are far from uniform and scores informative. */
  readonly initializerRange?: number;
  /** Extra config fields (e.g. region, regionLength). */
  readonly config?: Partial<BertConfig>;
  readonly seed?: number;
}

/**
 * A model folder in the exact Hugging Face SpeciesLM layout (config.json, vocab.txt,
 * special_tokens_map.json, model.safetensors) with random weights: any k, conditioning and positions,
 * in milliseconds instead of a training run. Returns the config written.
 */
export async function writeRandomModel(dir: string, o: RandomModelOptions): Promise<BertConfig> {
  const species = o.species ?? ["alpha", "beta"];
  const vocab = buildVocab({ k: o.k, species });
  const conditioning = o.conditioning ?? "token";
  const base = presetConfig(o.preset ?? "tiny", {
    vocabSize: vocab.size,
    conditioning,
    numSpecies: conditioning === "embedding" ? species.length : 0,
    kmerSize: o.k,
    species,
    maxPositionEmbeddings: o.positions ?? 512,
  });
  const config: BertConfig = { ...base, initializerRange: o.initializerRange ?? 0.3, ...o.config };
  await saveModelFolder(dir, { config, vocab, weights: initWeights(config, o.seed ?? 5) });
  return config;
}
