/** The files of a SpeciesLM model folder (a Hugging Face snapshot): what the Hub loaders fetch and the model loader reads. */
export const WEIGHT_FILES = ["model.safetensors", "pytorch_model.bin"] as const;
export const OPTIONAL_FILES = ["special_tokens_map.json", "tokenizer_config.json"] as const;
