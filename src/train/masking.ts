/**
 * Masked-LM masking for overlapping k-mer tokens (DNABERT / SpeciesLM). With overlapping k-mers
 * a nucleotide appears in k consecutive tokens, so masking one token alone leaks it through its
 * neighbours. Tokens are therefore masked in spans of k: the span i-k+1 .. i hides nucleotide i
 * completely; a span of s consecutive masked tokens hides s - k + 1 nucleotides.
 *
 * Coordinates: token j of the k-mer run (0-based, after [CLS] and the optional species token)
 * covers nucleotides j .. j+k-1 of the run's L = n + k - 1 nucleotides.
 */
import { InputError } from "../errors.js";
import type { Vocab } from "../tokenizer/vocab.js";
import type { Rng } from "../rng.js";
import { IGNORE_INDEX } from "./loss-graph.js";

/**
 * The stride that stands for "one span per row" in a stride list: rows of up to ONE_SPAN tokens drew
 * their one span this way before it was a name (so runs resume with the same masks), and longer rows
 * (5' regions at k = 1: 1,006 tokens) still get one span instead of two.
 */
export const ONE_SPAN = 1000;

/** One stride, or a list each row's stride is drawn from (MaskingConfig.stride). */
export type MaskStride = number | readonly number[];

export interface MaskingConfig {
  readonly k: number;
  readonly maskId: number;
  /** Ids that k-mer tokens can take (including [UNK]); everything else (specials, species) is never masked. */
  readonly kmerIds: ReadonlySet<number>;
  /** Ids a "random" replacement draws from (the k-mer tokens). */
  readonly randomIds: Int32Array;
  /** Target fraction of k-mer tokens masked, in spans of k (default 0.15). */
  readonly rate?: number;
  /**
   * Instead of `rate`: spans of k start every `stride` tokens from a random phase, so each row hides
   * about n / stride nucleotides, each with stride - 1 visible ones between it and the next (the
   * layout of `reconstruct --spans-per-pass`). Must be > k so visible tokens separate the spans.
   * A list draws each row's stride from it, so one model sees several layouts: ONE_SPAN (or more)
   * masks a single span however long the row, the layout of the published one-span recipe.
   */
  readonly stride?: MaskStride;
  /**
   * Probability, per row and per end, of an edge span: tokens 0..e-1 (or the last e) for e drawn in
   * 1..k-1, the layout that hides the first e nucleotides with the rest of the region visible, which
   * reconstruction with minimal edge masks reads there (infer/reconstruct.ts). Other spans within k
   * tokens of it are dropped whole, so k visible tokens follow it. 0 (default) draws nothing.
   */
  readonly edges?: number;
  /** Of the masked tokens: fraction set to [MASK] (0.8) and to a random k-mer (0.1); the rest stay. */
  readonly maskProb?: number;
  readonly randomProb?: number;
}

export interface MaskedSequence {
  /** Token ids after masking ([MASK], random k-mer, or unchanged at masked positions). */
  readonly inputIds: Int32Array;
  /** Original id at masked positions, -100 elsewhere (the cross-entropy ignore_index). */
  readonly labels: Int32Array;
  readonly maskedTokens: number;
  /** Nucleotides no unmasked token reveals, and the run's nucleotide count. */
  readonly hiddenNucleotides: number;
  readonly nucleotides: number;
}

export function maskingConfig(vocab: Vocab, o: Partial<Pick<MaskingConfig, "rate" | "stride" | "edges" | "maskProb" | "randomProb">> = {}): MaskingConfig {
  const randomIds = Int32Array.from(new Set(Array.from(vocab.kmerIds).filter((id) => id !== vocab.unkId)));
  const strides = o.stride === undefined ? [] : typeof o.stride === "number" ? [o.stride] : o.stride;
  if (o.edges !== undefined && !(o.edges >= 0 && o.edges <= 1)) throw new InputError(`edge span probability must be in [0, 1], got ${o.edges}`);
  if (o.stride !== undefined && (strides.length === 0 || strides.some((s) => !Number.isInteger(s) || s <= vocab.k))) {
    throw new InputError(`mask stride must be an integer above k = ${vocab.k} (visible tokens between spans), or a list of them; got ${String(o.stride)}`);
  }
  return { k: vocab.k, maskId: vocab.maskId, kmerIds: new Set([...randomIds, vocab.unkId]), randomIds, ...o };
}

/** Masks one sequence `[CLS] <species>? kmer... [SEP] [PAD]*`; deterministic for a given rng state. */
export function maskKmerTokens(ids: ArrayLike<number>, cfg: MaskingConfig, rng: Rng): MaskedSequence {
  const [start, n] = kmerRun(ids, cfg);
  const masked =
    n <= 0
      ? new Uint8Array(0)
      : cfg.stride !== undefined
        ? chooseStridedSpans(n, cfg.k, strideFor(cfg.stride, rng), rng)
        : chooseMaskedTokens(n, cfg.k, cfg.rate ?? 0.15, rng);
  if (cfg.edges) addEdgeSpans(masked, cfg.k, cfg.edges, rng);
  const inputIds = Int32Array.from(ids);
  const labels = new Int32Array(ids.length).fill(IGNORE_INDEX);
  const [pMask, pRandom] = [cfg.maskProb ?? 0.8, cfg.randomProb ?? 0.1];
  let maskedTokens = 0;
  for (let j = 0; j < n; j++) {
    if (!masked[j]) continue;
    const pos = start + j;
    labels[pos] = ids[pos]!;
    maskedTokens++;
    const r = rng.next();
    if (r < pMask) inputIds[pos] = cfg.maskId;
    else if (r < pMask + pRandom) inputIds[pos] = cfg.randomIds[rng.int(cfg.randomIds.length)]!;
  }
  return { inputIds, labels, maskedTokens, hiddenNucleotides: hiddenCount(masked, cfg.k), nucleotides: n > 0 ? n + cfg.k - 1 : 0 };
}

