import { ConfigError } from "../errors.js";

/** How a model is told the species. */
export type Conditioning = "token" | "embedding" | "none";

/** A validated BERT masked-LM config (Hugging Face `config.json`, camel-cased, plus our extra fields). */
export interface BertConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly maxPositionEmbeddings: number;
  readonly typeVocabSize: number;
  readonly layerNormEps: number;
  readonly hiddenAct: "gelu";
  readonly padTokenId: number;
  readonly hiddenDropoutProb: number;
  readonly attentionProbsDropoutProb: number;
  readonly initializerRange: number;
  /** Our extension (`specieslm_conditioning` in config.json); absent means "token" (published SpeciesLM). */
  readonly conditioning: Conditioning;
  /** Rows of the species embedding table when conditioning = "embedding" (`specieslm_num_species`). */
  readonly numSpecies: number;
  /** `specieslm_kmer_size`: k of the overlapping k-mer tokens, when the config states it. */
  readonly kmerSize?: number;
  /** `specieslm_species`: informational list of species names (the vocab files are authoritative). */
  readonly species?: readonly string[];
  /**
   * `specieslm_edge_masks`: "minimal" when the model was trained on edge spans (train/masking.ts), so
   * reconstruction hides an edge nucleotide with only the tokens that cover it; absent = the published
   * recipe's full span of k at the ends.
   */
  readonly edgeMasks?: EdgeMasks;
  /** `specieslm_region`: the region type the model was trained on (corpus.json's region), when stated. */
  readonly region?: Region;
  /**
   * `specieslm_region_length`: nucleotides of a full region (the longest training record). A
   * five_prime model reads shorter sequences left-padded to this length, so the start codon keeps
   * its position (runtime/sequence-window.ts).
   */
  readonly regionLength?: number;
}

/** Region types a model can be trained on (as `extract --region`). */
export type Region = "three_prime" | "five_prime";

/** How reconstruction masks the first and last k-1 nucleotides (infer/reconstruct.ts). */
export type EdgeMasks = "span" | "minimal";

/**
 * Our extra config.json keys, all optional so a published Hugging Face config loads unchanged:
 * - `specieslm_conditioning`: "token" (species name is a token after [CLS], as published; default),
 *   "embedding" (a learned per-species vector added to every token embedding; the weights then hold
 *   `specieslm.species_embeddings.weight` [numSpecies, hidden]) or "none" (species-agnostic).
 * - `specieslm_num_species`: rows of that table (required for "embedding").
 * - `specieslm_species`: the species names, informational.
 * - `specieslm_kmer_size`: k of the tokenizer.
 * - `specieslm_edge_masks`: "minimal" for models trained on edge spans (BertConfig.edgeMasks).
 * - `specieslm_region`, `specieslm_region_length`: the training regions' type and full length.
 */
type Field = Exclude<keyof BertConfig, "hiddenAct" | "conditioning" | "species" | "edgeMasks" | "region">;

interface NumberField {
  readonly key: Field;
  /** The Hugging Face key, then the aliases other configs use for the same thing. */
  readonly names: readonly string[];
  readonly kind: "posint" | "nonnegint" | "prob" | "posnum";
  /** Default when absent (Hugging Face BertConfig defaults); undefined = required. */
  readonly fallback?: number;
}

/** The one table of HF key names and aliases (transformers' `attribute_map` style). */
const NUMBER_FIELDS: readonly NumberField[] = [
  { key: "vocabSize", names: ["vocab_size", "n_vocab"], kind: "posint" },
  { key: "hiddenSize", names: ["hidden_size", "n_embd", "d_model", "dim"], kind: "posint" },
  { key: "numHiddenLayers", names: ["num_hidden_layers", "n_layer", "num_layers", "n_layers"], kind: "posint" },
  { key: "numAttentionHeads", names: ["num_attention_heads", "n_head", "num_heads", "n_heads"], kind: "posint" },
  { key: "intermediateSize", names: ["intermediate_size", "n_inner", "ffn_dim", "hidden_dim"], kind: "posint" },
  { key: "maxPositionEmbeddings", names: ["max_position_embeddings", "n_positions", "n_ctx"], kind: "posint" },
  { key: "typeVocabSize", names: ["type_vocab_size"], kind: "posint", fallback: 2 },
  { key: "layerNormEps", names: ["layer_norm_eps", "layer_norm_epsilon"], kind: "posnum", fallback: 1e-12 },
  { key: "padTokenId", names: ["pad_token_id"], kind: "nonnegint", fallback: 0 },
  { key: "hiddenDropoutProb", names: ["hidden_dropout_prob", "hidden_dropout", "dropout"], kind: "prob", fallback: 0.1 },
  {
    key: "attentionProbsDropoutProb",
    names: ["attention_probs_dropout_prob", "attention_dropout"],
    kind: "prob",
    fallback: 0.1,
  },
  { key: "initializerRange", names: ["initializer_range"], kind: "posnum", fallback: 0.02 },
  { key: "numSpecies", names: ["specieslm_num_species"], kind: "nonnegint", fallback: 0 },
  { key: "kmerSize", names: ["specieslm_kmer_size"], kind: "posint", fallback: undefined },
  { key: "regionLength", names: ["specieslm_region_length"], kind: "posint", fallback: undefined },
];

