import type { BertConfig } from "../model/config.js";
import { f32, type HostTensor } from "../host-tensor.js";
import { defaultBatchRows } from "../runtime/batch-rows.js";
import { Session, type SessionOptions } from "../runtime/session.js";
import { type EncodedRows, rowFeeds } from "./finetune-data.js";
import { buildFrozenPrefixGraph, FROZEN_HIDDEN } from "./finetune-graph.js";

/** Largest frozen-output store kept in memory (bytes); a larger table reruns the frozen part per batch. */
export const FROZEN_CACHE_BYTES = 2 ** 30;

/**
 * The frozen part's output (the hidden state entering the first trained layer) per record: computed
 * once for every record and kept when rows x tokens x hidden fits `maxBytes`, else run for each batch.
 * Frozen layers run without dropout, so both give the same numbers; the cache spares every step the
 * frozen forward pass (docs/decisions/finetune-frozen-cache.md).
 */
export class FrozenPrefix {
  private constructor(
    private session: Session | null,
    /** The first trained layer: the store holds the hidden state entering it. */
    readonly first: number,
    private readonly params: Record<string, HostTensor>,
    /** The tokenized table the outputs are of (a fine-tuning given this store reads the same rows). */
    readonly encoded: EncodedRows,
    private readonly hiddenSize: number,
    private cache: Float32Array | null,
  ) {}

  static async create(
    c: BertConfig,
    first: number,
    weights: ReadonlyMap<string, HostTensor<"float32">>,
    encoded: EncodedRows,
    session: SessionOptions = {},
    maxBytes = FROZEN_CACHE_BYTES,
  ): Promise<FrozenPrefix> {
    const s = await Session.create(buildFrozenPrefixGraph(c, first), session);
    const params: Record<string, HostTensor> = {};
    for (const n of s.inputNames) {
      const w = weights.get(n);
      if (w) params[n] = w;
    }
    const prefix = new FrozenPrefix(s, first, params, encoded, c.hiddenSize, null);
    const size = encoded.rows * encoded.tokens * c.hiddenSize;
    if (size * 4 <= maxBytes) {
      const cache = new Float32Array(size);
      const step = defaultBatchRows(encoded.tokens, 64);
      for (let r = 0; r < encoded.rows; r += step) {
        const rows = Int32Array.from({ length: Math.min(step, encoded.rows - r) }, (_, i) => r + i);
        cache.set((await prefix.run(rows)).data, r * encoded.tokens * c.hiddenSize);
      }
      prefix.cache = cache;
      // Every output is stored: the session (and its memory arena) is not needed again.
      await prefix.release();
    }
    return prefix;
  }

  /** True when every record's frozen output is held in memory. */
  get cached(): boolean {
    return this.cache !== null;
  }

  /** FROZEN_HIDDEN [rows, tokens, hidden] of the listed records, in that order. */
  async hidden(rows: ArrayLike<number>): Promise<HostTensor<"float32">> {
    if (!this.cache) return this.run(rows);
    const per = this.encoded.tokens * this.hiddenSize;
    const out = new Float32Array(rows.length * per);
    for (let i = 0; i < rows.length; i++) out.set(this.cache.subarray(rows[i]! * per, (rows[i]! + 1) * per), i * per);
    return f32([rows.length, this.encoded.tokens, this.hiddenSize], out);
  }

  private async run(rows: ArrayLike<number>): Promise<HostTensor<"float32">> {
    if (!this.session) throw new Error("FrozenPrefix: released");
    const out = await this.session.run({ ...this.params, ...rowFeeds(this.encoded, rows) });
    return out[FROZEN_HIDDEN] as HostTensor<"float32">;
  }

  async release(): Promise<void> {
    const s = this.session;
    this.session = null;
    await s?.release();
  }
}
