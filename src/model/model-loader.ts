import { ConfigError, WeightsError } from "../errors.js";
import { OPTIONAL_FILES, WEIGHT_FILES } from "../hub/model-files.js";
import type { HostTensor } from "../host-tensor.js";
import type { FileSource } from "../io/file-source.js";
import { KmerTokenizer } from "../tokenizer/kmer-tokenizer.js";
import { readVocabFrom, type Vocab } from "../tokenizer/vocabulary.js";
import { type BertConfig, parseBertConfig } from "./config.js";
import { normaliseWeights, type Weights } from "./weights.js";

export { OPTIONAL_FILES, WEIGHT_FILES };

/**
 * Loading a Hugging Face SpeciesLM folder from a FileSource, so the same checks run on disk
 * (model-folder.ts) and on files picked in a browser (runtime/web-masked-lm.ts). No Node imports.
 */

/** A SpeciesLM snapshot folder: config.json, vocab.txt (+ special_tokens_map.json, tokenizer_config.json) and weights. */
export interface ModelFolder {
  readonly dir: string;
  readonly config: BertConfig;
  readonly vocab: Vocab;
  readonly tokenizer: KmerTokenizer;
  /** Every parameter of `paramLayout(config)`, float32, tied decoder keys folded away (empty for a ready ONNX graph). */
  readonly weights: Weights;
  /** The weight file that was read. */
  readonly weightsFile: string;
}

/** Config, vocabulary and tokenizer: everything of a model folder but the weights. */
export type ModelHeader = Pick<ModelFolder, "dir" | "config" | "vocab" | "tokenizer">;

/** Reads a weight file of a source into raw tensors by name. */
export type WeightsReader = (src: FileSource, file: string) => Promise<Map<string, HostTensor>>;

/** Reads and validates config.json. */
export async function readModelConfigFrom(src: FileSource): Promise<BertConfig> {
  if (!src.has("config.json")) throw new ConfigError(`no config.json in ${src.dir}: a model folder needs config.json, vocab.txt and weights`);
  const path = src.path("config.json");
  let json: unknown;
  try {
    json = JSON.parse(await src.text("config.json"));
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON`, { cause: err });
  }
  return parseBertConfig(json, path);
}

export function checkVocab(vocab: Vocab, config: BertConfig, dir: string): void {
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
    throw new ConfigError(`${dir}: vocab lists ${vocab.speciesNames.length} species but specieslm_num_species is ${config.numSpecies}`);
  }
}

/** Validated config and the tokenizer that matches it. */
export async function readModelHeader(src: FileSource): Promise<ModelHeader> {
  const config = await readModelConfigFrom(src);
  const vocab = await readVocabFrom(src, config.kmerSize !== undefined ? { k: config.kmerSize } : {});
  checkVocab(vocab, config, src.dir);
  return { dir: src.dir, config, vocab, tokenizer: new KmerTokenizer(vocab) };
}

/**
 * Loads a model folder with the first weight file of `readers` (in their order) that the source holds;
 * `missing` says what to do when there is none.
 */
export async function loadModelFrom(src: FileSource, readers: Readonly<Record<string, WeightsReader>>, missing: string): Promise<ModelFolder> {
  const header = await readModelHeader(src);
  const file = Object.keys(readers).find((f) => src.has(f));
  if (file === undefined) throw new WeightsError(`a folder without weights: ${missing}`);
  const weightsFile = src.path(file);
  const weights = normaliseWeights(await readers[file]!(src, file), header.config, weightsFile);
  return { ...header, weights, weightsFile };
}
