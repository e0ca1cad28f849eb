import type { HostTensor } from "../host-tensor.js";
import type { EncodeOptions, Encoding, KmerTokenizer } from "./kmer-tokenizer.js";

export interface BatchItem {
  readonly sequence: string;
  /** Species name, or null for the species-agnostic form. */
  readonly species: string | null;
  readonly record?: string;
  readonly speciesProxy?: string;
}

export interface EncodedBatch {
  /** [batch, tokens] int64, right-padded with [PAD] to the longest sequence. */
  readonly inputIds: HostTensor<"int64">;
  /** [batch, tokens] int64: 1 for real tokens, 0 for padding. */
  readonly attentionMask: HostTensor<"int64">;
  /** [batch]: real token count of each row. */
  readonly lengths: readonly number[];
  /** [batch]: k-mers of each row that became [UNK]. */
  readonly unknownKmers: readonly number[];
}

/** Packs encodings into a right-padded [batch, tokens] id tensor and attention mask. */
export function padEncodings(encodings: readonly Encoding[], padId: number, minTokens = 0): EncodedBatch {
  const B = encodings.length;
  const T = Math.max(minTokens, ...encodings.map((e) => e.ids.length));
  const ids = new BigInt64Array(B * T).fill(BigInt(padId));
  const mask = new BigInt64Array(B * T);
  encodings.forEach((e, b) => {
    for (let t = 0; t < e.ids.length; t++) {
      ids[b * T + t] = BigInt(e.ids[t] as number);
      mask[b * T + t] = 1n;
    }
  });
  return {
    inputIds: { dtype: "int64", shape: [B, T], data: ids },
    attentionMask: { dtype: "int64", shape: [B, T], data: mask },
    lengths: encodings.map((e) => e.ids.length),
    unknownKmers: encodings.map((e) => e.unknownKmers),
  };
}

/** Tokenizes a batch of sequences into right-padded [batch, tokens] ids plus attention mask. */
export function encodeBatch(tokenizer: KmerTokenizer, items: readonly BatchItem[]): EncodedBatch {
  const encodings = items.map((it, i) => {
    const opts: EncodeOptions = {
      record: it.record ?? `sequence ${i + 1}`,
      ...(it.speciesProxy !== undefined ? { speciesProxy: it.speciesProxy } : {}),
    };
    return tokenizer.encode(it.sequence, it.species, opts);
  });
  return padEncodings(encodings, tokenizer.vocab.padId);
}
