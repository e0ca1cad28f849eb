import { rereadablePath } from "../io/input-stream.js";
import { shardRange, takeShard, type Shard } from "../io/shard.js";
import { checkSequenceLength, type WindowModel } from "../runtime/sequence-window.js";
import type { SequenceRecord } from "../baselines/nucleotide-predictor.js";
import { readSequenceInput, type SequenceInputOptions } from "./sequence-input.js";

/** A sequence input opened for streaming: the records (of one shard) and how many there are, when known. */
export interface SequenceStream {
  readonly records: AsyncIterable<SequenceRecord<string | null>>;
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
 * order equal the unsharded output. `count` counts without sharding, e.g. for a progress bar's total.
 * With `model`, each record's length is checked against it (naming the file) before it reaches a run.
 * A pipe is read once, into a temporary file, when it must be counted.
 */
export async function openSequenceStream(
  path: string,
  options: SequenceInputOptions,
  o: { shard?: Shard | undefined; count?: boolean; model?: WindowModel } = {},
): Promise<SequenceStream> {
  const model = o.model;
  const check = (records: AsyncIterable<SequenceRecord<string | null>>): AsyncIterable<SequenceRecord<string | null>> =>
    model ? checked(records, model, path) : records;
  if (!o.shard && !o.count) return { records: check(readSequenceInput(path, options)), total: undefined };
  // Counting reads the input once more: a pipe or standard input is first copied to a temporary file.
  const copy = await rereadablePath(path, "sequence input");
  const all = await countSequenceRecords(copy, path);
  if (!o.shard) return { records: check(readSequenceInput(copy, options, path)), total: all };
  const [start, end] = shardRange(all, o.shard);
  return { records: check(takeShard(readSequenceInput(copy, options, path), all, o.shard)), total: end - start };
}

async function* checked(
  records: AsyncIterable<SequenceRecord<string | null>>,
  model: WindowModel,
  path: string,
): AsyncGenerator<SequenceRecord<string | null>> {
  for await (const r of records) {
    checkSequenceLength(model, r.id, r.sequence.length, path);
    yield r;
  }
}
