/**
 * A bounded-memory record pipeline: records are read in chunks, each chunk is processed (e.g. run
 * through a model) and handed on in input order, while the previous chunk is being written. At most
 * two chunks are alive at once, so peak memory depends on the chunk size, never on the input size.
 */
export interface ChunkLimits<T> {
  /** Records per chunk (>= 1). */
  readonly maxRecords: number;
  /** Also close a chunk once the summed weight reaches this (e.g. nucleotides), so long records make small chunks. */
  readonly maxWeight?: number;
  readonly weight?: (record: T) => number;
}

/** Groups a stream into arrays of at most `maxRecords` records (and about `maxWeight` weight). */
export async function* chunkRecords<T>(records: AsyncIterable<T> | Iterable<T>, limits: ChunkLimits<T>): AsyncGenerator<T[]> {
  if (!Number.isInteger(limits.maxRecords) || limits.maxRecords < 1) throw new RangeError(`chunk size must be a positive integer, got ${limits.maxRecords}`);
  let chunk: T[] = [];
  let weight = 0;
  for await (const r of records) {
    chunk.push(r);
    weight += limits.weight?.(r) ?? 0;
    if (chunk.length >= limits.maxRecords || (limits.maxWeight !== undefined && weight >= limits.maxWeight)) {
      yield chunk;
      chunk = [];
      weight = 0;
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** One processed chunk: the input records and what `process` returned for them, index for index. */
export interface ProcessedChunk<T, R> {
  readonly records: readonly T[];
  readonly results: readonly R[];
}

/**
 * Runs `process` over chunks of `records` and yields the results in input order. Chunk i+1 is read
 * and processed while the consumer handles chunk i (writing, formatting), one `process` call at a
 * time, so a model session never runs two chunks concurrently.
 */
export async function* mapChunks<T, R>(
  records: AsyncIterable<T> | Iterable<T>,
  process: (chunk: readonly T[]) => Promise<readonly R[]>,
  limits: ChunkLimits<T>,
): AsyncGenerator<ProcessedChunk<T, R>> {
  let ready: ProcessedChunk<T, R> | undefined;
  for await (const chunk of chunkRecords(records, limits)) {
    const running = process(chunk);
    // Handled here so a failure while the consumer still writes is not an unhandled rejection; the
    // await below rethrows it.
    running.catch(() => undefined);
    if (ready) yield ready;
    const results = await running;
    if (results.length !== chunk.length) throw new RangeError(`chunk processing returned ${results.length} results for ${chunk.length} records`);
    ready = { records: chunk, results };
  }
  if (ready) yield ready;
}
