import type { BertConfig } from "./config.js";

/**
 * Every trainable parameter of BertForMaskedLM, by its Hugging Face state-dict name, with its shape,
 * derived from the config alone (as llm.c derives its buffer sizes). Letters: V vocab, H hidden,
 * P max positions, T token types, I intermediate (FFN), S species.
 *
 * Linear weights are [out, in] as in PyTorch (y = x W^T + b). The MLM decoder weight is tied to
 * `bert.embeddings.word_embeddings.weight` and is therefore not listed; its bias is `cls.predictions.bias`.
 * With conditioning "embedding" there is one more table, our own extension:
 * `specieslm.species_embeddings.weight` [S, H], a learned vector added to every token embedding
 * (before the embedding LayerNorm).
 */
export function paramLayout(c: BertConfig): Record<string, number[]> {
  const H = c.hiddenSize;
  const I = c.intermediateSize;
  const layout: Record<string, number[]> = {
    "bert.embeddings.word_embeddings.weight": [c.vocabSize, H],
    "bert.embeddings.position_embeddings.weight": [c.maxPositionEmbeddings, H],
    "bert.embeddings.token_type_embeddings.weight": [c.typeVocabSize, H],
    "bert.embeddings.LayerNorm.weight": [H],
    "bert.embeddings.LayerNorm.bias": [H],
  };
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const p = `bert.encoder.layer.${i}.`;
    for (const m of ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]) {
      layout[`${p}${m}.weight`] = [H, H];
      layout[`${p}${m}.bias`] = [H];
    }
    layout[`${p}attention.output.LayerNorm.weight`] = [H];
    layout[`${p}attention.output.LayerNorm.bias`] = [H];
    layout[`${p}intermediate.dense.weight`] = [I, H];
    layout[`${p}intermediate.dense.bias`] = [I];
    layout[`${p}output.dense.weight`] = [H, I];
    layout[`${p}output.dense.bias`] = [H];
    layout[`${p}output.LayerNorm.weight`] = [H];
    layout[`${p}output.LayerNorm.bias`] = [H];
  }
  layout["cls.predictions.transform.dense.weight"] = [H, H];
  layout["cls.predictions.transform.dense.bias"] = [H];
  layout["cls.predictions.transform.LayerNorm.weight"] = [H];
  layout["cls.predictions.transform.LayerNorm.bias"] = [H];
  layout["cls.predictions.bias"] = [c.vocabSize];
  if (c.conditioning === "embedding") layout[SPECIES_EMBEDDINGS] = [c.numSpecies, H];
  return layout;
}

/** Name of the per-species embedding table (conditioning "embedding" only). */
export const SPECIES_EMBEDDINGS = "specieslm.species_embeddings.weight";

/** Names of the tied MLM decoder in full checkpoints; they duplicate word embeddings / cls.predictions.bias. */
export const TIED_DECODER_WEIGHT = "cls.predictions.decoder.weight";
export const TIED_DECODER_BIAS = "cls.predictions.decoder.bias";

/** Total number of parameters in a layout (tied weights counted once). */
export function countParams(layout: Record<string, readonly number[]>): number {
  let n = 0;
  for (const shape of Object.values(layout)) n += shape.reduce((a, b) => a * b, 1);
  return n;
}
