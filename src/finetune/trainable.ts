import { InputError } from "../errors.js";
import type { BertConfig } from "../model/config.js";
import { paramLayout } from "../model/param-layout.js";
import { HEAD_BIAS, HEAD_WEIGHT } from "./head.js";

/** How much of the encoder trains: the last N layers (0 = the head only) or all of it, embeddings included. */
export type TrainableLayers = number | "all";

/** Parses `--layers N|all` against the model's depth. */
export function parseLayers(value: string, numLayers: number): TrainableLayers {
  if (value === "all") return "all";
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > numLayers) {
    throw new InputError(`--layers must be an integer in [0, ${numLayers}] (the model has ${numLayers} layers) or "all", got "${value}"`);
  }
  return n;
}

/**
 * The parameters that get gradients and AdamW updates: the head, plus the encoder layers
 * L-N..L-1 (or, with "all", every encoder parameter and the embeddings). The masked-LM head (cls.*)
 * is not on the path to the prediction and stays as it was; so do the frozen layers below.
 */
export function trainableParams(c: BertConfig, layers: TrainableLayers): string[] {
  const encoder = Object.keys(paramLayout(c)).filter((n) => !n.startsWith("cls."));
  const first = firstTrainedLayer(c, layers) ?? 0;
  const picked = encoder.filter((n) => {
    if (layers === "all") return true;
    const m = /^bert\.encoder\.layer\.(\d+)\./.exec(n);
    return m !== null && Number(m[1]) >= first;
  });
  return [...picked, HEAD_WEIGHT, HEAD_BIAS];
}

/** The first encoder layer that trains (the frozen part is everything below it), or null when everything trains. */
export function firstTrainedLayer(c: BertConfig, layers: TrainableLayers): number | null {
  return layers === "all" ? null : c.numHiddenLayers - layers;
}

/**
 * Default peak learning rate: 3e-3 for the head alone (a linear model on fixed features), 1e-4 when
 * encoder layers train (docs/finetune-benchmark.md: on the DREAM MPRA the head reached validation r²
 * 0.078 after an epoch at 1e-4, 0.143 at 3e-3).
 */
export function defaultFinetuneLr(layers: TrainableLayers): number {
  return layers === 0 ? 3e-3 : 1e-4;
}
