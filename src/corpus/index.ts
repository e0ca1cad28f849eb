// Corpora: building, splitting, reading. Re-exports only.
export { CORPUS_FORMAT_VERSION, SPLIT_NAMES } from "./types.js";
export type { Corpus, CorpusRecord, CorpusSpeciesEntry, SplitCounts, SplitName } from "./types.js";
export { loadCorpusSplit, readCorpus, readCorpusSplit } from "./read-corpus.js";
export { buildCorpus } from "./build-corpus.js";
export type { BuildCorpusOptions, BuildCorpusResult } from "./build-corpus.js";
export { buildCorpusPart, mergeCorpusParts } from "./corpus-part.js";
export type { BuildCorpusPartResult, CorpusPartInfo } from "./corpus-part.js";
export { corpusFromTable } from "./corpus-from-table.js";
export type { CorpusFromTableOptions } from "./corpus-from-table.js";
export { readManifest } from "./manifest.js";
export type { ManifestSource } from "./manifest.js";
export { writeCorpus, CORPUS_TSV_HEADER } from "./write-corpus.js";
export type { CorpusInput, CorpusMeta } from "./write-corpus.js";
export { assignSplit, parseSplitFractions } from "./split.js";
export { orthologKey } from "./gene-key.js";
