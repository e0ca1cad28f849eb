import type { HostTensor } from "../host-tensor.js";
import { numel } from "../host-tensor.js";
import type { BertConfig } from "./config.js";
import { paramLayout } from "./param-layout.js";
import type { Weights } from "./weights.js";
import { mulberry32 } from "../rng.js";

/**
 * Deterministic random weights like Hugging Face's BertPreTrainedModel._init_weights:
 * weights and embeddings ~ normal(0, initializer_range), biases 0, LayerNorm weight 1 / bias 0,
 * the [PAD] row (pad_token_id) of the word embeddings 0. Same config + seed = same weights.
 */
export function initWeights(config: BertConfig, seed: number): Weights {
  const rng = mulberry32(seed);
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
