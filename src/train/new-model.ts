import { existsSync } from "node:fs";
import { ConfigError, InputError } from "../errors.js";
import type { HostTensor } from "../host-tensor.js";
import type { BertConfig } from "../model/config.js";
import { loadModelFolder } from "../model/model-folder.js";
import { paramLayout } from "../model/param-layout.js";
import { type PresetName, PRESETS, presetConfig, readConfigFile } from "../model/presets.js";
import type { Vocab } from "../tokenizer/vocab.js";
import type { TrainOptions } from "./train-options.js";

// The model a fresh run starts from: its config (preset or file, sized to the corpus) and --init-from weights.

const DEFAULT_POSITIONS = 512;

/** Positions a preset model gets: 512 (as published) or, for longer rows (5' regions), the next power of two. */
export function positionsFor(longestRow: number): number {
  let n = DEFAULT_POSITIONS;
  while (n < longestRow) n *= 2;
  return n;
}

/**
 * The corpus's region type and full length (the longest training record) for config.json, so
 * inference reads a five_prime model's shorter sequences left-padded to that length.
 */
export function regionFields(region: string | null, records: readonly { sequence: string }[]): Pick<BertConfig, "region" | "regionLength"> {
  if (region !== "three_prime" && region !== "five_prime") return {};
  let longest = 0;
  for (const r of records) longest = Math.max(longest, r.sequence.length);
  return longest > 0 ? { region, regionLength: longest } : { region };
}

/** The config of `--config` (a preset sized to the corpus, or a file that must fit its vocabulary). */
export async function newModelConfig(o: TrainOptions, vocab: Vocab, species: readonly string[], longestRow: number): Promise<BertConfig> {
  const common = {
    vocabSize: vocab.size,
    conditioning: o.conditioning,
    numSpecies: species.length,
    kmerSize: vocab.k,
    species,
    maxPositionEmbeddings: positionsFor(longestRow),
  };
  if (o.config in PRESETS) return presetConfig(o.config as PresetName, common);
  if (!existsSync(o.config)) throw new ConfigError(`--config "${o.config}" is neither a preset (${Object.keys(PRESETS).join(", ")}) nor a file`);
  const c = await readConfigFile(o.config);
  if (c.vocabSize !== vocab.size) {
    throw new ConfigError(
      `${o.config}: vocab_size ${c.vocabSize} does not fit the corpus vocabulary (${vocab.size} tokens: 5 specials, ${4 ** vocab.k} k-mers, ${species.length} species); set vocab_size to ${vocab.size}`,
    );
  }
  return { ...c, conditioning: o.conditioning, numSpecies: species.length };
}

/** Weights of a checkpoint to continue from, after checking it is the model `config` describes. */
export async function startingWeights(dir: string, config: BertConfig, species: readonly string[]): Promise<Map<string, HostTensor<"float32">>> {
  const from = await loadModelFolder(dir);
  const got = from.vocab.speciesNames.join(",");
  if (got !== species.join(",")) {
    throw new InputError(
      `--init-from ${dir}: its species (${got}) are not the corpus's (${species.join(",")}); continue a model only on a corpus of the same species`,
    );
  }
  const shape = (c: BertConfig) =>
    `${c.conditioning}, ${c.numHiddenLayers} layers, hidden ${c.hiddenSize}, ${c.numAttentionHeads} heads, intermediate ${c.intermediateSize}, ${c.maxPositionEmbeddings} positions, vocab ${c.vocabSize}`;
  if (shape(from.config) !== shape(config)) {
    throw new InputError(
      `--init-from ${dir}: the checkpoint is (${shape(from.config)}) but --config/--conditioning give (${shape(config)}); pass the ones it was trained with`,
    );
  }
  const weights = new Map<string, HostTensor<"float32">>();
  for (const name of Object.keys(paramLayout(config))) {
    const t = from.weights.get(name);
    if (t?.dtype !== "float32") throw new InputError(`--init-from ${dir}: no float32 tensor ${name} in its weights`);
    weights.set(name, t as HostTensor<"float32">);
  }
  return weights;
}