const OPTIONAL_FIELDS: ReadonlySet<Field> = new Set(["kmerSize", "regionLength"]);

function checkNumber(v: unknown, kind: NumberField["kind"]): string | undefined {
  if (typeof v !== "number" || !Number.isFinite(v)) return "must be a number";
  if ((kind === "posint" || kind === "nonnegint") && !Number.isInteger(v)) return "must be an integer";
  if ((kind === "posint" || kind === "posnum") && v <= 0) return "must be > 0";
  if (kind === "nonnegint" && v < 0) return "must be >= 0";
  if (kind === "prob" && (v < 0 || v >= 1)) return "must be in [0, 1)";
  return undefined;
}

function pick(obj: Record<string, unknown>, names: readonly string[]): [string, unknown] | undefined {
  for (const n of names) if (obj[n] !== undefined && obj[n] !== null) return [n, obj[n]];
  return undefined;
}

function readNumbers(obj: Record<string, unknown>, problems: string[]): Map<Field, number> {
  const out = new Map<Field, number>();
  for (const f of NUMBER_FIELDS) {
    const found = pick(obj, f.names);
    if (found === undefined) {
      if (f.fallback !== undefined) out.set(f.key, f.fallback);
      else if (!OPTIONAL_FIELDS.has(f.key)) problems.push(`missing "${f.names[0]}"`);
      continue;
    }
    const bad = checkNumber(found[1], f.kind);
    if (bad) problems.push(`"${found[0]}" ${bad} (got ${JSON.stringify(found[1])})`);
    else out.set(f.key, found[1] as number);
  }
  return out;
}

function readStrings(
  obj: Record<string, unknown>,
  problems: string[],
): {
  conditioning: Conditioning;
  species: readonly string[] | undefined;
  edgeMasks: EdgeMasks | undefined;
  region: Region | undefined;
} {
  const act = obj["hidden_act"] ?? "gelu";
  if (act !== "gelu") {
    problems.push(
      `"hidden_act" is ${JSON.stringify(act)}: the graph builder can only honour "gelu" (exact erf GELU, ` +
        `as Hugging Face); other activations would silently change the model's outputs`,
    );
  }
  const pos = obj["position_embedding_type"] ?? "absolute";
  if (pos !== "absolute") problems.push(`"position_embedding_type" is ${JSON.stringify(pos)}: only "absolute" is supported`);
  const modelType = obj["model_type"];
  if (modelType !== undefined && modelType !== "bert") {
    problems.push(`"model_type" is ${JSON.stringify(modelType)}: only "bert" (BertForMaskedLM) is supported`);
  }
  const cond = obj["specieslm_conditioning"] ?? "token";
  let conditioning: Conditioning = "token";
  if (cond === "token" || cond === "embedding" || cond === "none") conditioning = cond;
  else problems.push(`"specieslm_conditioning" must be "token", "embedding" or "none" (got ${JSON.stringify(cond)})`);
  const sp = obj["specieslm_species"];
  let species: readonly string[] | undefined;
  if (sp !== undefined && sp !== null) {
    if (Array.isArray(sp) && sp.every((s) => typeof s === "string")) species = sp as string[];
    else problems.push(`"specieslm_species" must be a list of strings`);
  }
  const edges = obj["specieslm_edge_masks"];
  if (edges !== undefined && edges !== null && edges !== "span" && edges !== "minimal")
    problems.push(`"specieslm_edge_masks" must be "span" or "minimal" (got ${JSON.stringify(edges)})`);
  const region = obj["specieslm_region"];
  if (region !== undefined && region !== null && region !== "three_prime" && region !== "five_prime")
    problems.push(`"specieslm_region" must be "three_prime" or "five_prime" (got ${JSON.stringify(region)})`);
  return {
    conditioning,
    species,
    edgeMasks: edges === "span" || edges === "minimal" ? edges : undefined,
    region: region === "three_prime" || region === "five_prime" ? region : undefined,
  };
}

