import { i64, type HostTensor } from "../host-tensor.js";
import type { TokenizedSplit } from "./dataset.js";
import { IGNORE_INDEX } from "./loss-graph.js";
import type { Vocab } from "../tokenizer/vocab.js";
import { maskingConfig, maskKmerTokens, type MaskStride } from "./masking.js";
import { mixSeed, mulberry32, type Rng } from "../rng.js";

/** One training batch, ready to feed: masked ids and the flattened positions/labels that are scored. */
export interface MaskedBatch {
  /** [B, T] masked token ids. */
  readonly inputIds: HostTensor<"int64">;
  /** [B, T] 1 for real tokens. */
  readonly attentionMask: HostTensor<"int64">;
  /** [M] positions into B*T of the scored (masked) tokens. */
  readonly readIndex: HostTensor<"int64">;
  /** [M] original ids at those positions. */
  readonly readLabels: HostTensor<"int64">;
  /** [B] species index of each row. */
  readonly speciesIds: HostTensor<"int64">;
  /** [B] row numbers in the split (for per-species bookkeeping). */
  readonly rows: Int32Array;
  /** Tokens per row (T). */
  readonly tokens: number;
}

/** What a masked token becomes in training (see TrainOptions.maskReplace). */
export type MaskReplace = "bert" | "mask";

/** Masks one tokenized row in place; returns the token positions (within the row) that are scored. */
export type RowMasker = (ids: Int32Array, length: number, head: number, rng: Rng) => number[];

/**
 * The k-mer span masker as a RowMasker. Training replaces masked tokens as `replace` says (default
 * "bert"); validation passes "mask" so no kept or random token reveals a nucleotide scored as hidden.
 */
export function kmerSpanMasker(vocab: Vocab, o: { replace?: MaskReplace; rate?: number; stride?: MaskStride; edges?: number } = {}): RowMasker {
  const cfg = maskingConfig(vocab, {
    ...(o.rate !== undefined ? { rate: o.rate } : {}),
    ...(o.stride !== undefined ? { stride: o.stride } : {}),
    ...(o.edges ? { edges: o.edges } : {}),
    ...(o.replace === "mask" ? { maskProb: 1, randomProb: 0 } : {}),
  });
  return (ids, length, _head, rng) => {
    const m = maskKmerTokens(ids.subarray(0, length), cfg, rng);
    ids.set(m.inputIds);
    const scored: number[] = [];
    m.labels.forEach((l, t) => {
      if (l !== IGNORE_INDEX) scored.push(t);
    });
    return scored;
  };
}

/**
 * Rows of the split for `step`, from a permutation fixed by (seed, epoch): a function of the step
 * alone, so a resumed run sees exactly the batches an uninterrupted one would.
 */
export function rowsForStep(split: TokenizedSplit, batch: number, step: number, seed: number): Int32Array {
  const out = new Int32Array(batch);
  for (let i = 0; i < batch; i++) {
    const flat = step * batch + i;
    const epoch = Math.floor(flat / split.rows);
    out[i] = permutation(split.rows, mixSeed(seed, epoch))[flat % split.rows]!;
  }
  return out;
}

const permCache = new Map<string, Int32Array>();
function permutation(n: number, seed: number): Int32Array {
  const key = `${n}:${seed}`;
  let p = permCache.get(key);
  if (!p) {
    p = Int32Array.from({ length: n }, (_, i) => i);
    const rng = mulberry32(seed);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    if (permCache.size > 4) permCache.clear();
    permCache.set(key, p);
  }
  return p;
}

/** Builds the masked batch of the given rows; the masking RNG is seeded by (seed, step). */
export function maskedBatch(split: TokenizedSplit, rows: Int32Array, mask: RowMasker, seed: number, step: number): MaskedBatch {
  const B = rows.length;
  const T = split.tokens;
  const rng = mulberry32(mixSeed(seed, step, 0x6d61736b));
  const ids = new BigInt64Array(B * T);
  const att = new BigInt64Array(B * T);
  const reads: number[] = [];
  const labels: number[] = [];
  const sp = new BigInt64Array(B);
  for (let b = 0; b < B; b++) {
    const r = rows[b]!;
    const orig = split.ids.subarray(r * T, (r + 1) * T);
    const row = orig.slice();
    const len = split.lengths[r]!;
    for (const t of mask(row, len, split.head, rng)) {
      reads.push(b * T + t);
      labels.push(orig[t]!);
    }
    for (let t = 0; t < T; t++) {
      ids[b * T + t] = BigInt(row[t]!);
      att[b * T + t] = t < len ? 1n : 0n;
    }
    sp[b] = BigInt(split.species[r]!);
  }
  return {
    inputIds: i64([B, T], ids),
    attentionMask: i64([B, T], att),
    readIndex: i64([reads.length], reads),
    readLabels: i64([labels.length], labels),
    speciesIds: i64([B], sp),
    rows,
    tokens: T,
  };
}
