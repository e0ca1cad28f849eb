import type { HostTensor } from "../host-tensor.js";
import { numel } from "../host-tensor.js";
import type { BertConfig } from "./config.js";
import { paramLayout, SPECIES_EMBEDDINGS } from "./param-layout.js";
import type { Weights } from "./weights.js";
import { mulberry32, type Rng } from "../rng.js";
import { ConfigError } from "../errors.js";

/**
 * How the embeddings and attention start.
 * - `random`: as Hugging Face (every row independent).
 * - `structured`: a random start leaves a model on the unigram plateau for a long time, because nothing
 *   tells it which bases a k-mer holds nor how to find its neighbours (docs/decisions/structured-init.md). Here the hidden dimensions split into a positional block (one head
 *   wide) and a word block: positions are cosine/sine pairs at evenly spaced frequencies in (0, pi),
 *   whose dot products vanish at every integer offset that is not a multiple of the head width (a
 *   Dirichlet kernel: 32 tokens for mini; it flips sign there, so a head peaks again 2d = 64 tokens
 *   away, which training is left to undo), and each k-mer row is the sum of one random vector per
 *   (offset, base). In every layer, heads 0..3 start on the tokens at offsets -1, +1, -k, +k (-2, +2
 *   for single nucleotides; the query rotates the positional pairs by the offset), the rest random.
 *   Every parameter stays free: only the starting point differs.
 */
export type EmbeddingInit = "random" | "structured";

export interface InitOptions {
  readonly embeddings?: EmbeddingInit;
  /** k-mer code (base-4, first base most significant) -> vocab id; needed for `structured`. */
  readonly kmerIds?: Int32Array;
}

/**
 * Deterministic random weights like Hugging Face's BertPreTrainedModel._init_weights:
 * weights and embeddings ~ normal(0, initializer_range), biases 0, LayerNorm weight 1 / bias 0,
 * the [PAD] row (pad_token_id) of the word embeddings 0. Same config + seed + options = same weights.
 */
export function initWeights(config: BertConfig, seed: number, opts: InitOptions = {}): Weights {
  if (opts.embeddings === "structured" && config.numAttentionHeads < 2) {
    throw new ConfigError(`structured init needs at least 2 attention heads, to start on the neighbours (has ${config.numAttentionHeads}); use --init random`);
  }
  const rng = mulberry32(seed);
  const std = config.initializerRange;
  const weights: Weights = new Map();
  for (const [name, shape] of Object.entries(paramLayout(config))) {
    const data = new Float32Array(numel(shape));
    if (name.endsWith("LayerNorm.weight")) data.fill(1);
    else if (name.endsWith(".weight")) for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    if (opts.embeddings === "structured") structure(name, data, config, opts.kmerIds, rng);
    if (name === "bert.embeddings.word_embeddings.weight") {
      const H = config.hiddenSize;
      data.fill(0, config.padTokenId * H, (config.padTokenId + 1) * H);
    }
    const t: HostTensor<"float32"> = { dtype: "float32", shape, data };
    weights.set(name, t);
  }
  return weights;
}

/**
 * Offsets (in tokens) that heads 0..3 of every layer attend to at the start of `structured` (as many
 * of them as the model has heads; heads past the fourth start random): the neighbours, and the tokens
 * k away. A masked span of k tokens has its visible context at the tokens just outside it, one
 * step from one edge and k steps from the other, so with heads at +-k both edge tokens of a span see
 * both sides of the hidden nucleotide in the first layer (docs/decisions/structured-init.md).
 */
export function headOffsets(k: number, heads: number): number[] {
  // With single nucleotides (k = 1) the tokens k away are the neighbours: the second pair reaches the
  // tokens 2 away instead, so the first layer reads the two bases either side of a masked one (the
  // context of an order-2 chain, and of the (2,2) k-mer baseline).
  const far = k > 1 ? k : 2;
  return [-1, 1, -far, far].slice(0, heads);
}
/** Attention logit of the targeted offset at the start (the others get 0): a near one-hot pattern. */
const PEAK_LOGIT = 10;
/** Gain of the offset heads' copy into the word block at the start (k = 1; see routeValues). */
const ROUTE_GAIN = 0.5;

function structure(name: string, data: Float32Array, config: BertConfig, kmerIds: Int32Array | undefined, rng: Rng): void {
  const H = config.hiddenSize;
  const d = H / config.numAttentionHeads;
  if (name === "bert.embeddings.word_embeddings.weight") composeKmerRows(data, config, kmerIds, d, rng);
  else if (name === "bert.embeddings.position_embeddings.weight") positionPairs(data, H, d, config.initializerRange);
  // The token type vector is added to every token: it stays out of the positional block, where it would
  // shift every query alike and blur the offset heads.
  else if (name === "bert.embeddings.token_type_embeddings.weight") for (let r = 0; r < data.length / H; r++) data.fill(0, r * H, r * H + d);
  // Species vectors start at 0: the model starts as the agnostic one and learns what each species adds
  // (random ones kept the embedding model on the plateau: docs/decisions/structured-init.md).
  else if (name === SPECIES_EMBEDDINGS) data.fill(0);
  else {
    const offsets = headOffsets(config.kmerSize ?? 6, config.numAttentionHeads);
    const m = /attention\.self\.(query|key)\.weight$/.exec(name);
    if (m) offsetHeads(data, H, d, offsets, m[1] === "query");
    else if (config.kmerSize === 1 && name.endsWith("attention.self.value.weight")) routeValues(data, H, d, offsets.length, rng, "value");
    else if (config.kmerSize === 1 && name.endsWith("attention.output.dense.weight")) routeValues(data, H, d, offsets.length, rng, "output");
  }
}

