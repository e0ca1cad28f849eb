import { InputError } from "../errors.js";
import type { CorpusRecord } from "../corpus/types.js";
import type { Conditioning } from "../model/config.js";
import type { KmerTokenizer } from "../tokenizer/kmer-tokenizer.js";

/**
 * A tokenized split held in memory: one row of `tokens` ids per record, right-padded with [PAD].
 * Regions are short (300 or 1003 nt), so even a few hundred genomes fit comfortably.
 */
export interface TokenizedSplit {
  /** [rows, tokens] row-major token ids. */
  readonly ids: Int32Array;
  /** [rows] real token count of each row. */
  readonly lengths: Int32Array;
  /** [rows] species index (position in the species list), for embedding conditioning and per-species metrics. */
  readonly species: Int32Array;
  /** [rows] where the k-mer tokens start (1 without a species token, 2 with). */
  readonly head: number;
  readonly rows: number;
  readonly tokens: number;
  readonly recordIds: readonly string[];
}

/**
 * Tokenizes records for a conditioning mode: "token" puts the species token after [CLS]; "embedding"
 * and "none" leave it out ("embedding" passes the species index separately). Sequences longer than
 * `maxTokens` allow are an InputError naming the record.
 */
export function tokenizeSplit(
  records: readonly CorpusRecord[],
  tok: KmerTokenizer,
  species: readonly string[],
  conditioning: Conditioning,
  maxTokens: number,
): TokenizedSplit {
  const index = new Map(species.map((s, i) => [s, i]));
  const encs = records.map((r) => {
    const sp = index.get(r.species);
    if (sp === undefined) throw new InputError(`record ${r.id}: species "${r.species}" is not among the model's species`);
    const e = tok.encode(r.sequence, conditioning === "token" ? r.species : null, { record: r.id });
    if (e.ids.length > maxTokens) {
      throw new InputError(`record ${r.id}: ${r.sequence.length} nt gives ${e.ids.length} tokens, more than the model's ${maxTokens} positions`);
    }
    return { ids: e.ids, sp };
  });
  const tokens = Math.max(0, ...encs.map((e) => e.ids.length));
  const ids = new Int32Array(encs.length * tokens).fill(tok.vocab.padId);
  const lengths = new Int32Array(encs.length);
  const sp = new Int32Array(encs.length);
  encs.forEach((e, i) => {
    ids.set(e.ids, i * tokens);
    lengths[i] = e.ids.length;
    sp[i] = e.sp;
  });
  return {
    ids,
    lengths,
    species: sp,
    head: conditioning === "token" ? 2 : 1,
    rows: encs.length,
    tokens,
    recordIds: records.map((r) => r.id),
  };
}

/** Tokens of the longest record's row: its k-mers, [CLS] and [SEP], and the species token under "token". */
export function longestRow(records: readonly CorpusRecord[], k: number, conditioning: Conditioning): number {
  let longest = 0;
  for (const r of records) longest = Math.max(longest, r.sequence.length);
  return Math.max(0, longest - k + 1) + 2 + (conditioning === "token" ? 1 : 0);
}
