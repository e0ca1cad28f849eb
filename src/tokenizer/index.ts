// Tokenizer API: re-exports only.
export { Vocab, DEFAULT_SPECIALS, readVocab, parseVocabText } from "./vocab.js";
export type { SpecialTokens } from "./vocab.js";
export { KmerTokenizer } from "./kmer-tokenizer.js";
export type { Encoding, EncodeOptions } from "./kmer-tokenizer.js";
export { encodeBatch, padEncodings } from "./batch.js";
export type { BatchItem, EncodedBatch } from "./batch.js";
export { buildVocab, writeVocabFiles, specialTokensMap } from "./build-vocab.js";
export { kmerCode, kmerString, allKmers, BASE_CLASS, NUCLEOTIDES } from "./kmer-code.js";
export { editDistance, closestNames } from "./edit-distance.js";
