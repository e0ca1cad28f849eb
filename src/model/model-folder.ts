import { existsSync, statSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, WeightsError } from "../errors.js";
import type { HostTensor } from "../host-tensor.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { writeVocabFiles } from "../tokenizer/build-vocab.js";
import { KmerTokenizer } from "../tokenizer/kmer-tokenizer.js";
import { readVocab, type Vocab } from "../tokenizer/vocab.js";
import { type BertConfig, bertConfigToJson, parseBertConfig } from "./config.js";
import { readSafetensors, writeSafetensors } from "./safetensors.js";
import { readTorchCheckpoint } from "./torch-pickle.js";
import { normaliseWeights, weightsForSaving, type Weights } from "./weights.js";

/**
 * A Hugging Face SpeciesLM snapshot folder: config.json, vocab.txt (+ special_tokens_map.json,
 * tokenizer_config.json) and model.safetensors or pytorch_model.bin.
 */
export interface ModelFolder {
  readonly dir: string;
  readonly config: BertConfig;
  readonly vocab: Vocab;
  readonly tokenizer: KmerTokenizer;
  /** Every parameter of `paramLayout(config)`, float32, tied decoder keys folded away. */
  readonly weights: Weights;
  /** The weight file that was read. */
  readonly weightsFile: string;
}

export const WEIGHT_FILES = ["model.safetensors", "pytorch_model.bin"] as const;

/** Reads and validates config.json of a model folder. */
export async function readModelConfig(dir: string): Promise<BertConfig> {
  const path = join(dir, "config.json");
  if (!existsSync(path)) throw new ConfigError(`no config.json in ${dir}: a model folder needs config.json, vocab.txt and weights`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON`, { cause: err });
  }
  return parseBertConfig(json, path);
}

/** The weight file a folder would load (model.safetensors preferred), or a WeightsError. */
export function findWeightsFile(dir: string): string {
  for (const f of WEIGHT_FILES) {
    const p = join(dir, f);
    if (existsSync(p)) return p;
  }
  throw new WeightsError(`a folder without weights: expected model.safetensors or pytorch_model.bin in ${dir}`);
}

/** Raw tensors of a weight file by format (safetensors or PyTorch zip pickle). */
export async function readWeightsFile(path: string): Promise<Map<string, HostTensor>> {
  if (path.endsWith(".safetensors")) return (await readSafetensors(path)).tensors;
  return readTorchCheckpoint(path);
}

function checkVocab(vocab: Vocab, config: BertConfig, dir: string): void {
  if (vocab.size !== config.vocabSize) {
    throw new WeightsError(
      `${dir}: vocab does not match the weights: vocab.txt has ${vocab.size} tokens but config.json vocab_size is ` +
        `${config.vocabSize}; use the vocab.txt that was saved with this model`,
    );
  }
  if (config.kmerSize !== undefined && config.kmerSize !== vocab.k) {
    throw new ConfigError(`${dir}: config.json says specieslm_kmer_size ${config.kmerSize} but vocab.txt holds ${vocab.k}-mers`);
  }
  if (config.conditioning === "embedding" && vocab.speciesNames.length > config.numSpecies) {
    throw new ConfigError(
      `${dir}: vocab lists ${vocab.speciesNames.length} species but specieslm_num_species is ${config.numSpecies}`,
    );
  }
}

/**
 * The model folder `dir` names: itself, or the last checkpoint of a `specieslm train --out` run folder
 * (`dir/checkpoint`, when `dir` has no config.json of its own). `fromRun` says which, so a command
 * can tell the user.
 */
export function resolveModelDir(dir: string): { dir: string; fromRun: boolean } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError(`model folder ${dir} does not exist; give a folder holding config.json, vocab.txt and weights`);
  }
  const ck = join(dir, "checkpoint");
  if (!existsSync(join(dir, "config.json")) && existsSync(join(ck, "config.json"))) return { dir: ck, fromRun: true };
  return { dir, fromRun: false };
}

/**
 * Loads a model folder (or a training run's last checkpoint, resolveModelDir): validated config,
 * tokenizer and checked float32 weights (model.safetensors preferred over pytorch_model.bin). Errors
 * name the folder and the fix.
 */
export async function loadModelFolder(folder: string): Promise<ModelFolder> {
  const { dir } = resolveModelDir(folder);
  const config = await readModelConfig(dir);
  const vocab = await readVocab(dir, config.kmerSize !== undefined ? { k: config.kmerSize } : {});
  checkVocab(vocab, config, dir);
  const weightsFile = findWeightsFile(dir);
  const weights = normaliseWeights(await readWeightsFile(weightsFile), config, weightsFile);
  return { dir, config, vocab, tokenizer: new KmerTokenizer(vocab), weights, weightsFile };
}

export interface SaveModelInput {
  readonly config: BertConfig;
  readonly vocab: Vocab;
  readonly weights: ReadonlyMap<string, HostTensor<"float32">>;
}

/**
 * Writes a loadable model folder: config.json, vocab.txt, special_tokens_map.json,
 * tokenizer_config.json and model.safetensors (tied decoder keys left out, as Hugging Face saves),
 * each file atomically.
 */
export async function saveModelFolder(dir: string, model: SaveModelInput): Promise<void> {
  const { config, vocab } = model;
  checkVocab(vocab, config, dir);
  const tensors = weightsForSaving(model.weights, config);
  await mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, "model.safetensors"), tensors, { format: "pt" });
  await writeVocabFiles(dir, vocab, { modelMaxLength: config.maxPositionEmbeddings });
  await writeFileAtomic(join(dir, "config.json"), JSON.stringify(bertConfigToJson(config), null, 2) + "\n");
}
