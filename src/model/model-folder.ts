import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, WeightsError } from "../errors.js";
import type { HostTensor } from "../host-tensor.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { dirSource } from "../io/dir-source.js";
import { publishedCheckpointAt } from "../hub/published-region.js";
import { writeVocabFiles } from "../tokenizer/build-vocab.js";
import type { Vocab } from "../tokenizer/vocabulary.js";
import { type BertConfig, bertConfigToJson } from "./config.js";
import { checkVocab, loadModelFrom, type ModelFolder, readModelConfigFrom, type WeightsReader } from "./model-loader.js";
import { WEIGHT_FILES } from "../hub/model-files.js";
import { readSafetensors, writeSafetensors } from "./safetensors.js";
import { readTorchCheckpoint } from "./torch-pickle.js";
import { weightsForSaving } from "./weights.js";

// Model folders on disk; the checks shared with the browser live in model-loader.ts.

export type { ModelFolder } from "./model-loader.js";

/** Reads and validates config.json of a model folder. */
export function readModelConfig(dir: string): Promise<BertConfig> {
  return readModelConfigFrom(dirSource(dir));
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
  const read: WeightsReader = (src, file) => readWeightsFile(src.path(file));
  const loaded = await loadModelFrom(
    dirSource(dir),
    Object.fromEntries(WEIGHT_FILES.map((f) => [f, read])),
    `expected model.safetensors or pytorch_model.bin in ${dir}`,
  );
  if (loaded.config.region !== undefined) return loaded;
  // A published checkpoint's config.json does not say its region: a 5' model must still left-pad.
  const published = publishedCheckpointAt(dir);
  return published ? { ...loaded, config: { ...loaded.config, region: published.region, regionLength: published.regionLength } } : loaded;
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