/** [first position, length] of the contiguous run of k-mer tokens. */
function kmerRun(ids: ArrayLike<number>, cfg: MaskingConfig): [number, number] {
  let first = -1;
  let last = -1;
  for (let i = 0; i < ids.length; i++) {
    if (!cfg.kmerIds.has(ids[i]!)) continue;
    if (first < 0) first = i;
    else if (last !== i - 1) throw new InputError(`k-mer tokens at ${last} and ${i} are separated by a special token; mask one sequence at a time`);
    last = i;
  }
  return first < 0 ? [0, 0] : [first, last - first + 1];
}

/**
 * DNABERT / SpeciesLM masking: spans of k consecutive k-mer tokens (each span hides exactly one
 * nucleotide completely) are drawn at random starts until about `rate` of the tokens are masked.
 * Spans may touch or overlap; the draw stops at the span count closest to the target. Masking 15%
 * of tokens hides ~2.5% of nucleotides and leaves most of the context visible, as in the published
 * pre-training; hiding 15% of *nucleotides* instead would mask over half of all tokens.
 */
function chooseMaskedTokens(n: number, k: number, rate: number, rng: Rng): Uint8Array {
  const masked = new Uint8Array(n);
  if (n < k) return masked;
  const target = rate * n;
  let count = 0;
  for (let tries = 0; tries < 4 * n && count < target; tries++) {
    const lo = rng.int(n - k + 1);
    let gain = 0;
    for (let j = lo; j < lo + k; j++) if (!masked[j]) gain++;
    if (count + gain - target > target - count) break;
    masked.fill(1, lo, lo + k);
    count += gain;
  }
  return masked;
}

/**
 * Spans of k tokens every `stride` tokens from a random phase in [0, stride). With the default 15%
 * a 300-nt row hides ~7 nucleotides, so each step scores few; stride 13 hides ~22 per row while
 * every hidden nucleotide still sees the 12 nucleotides on either side.
 */
function chooseStridedSpans(n: number, k: number, stride: number, rng: Rng): Uint8Array {
  const masked = new Uint8Array(n);
  if (n < k) return masked;
  const first = rng.int(Math.min(stride, n - k + 1));
  if (stride >= ONE_SPAN) return masked.fill(1, first, first + k);
  for (let lo = first; lo + k <= n; lo += stride) masked.fill(1, lo, lo + k);
  return masked;
}

/**
 * Edge spans (MaskingConfig.edges): at each end, with probability `prob`, the first (last) e tokens
 * for e in 1..k-1 are masked after dropping every span that comes within k tokens of them. Rows too
 * short to keep the two ends k tokens apart get none. k = 1 needs none: one token hides one base.
 */
function addEdgeSpans(masked: Uint8Array, k: number, prob: number, rng: Rng): void {
  const n = masked.length;
  if (k < 2 || n < 2 * (k - 1) + k) return;
  if (rng.next() < prob) {
    const e = 1 + rng.int(k - 1);
    clearRunsTouching(masked, 0, e + k);
    masked.fill(1, 0, e);
  }
  if (rng.next() < prob) {
    const e = 1 + rng.int(k - 1);
    clearRunsTouching(masked, n - e - k, n);
    masked.fill(1, n - e, n);
  }
}

/** Unmasks every run of masked tokens that has a token in [lo, hi). */
function clearRunsTouching(masked: Uint8Array, lo: number, hi: number): void {
  const n = masked.length;
  for (let j = Math.max(0, lo); j < Math.min(n, hi); j++) {
    if (!masked[j]) continue;
    let a = j;
    while (a > 0 && masked[a - 1]) a--;
    let b = j;
    while (b + 1 < n && masked[b + 1]) b++;
    masked.fill(0, a, b + 1);
    j = b;
  }
}

/** One stride (a number or a one-entry list) draws nothing, so runs with one stride keep their masks. */
function strideFor(stride: MaskStride, rng: Rng): number {
  if (typeof stride === "number") return stride;
  return stride.length === 1 ? stride[0]! : stride[rng.int(stride.length)]!;
}

function isHidden(masked: Uint8Array, lo: number, hi: number): boolean {
  for (let j = lo; j <= hi; j++) if (!masked[j]) return false;
  return true;
}

/** Nucleotides i (0..n+k-2) whose covering tokens max(0, i-k+1)..min(n-1, i) are all masked. */
export function hiddenCount(masked: Uint8Array, k: number): number {
  return countHidden(masked, k, 0, masked.length + k - 2);
}

function countHidden(masked: Uint8Array, k: number, from: number, to: number): number {
  const n = masked.length;
  let count = 0;
  for (let i = from; i <= Math.min(to, n + k - 2); i++) if (isHidden(masked, Math.max(0, i - k + 1), Math.min(n - 1, i))) count++;
  return count;
}
