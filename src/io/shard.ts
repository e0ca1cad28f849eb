import { InputError } from "../errors.js";

/**
 * Shard `index` of `count` (0-based): a contiguous block of records by index, so the outputs of
 * shards 0..count-1 concatenated in order are the unsharded output. Contiguous rather than round-robin
 * because only blocks keep that byte-for-byte identity with plain concatenation.
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses "i/n" (0 <= i < n); anything else is an InputError that says what a shard spec looks like. */
export function parseShard(spec: string, option = "--shard"): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  const fix = `give it as i/n with 0 <= i < n, e.g. 0/4 .. 3/4 for four shards`;
  if (!m) throw new InputError(`${option} "${spec}" is not a shard spec; ${fix}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || !Number.isSafeInteger(count)) throw new InputError(`${option} "${spec}": the shard count must be at least 1; ${fix}`);
  if (index >= count)
    throw new InputError(`${option} "${spec}": shard index ${index} is not below the shard count ${count} (shards are numbered from 0); ${fix}`);
  return { index, count };
}

/** Optional variant for CLI options: undefined or "" means no sharding. */
export function parseShardOption(spec: string | undefined, option = "--shard"): Shard | undefined {
  return spec === undefined || spec === "" ? undefined : parseShard(spec, option);
}

/** Record index range [start, end) of a shard over `total` records: sizes differ by at most one. */
export function shardRange(total: number, shard: Shard): [number, number] {
  return [Math.floor((shard.index * total) / shard.count), Math.floor(((shard.index + 1) * total) / shard.count)];
}

/** The records of one shard of an array. */
export function shardSlice<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...items];
  const [start, end] = shardRange(items.length, shard);
  return items.slice(start, end);
}

/** The records of one shard of a stream of `total` records; stops reading once the shard is done. */
export async function* takeShard<T>(records: AsyncIterable<T>, total: number, shard: Shard | undefined): AsyncGenerator<T> {
  if (!shard) {
    yield* records;
    return;
  }
  const [start, end] = shardRange(total, shard);
  let i = 0;
  for await (const r of records) {
    if (i >= end) return;
    if (i >= start) yield r;
    i++;
  }
}

/** "shard i/n" (or "all records") for summaries. */
export function shardLabel(shard: Shard | undefined): string {
  return shard ? `shard ${shard.index}/${shard.count}` : "all records";
}
