// k-mer baselines and the Markov ceiling: re-exports only.
export { KmerCounts, MAX_SIDE_ORDER, backoffChain } from "./kmer-counts.js";
export { KmerModel, POOLED_KEY, resolveKmerOptions } from "./kmer-model.js";
export type { KmerKind, KmerModelOptions } from "./kmer-model.js";
export { KMER_FORMAT, KMER_FORMAT_VERSION, loadKmerModel, saveKmerModel } from "./kmer-store.js";
export { MarkovCeilingPredictor, chainConditionals, loadMarkovCeiling, order2Chain } from "./markov-ceiling.js";
export type { Order2Chain } from "./markov-ceiling.js";
export { iterateRecords } from "./nucleotide-predictor.js";
export type { NucleotidePredictor, NucleotideProbs, RecordSource, SequenceRecord } from "./nucleotide-predictor.js";
// The name evaluation code used before NucleotideProbs was the one name; the same type.
export type { NucleotideProbs as BaseProbabilities } from "./nucleotide-predictor.js";