function frequency(m: number, d: number): number {
  return (Math.PI * (m + 0.5)) / (d / 2);
}

/** k-mer rows: sums of per-(offset, base) vectors in the word block (dims d..H), variance std^2 per entry. */
function composeKmerRows(rows: Float32Array, config: BertConfig, kmerIds: Int32Array | undefined, d: number, rng: Rng): void {
  const k = config.kmerSize ?? 6;
  if (kmerIds?.length !== 4 ** k) throw new ConfigError(`structured init needs the vocabulary's ${4 ** k} k-mer ids (k = ${k})`);
  const H = config.hiddenSize;
  const parts = new Float32Array(k * 4 * H);
  const scale = config.initializerRange / Math.sqrt(k);
  for (let i = 0; i < parts.length; i++) parts[i] = rng.normal() * scale;
  for (let code = 0; code < kmerIds.length; code++) {
    const row = rows.subarray(kmerIds[code]! * H, (kmerIds[code]! + 1) * H);
    row.fill(0);
    for (let p = 0, c = code; p < k; p++, c = Math.floor(c / 4)) {
      const at = ((k - 1 - p) * 4 + (c % 4)) * H;
      for (let h = d; h < H; h++) row[h]! += parts[at + h]!;
    }
  }
}

/** Positions: cos/sin pairs in the positional block (dims 0..d), variance std^2 per entry; 0 elsewhere. */
function positionPairs(table: Float32Array, H: number, d: number, std: number): void {
  const amp = std * Math.SQRT2;
  table.fill(0);
  for (let pos = 0; pos < table.length / H; pos++) {
    for (let m = 0; m < d / 2; m++) {
      table[pos * H + 2 * m] = amp * Math.cos(frequency(m, d) * pos);
      table[pos * H + 2 * m + 1] = amp * Math.sin(frequency(m, d) * pos);
    }
  }
}

/**
 * Heads 0..offsets.length-1: keys copy the positional block (times c), queries copy it rotated by
 * the head's offset, so q_i . k_j = 2 c^2 v sum_m cos(w_m (i + offset - j)), with v the variance of a
 * positional entry after the embedding LayerNorm. The positional block holds variance std^2 per entry
 * and the word block 2 std^2 (word + token type), so v = H / (d + 2 (H - d)); the logit at the target,
 * c^2 v d / sqrt(d), is set to PEAK_LOGIT.
 */
function offsetHeads(w: Float32Array, H: number, d: number, offsets: readonly number[], query: boolean): void {
  const v = H / (d + 2 * (H - d));
  const c = Math.sqrt(PEAK_LOGIT / (v * Math.sqrt(d)));
  offsets.forEach((offset, head) => {
    w.fill(0, head * d * H, (head + 1) * d * H);
    for (let m = 0; m < d / 2; m++) {
      const theta = query ? frequency(m, d) * offset : 0;
      const [r0, r1] = [head * d + 2 * m, head * d + 2 * m + 1];
      w[r0 * H + 2 * m] = c * Math.cos(theta);
      w[r0 * H + 2 * m + 1] = -c * Math.sin(theta);
      w[r1 * H + 2 * m] = c * Math.sin(theta);
      w[r1 * H + 2 * m + 1] = c * Math.cos(theta);
    }
  });
}

/**
 * Single nucleotides only: the offset heads start by copying what they read into the word block at a
 * gain of ROUTE_GAIN, so a masked base's neighbours reach the MLM head from step 1. With the Hugging
 * Face scale (0.02 in both the value and the output projection) the copied signal is ~5% of the
 * residual and grows through a product of two small matrices, so k = 1 models sat on the composition
 * plateau where 6-mer models, whose neighbours already share 5 of the masked token's bases, leave it
 * early (docs/decisions/structured-init.md). `value`: rows of
 * head h (its d outputs) read the word block (inputs d..H); `output`: columns of head h write into
 * the word block (outputs d..H). Each factor is a random Gaussian map scaled so one head's copy has
 * the variance of its input times ROUTE_GAIN^2 / heads.
 */
function routeValues(w: Float32Array, H: number, d: number, heads: number, rng: Rng, part: "value" | "output"): void {
  for (let h = 0; h < heads; h++) {
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < H; c++) {
        const inHead = part === "value" ? r >= h * d && r < (h + 1) * d : c >= h * d && c < (h + 1) * d;
        if (!inHead) continue;
        const inWord = part === "value" ? c >= d : r >= d;
        w[r * H + c] = inWord ? rng.normal() * (part === "value" ? 1 / Math.sqrt(H - d) : ROUTE_GAIN / Math.sqrt(d * heads)) : 0;
      }
    }
  }
}
