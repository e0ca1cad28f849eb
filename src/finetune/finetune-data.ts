import { InputError, SpeciesLmError } from "../errors.js";
import { i64, type HostTensor } from "../host-tensor.js";
import { checkEmbeddable, type EmbeddableRecords } from "../readout/embedding-features.js";
import { mulberry32 } from "../rng.js";
import type { MaskedLanguageModelBase } from "../runtime/masked-lm-base.js";

/** Every record tokenized once, right-padded to the longest: batches are row slices. */
export interface EncodedRows {
  readonly rows: number;
  readonly tokens: number;
  /** [rows * tokens] token ids and attention mask. */
  readonly ids: BigInt64Array;
  readonly mask: BigInt64Array;
  /** [rows] species-table rows (embedding conditioning only). */
  readonly speciesIds?: BigInt64Array;
}

/**
 * Tokenizes the records as the model reads them (MaskedLanguageModelBase.encode: species token, species
 * index or none; 5' left fill), after readout's up-front checks; every error names the file and record.
 */
export function encodeRecords(model: MaskedLanguageModelBase, t: EmbeddableRecords, speciesProxy?: string): EncodedRows {
  checkEmbeddable(model, t);
  const agnostic = model.config.conditioning === "none";
  try {
    const enc = model.encode(
      t.ids.map((id, i) => ({
        id,
        sequence: t.sequences[i]!,
        species: agnostic ? null : t.species[i]!,
        ...(speciesProxy ? { speciesProxy } : {}),
      })),
    );
    const [rows, tokens] = enc.inputIds.shape as [number, number];
    return {
      rows,
      tokens,
      ids: enc.inputIds.data,
      mask: enc.attentionMask.data,
      ...(enc.speciesIds ? { speciesIds: enc.speciesIds.data } : {}),
    };
  } catch (err) {
    if (err instanceof SpeciesLmError) throw new InputError(`${t.path}: ${err.message}`);
    throw err;
  }
}

/** The rows' slices of a [rows * tokens] array, in the listed order. */
function takeRows(e: EncodedRows, data: BigInt64Array, rows: ArrayLike<number>): HostTensor<"int64"> {
  const T = e.tokens;
  const out = new BigInt64Array(rows.length * T);
  for (let i = 0; i < rows.length; i++) out.set(data.subarray(rows[i]! * T, (rows[i]! + 1) * T), i * T);
  return i64([rows.length, T], out);
}

/** The attention mask of the listed rows (all a graph from the frozen part's output reads besides it). */
export function maskFeed(e: EncodedRows, rows: ArrayLike<number>): HostTensor<"int64"> {
  return takeRows(e, e.mask, rows);
}

/** Model feeds for the listed rows, in that order. */
export function rowFeeds(e: EncodedRows, rows: ArrayLike<number>): Record<string, HostTensor> {
  return {
    input_ids: takeRows(e, e.ids, rows),
    attention_mask: maskFeed(e, rows),
    ...(e.speciesIds
      ? {
          species_ids: i64(
            [rows.length],
            Array.from({ length: rows.length }, (_, i) => Number(e.speciesIds![rows[i]!]!)),
          ),
        }
      : {}),
  };
}

/**
 * Held-out validation rows for early stopping: whole groups (a gene family, or each record on its own),
 * drawn in a seeded shuffle of the sorted group names until `fraction` of the rows is reached. At least
 * one group goes to each side.
 */
export function validationSplit(groups: readonly string[], fraction: number, seed: number, what: string): { train: Int32Array; valid: Int32Array } {
  const names = [...new Set(groups)].sort();
  if (names.length < 2) throw new InputError(`${what}: ${names.length} group(s); a validation split needs at least 2 (add records or group more finely)`);
  const rng = mulberry32(seed ^ 0x5a11d);
  for (let i = names.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  const size = new Map<string, number>();
  for (const g of groups) size.set(g, (size.get(g) ?? 0) + 1);
  const want = Math.max(1, Math.round(fraction * groups.length));
  const held = new Set<string>();
  let n = 0;
  for (const g of names) {
    if (n >= want || held.size === names.length - 1) break;
    held.add(g);
    n += size.get(g)!;
  }
  const idx = [...groups.keys()];
  return {
    train: Int32Array.from(idx.filter((i) => !held.has(groups[i]!))),
    valid: Int32Array.from(idx.filter((i) => held.has(groups[i]!))),
  };
}

/** Row order of one epoch: a seeded shuffle of the training rows. */
export function epochOrder(train: Int32Array, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from(train);
  const rng = mulberry32((seed * 7919 + epoch * 104729) >>> 0);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
