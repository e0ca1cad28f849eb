import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import { type BertConfig, type Conditioning, parseBertConfig } from "./config.js";

/** Model sizes for new models; `base` is the published SpeciesLM (BERT-base). */
export const PRESETS = {
  tiny: { numHiddenLayers: 2, hiddenSize: 64, numAttentionHeads: 4, intermediateSize: 128 },
  mini: { numHiddenLayers: 4, hiddenSize: 128, numAttentionHeads: 4, intermediateSize: 512 },
  small: { numHiddenLayers: 4, hiddenSize: 256, numAttentionHeads: 4, intermediateSize: 1024 },
  base: { numHiddenLayers: 12, hiddenSize: 768, numAttentionHeads: 12, intermediateSize: 3072 },
} as const;

export type PresetName = keyof typeof PRESETS;

export interface PresetOptions {
  readonly vocabSize: number;
  readonly conditioning?: Conditioning;
  /** Rows of the species table (needed for conditioning "embedding"). */
  readonly numSpecies?: number;
  readonly kmerSize?: number;
  readonly species?: readonly string[];
  readonly maxPositionEmbeddings?: number;
}

/** A full config for a preset size (max positions 512, eps 1e-12, HF BERT defaults otherwise). */
export function presetConfig(name: PresetName, opts: PresetOptions): BertConfig {
  const p = PRESETS[name];
  if (p === undefined) throw new ConfigError(`unknown model preset "${name}"; choose one of ${Object.keys(PRESETS).join(", ")}`);
  const json: Record<string, unknown> = {
    vocab_size: opts.vocabSize,
    hidden_size: p.hiddenSize,
    num_hidden_layers: p.numHiddenLayers,
    num_attention_heads: p.numAttentionHeads,
    intermediate_size: p.intermediateSize,
    max_position_embeddings: opts.maxPositionEmbeddings ?? 512,
    layer_norm_eps: 1e-12,
    specieslm_conditioning: opts.conditioning ?? "token",
    specieslm_num_species: opts.numSpecies ?? opts.species?.length ?? 0,
    ...(opts.kmerSize !== undefined ? { specieslm_kmer_size: opts.kmerSize } : {}),
    ...(opts.species !== undefined ? { specieslm_species: [...opts.species] } : {}),
  };
  return parseBertConfig(json, `preset "${name}"`);
}

/** Reads a config from a JSON file (a Hugging Face config.json or one with our specieslm_* keys). */
export async function readConfigFile(path: string): Promise<BertConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON`, { cause: err });
  }
  return parseBertConfig(json, path);
}
