// PLACEHOLDER: owned by the model-folder helper; the exported types below are the agreed interface.
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
}
