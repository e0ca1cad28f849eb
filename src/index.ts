// Public library API: re-exports only.
export * from "./errors.js";
export * from "./tokenizer/index.js";
export * from "./model/index.js";
