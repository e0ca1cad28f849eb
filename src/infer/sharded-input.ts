import { rereadablePath } from "../io/input-stream.js";
import { shardRange, takeShard, type Shard } from "../io/shard.js";
import { readSequenceInput, type SequenceInputOptions, type SequenceRecord } from "./sequence-input.js";

/** A sequence input opened for streaming: the records (of one shard) and how many there are, when known. */
export interface SequenceStream {
  readonly records: AsyncIterable<SequenceRecord>;
  /** Records this stream yields; known when it was counted (sharding, or `count: true`). */
  readonly total: number | undefined;
}

/** Records in a FASTA or sequence TSV: one streaming pass that parses (and so checks) every record. */
export async function countSequenceRecords(path: string, name = path): Promise<number> {
  let n = 0;
  for await (const _ of readSequenceInput(path, { agnostic: true }, name)) n++;
  return n;
}

/**
 * Opens a sequence input for a model command. With a shard, the input is counted first (one extra
 * streaming pass) so the shard is a contiguous block by record index: shard outputs concatenated in
 * order equal the unsharded output. A pipe is read once, into a temporary file, when it must be counted. `count` counts without sharding, e.g. for a progress bar's total.
 */
export async function openSequenceStream(
  path: string,
  options: SequenceInputOptions,
  o: { shard?: Shard | undefined; count?: boolean } = {},
): Promise<SequenceStream> {
  if (!o.shard && !o.count) return { records: readSequenceInput(path, options), total: undefined };
  // Counting reads the input once more: a pipe or standard input is first copied to a temporary file.
  const copy = await rereadablePath(path, "sequence input");
  const all = await countSequenceRecords(copy, path);
  if (!o.shard) return { records: readSequenceInput(copy, options, path), total: all };
  const [start, end] = shardRange(all, o.shard);
  return { records: takeShard(readSequenceInput(copy, options, path), all, o.shard), total: end - start };
}
