/** Weight files a model folder may hold, in the order they are preferred. */
export const WEIGHT_FILES = ["model.safetensors", "pytorch_model.bin"] as const;
/** Tokenizer files beside vocab.txt that a folder may lack. */
export const OPTIONAL_FILES = ["special_tokens_map.json", "tokenizer_config.json"] as const;
