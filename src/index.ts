// Public library API: re-exports only.
export * from "./errors.js";
