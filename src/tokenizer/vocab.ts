import { dirSource } from "../io/dir-source.js";
import { readVocabFrom, type Vocab } from "./vocabulary.js";

// The vocabulary itself lives in vocabulary.ts (no Node imports, so the browser bundle can take it).
export { DEFAULT_SPECIALS, parseVocabText, readVocabFrom, Vocab } from "./vocabulary.js";
export type { SpecialTokens } from "./vocabulary.js";

/** Reads the tokenizer files of a model folder on disk (see `readVocabFrom`). */
export function readVocab(dir: string, opts: { k?: number } = {}): Promise<Vocab> {
  return readVocabFrom(dirSource(dir), opts);
}
