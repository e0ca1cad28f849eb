import type { HostTensor } from "../graph/host-tensor.js";
import { numel } from "../graph/host-tensor.js";
import type { BertConfig } from "./config.js";
import { paramLayout } from "./param-layout.js";
import type { Weights } from "./weights.js";

/** xoshiro128** (Blackman & Vigna): a small, fast, seedable 32-bit PRNG; state seeded by splitmix32. */
export class Xoshiro128 {
  private s = new Uint32Array(4);
  private spare: number | undefined;

  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32 spreads a small seed over the 128-bit state (an all-zero state would be stuck).
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** Next uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1] as number, 5), 7), 9) >>> 0;
    const t = (s[1] as number) << 9;
    s[2] = (s[2] as number) ^ (s[0] as number);
    s[3] = (s[3] as number) ^ (s[1] as number);
    s[1] = (s[1] as number) ^ (s[2] as number);
    s[0] = (s[0] as number) ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return result;
  }

  /** Uniform in (0, 1): never 0, so log() in Box-Muller is finite. */
  uniform(): number {
    return (this.nextU32() + 0.5) / 4294967296;
  }

  /** Standard normal by Box-Muller (pairs; the second value is kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Deterministic random weights like Hugging Face's BertPreTrainedModel._init_weights:
 * weights and embeddings ~ normal(0, initializer_range), biases 0, LayerNorm weight 1 / bias 0,
 * the [PAD] row (pad_token_id) of the word embeddings 0. Same config + seed = same weights.
 */
export function initWeights(config: BertConfig, seed: number): Weights {
  const rng = new Xoshiro128(seed);
  const std = config.initializerRange;
  const weights: Weights = new Map();
  for (const [name, shape] of Object.entries(paramLayout(config))) {
    const data = new Float32Array(numel(shape));
    if (name.endsWith("LayerNorm.weight")) data.fill(1);
    else if (name.endsWith(".weight")) for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    if (name === "bert.embeddings.word_embeddings.weight") {
      const H = config.hiddenSize;
      data.fill(0, config.padTokenId * H, (config.padTokenId + 1) * H);
    }
    const t: HostTensor<"float32"> = { dtype: "float32", shape, data };
    weights.set(name, t);
  }
  return weights;
}