function crossCheck(c: BertConfig, problems: string[]): void {
  if (c.hiddenSize % c.numAttentionHeads !== 0) {
    problems.push(`"hidden_size" ${c.hiddenSize} is not a multiple of "num_attention_heads" ${c.numAttentionHeads}`);
  }
  if (c.padTokenId >= c.vocabSize) problems.push(`"pad_token_id" ${c.padTokenId} is outside the vocabulary (${c.vocabSize})`);
  if (c.conditioning === "embedding" && c.numSpecies <= 0) {
    problems.push(`"specieslm_conditioning" is "embedding" but "specieslm_num_species" is missing or 0`);
  }
}

/**
 * Validates a parsed config.json into a BertConfig. Every missing or bad key is listed in one
 * ConfigError, so a user fixes the file once. `file` names the source in the message.
 */
export function parseBertConfig(json: unknown, file: string): BertConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ConfigError(`${file}: expected a JSON object (a Hugging Face config.json)`);
  }
  const obj = json as Record<string, unknown>;
  const problems: string[] = [];
  const nums = readNumbers(obj, problems);
  const { conditioning, species, edgeMasks, region } = readStrings(obj, problems);
  if (problems.length === 0) {
    const n = (k: Field): number => nums.get(k) as number;
    const kmer = nums.get("kmerSize");
    const regionLength = nums.get("regionLength");
    const config: BertConfig = {
      vocabSize: n("vocabSize"),
      hiddenSize: n("hiddenSize"),
      numHiddenLayers: n("numHiddenLayers"),
      numAttentionHeads: n("numAttentionHeads"),
      intermediateSize: n("intermediateSize"),
      maxPositionEmbeddings: n("maxPositionEmbeddings"),
      typeVocabSize: n("typeVocabSize"),
      layerNormEps: n("layerNormEps"),
      hiddenAct: "gelu",
      padTokenId: n("padTokenId"),
      hiddenDropoutProb: n("hiddenDropoutProb"),
      attentionProbsDropoutProb: n("attentionProbsDropoutProb"),
      initializerRange: n("initializerRange"),
      conditioning,
      numSpecies: n("numSpecies") || (conditioning === "embedding" ? 0 : (species?.length ?? 0)),
      ...(kmer !== undefined ? { kmerSize: kmer } : {}),
      ...(species !== undefined ? { species } : {}),
      ...(edgeMasks !== undefined ? { edgeMasks } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(regionLength !== undefined ? { regionLength } : {}),
    };
    crossCheck(config, problems);
    if (problems.length === 0) return config;
  }
  throw new ConfigError(`${file}: invalid model config:\n  - ${problems.join("\n  - ")}\nFix these keys and retry.`);
}

/**
 * A Hugging Face compatible config.json object (BertForMaskedLM): transformers loads it as is for
 * "token" and "none" conditioning; our `specieslm_*` keys ride along as extra attributes.
 */
export function bertConfigToJson(c: BertConfig): Record<string, unknown> {
  return {
    architectures: ["BertForMaskedLM"],
    model_type: "bert",
    attention_probs_dropout_prob: c.attentionProbsDropoutProb,
    hidden_act: c.hiddenAct,
    hidden_dropout_prob: c.hiddenDropoutProb,
    hidden_size: c.hiddenSize,
    initializer_range: c.initializerRange,
    intermediate_size: c.intermediateSize,
    layer_norm_eps: c.layerNormEps,
    max_position_embeddings: c.maxPositionEmbeddings,
    num_attention_heads: c.numAttentionHeads,
    num_hidden_layers: c.numHiddenLayers,
    pad_token_id: c.padTokenId,
    position_embedding_type: "absolute",
    torch_dtype: "float32",
    type_vocab_size: c.typeVocabSize,
    use_cache: true,
    vocab_size: c.vocabSize,
    specieslm_conditioning: c.conditioning,
    specieslm_num_species: c.numSpecies,
    ...(c.kmerSize !== undefined ? { specieslm_kmer_size: c.kmerSize } : {}),
    ...(c.species !== undefined ? { specieslm_species: [...c.species] } : {}),
    ...(c.edgeMasks !== undefined ? { specieslm_edge_masks: c.edgeMasks } : {}),
    ...(c.region !== undefined ? { specieslm_region: c.region } : {}),
    ...(c.regionLength !== undefined ? { specieslm_region_length: c.regionLength } : {}),
  };
}
