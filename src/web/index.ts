// The browser entry (`specieslm/web`): the Node API for load, reconstruct and embed, on onnxruntime-web,
// loading from picked files. Re-exports only; nothing here or below imports a Node built-in.
export * from "../errors.js";
export { filesSource } from "../io/file-source.js";
export type { FileSource, NamedBlob } from "../io/file-source.js";
export { parseFasta } from "../io/fasta-parser.js";
export type { FastaRecord } from "../io/fasta-parser.js";
export { Vocab } from "../tokenizer/vocabulary.js";
export { KmerTokenizer } from "../tokenizer/kmer-tokenizer.js";
export { closestNames } from "../tokenizer/edit-distance.js";
export type { BertConfig, Conditioning } from "../model/config.js";
export { countParams, paramLayout } from "../model/param-layout.js";
export type { ModelFolder } from "../model/model-loader.js";
export { WebSession } from "../runtime/web-session.js";
export type { WebSessionOptions } from "../runtime/web-session.js";
export { MaskedLanguageModelBase } from "../runtime/masked-lm-base.js";
export type { GraphVariant, ModelSession } from "../runtime/masked-lm-base.js";
export { checkModelFits, DEFAULT_MAX_WEIGHT_BYTES, onnxVariant, WebMaskedLanguageModel } from "../runtime/web-masked-lm.js";
export type { WebModelOptions } from "../runtime/web-masked-lm.js";
export { reconstruct } from "../infer/reconstruct.js";
export type { NucleotideProbs, ReconstructItem, ReconstructOptions } from "../infer/reconstruct.js";
export { defaultEmbeddingLayer, embedSequences } from "../infer/embed.js";
export type { EmbedOptions } from "../infer/embed.js";
export { parseSequenceText } from "../infer/sequence-record.js";
export type { SequenceInputOptions, SequenceRecord } from "../infer/sequence-record.js";
export { RECONSTRUCTION_TSV_HEADER, reconstructionTsvRows } from "../infer/reconstruction-tsv.js";
export { BASE_COLORS, baseIndex, letterHeights, sequenceLogoSvg } from "../analysis/sequence-logo.js";
export type { LetterHeight, SequenceLogoFigure, SequenceLogoSpec } from "../analysis/sequence-logo.js";
