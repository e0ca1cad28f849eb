// Public library API: re-exports only.
export * from "./errors.js";
export * from "./alphabet/index.js";
export * from "./tokenizer/index.js";
export * from "./model/index.js";
export * from "./sequence/index.js";
export * from "./corpus/index.js";
export * from "./baselines/index.js";
export * from "./stats/index.js";
export * from "./report/index.js";
export * from "./phylo/index.js";
export * from "./analysis/index.js";
export * from "./pwm/index.js";
export * from "./motifs/index.js";
export * from "./graph/index.js";
export * from "./runtime/index.js";
export * from "./infer/index.js";
export * from "./train/index.js";
// Scale-out plumbing: shards, the chunked record pipeline, gathering shard outputs.
export { parseShard, parseShardOption, shardRange, shardSlice, takeShard } from "./io/shard.js";
export type { Shard } from "./io/shard.js";
export { chunkRecords, mapChunks } from "./io/chunked-pipeline.js";
export type { ChunkLimits, ProcessedChunk } from "./io/chunked-pipeline.js";
export { gatherFiles } from "./io/gather.js";
export * from "./variants/index.js";
export { mixSeed, mulberry32 } from "./rng.js";
export type { Rng } from "./rng.js";
export * from "./readout/index.js";
