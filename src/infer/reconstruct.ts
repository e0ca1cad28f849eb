import { InputError } from "../errors.js";
import { i64 } from "../host-tensor.js";
import { foldNucleotide } from "../model/kmer-head.js";
import type { EdgeMasks } from "../model/config.js";
import type { MaskedLanguageModelBase } from "../runtime/masked-lm-base.js";
import { checkRollingMaskLength, modelWindow } from "../runtime/sequence-window.js";
import type { NucleotideProbs } from "../baselines/nucleotide-predictor.js";
import { defaultBatchRows } from "../runtime/batch-rows.js";

/** One sequence to reconstruct. `species` null = agnostic input (no species token). */
export interface ReconstructItem {
  readonly id: string;
  readonly sequence: string;
  readonly species: string | null;
  readonly speciesProxy?: string;
}

export interface ReconstructOptions {
  /** Masked rows per forward pass (batch size). */
  readonly batchSize?: number;
  /**
   * Masked spans per row. 1 is the published recipe (one 6-token span per forward pass). More
   * spans, spaced evenly along the sequence, cut the passes by that factor at the cost of each
   * span seeing the others masked; `bench/` reports the agreement with the exact recipe.
   */
  readonly spansPerPass?: number;
  readonly onProgress?: (doneRows: number, totalRows: number) => void;
  /**
   * Checked between forward passes: an aborted signal stops the job with its reason (the browser's
   * Cancel). With a signal the loop yields to the event loop between passes, so an abort sent as a
   * message (a worker's onmessage) can arrive while the job runs.
   */
  readonly signal?: AbortSignal;
  /**
   * Only these positions (0-based) of item `index` are needed: only the rows serving them run
   * (one span per pass, exact), and the other positions come back as NaN. For analyses that read a
   * few bases per sequence (motif instances), this is ~100x less work than a full pass.
   */
  readonly positions?: (index: number) => readonly number[] | undefined;
  /**
   * How the first and last k-1 nucleotides are hidden. "span" (the published recipe): the end rows'
   * span of k tokens, which hides the k nucleotides at the end together, so nucleotide 0 is read with
   * nucleotides 1..k-1 hidden too. "minimal": only the tokens covering the nucleotide (tokens 0..p
   * for p < k-1), which leaves its neighbours on the inner side visible; right for models trained on
   * those layouts (edge spans, train/masking.ts). Default: the model's `edgeMasks`, else "span".
   */
  readonly edges?: EdgeMasks;
}

/**
 * A masked span: tokens start..start+length-1 (k-mer index space), read into slot rows `slot`..: slot
 * s < rows is the published row s (start s, length k); slots rows + p for p < k-1 are the minimal
 * start edges (start 0, length p+1) and rows + k-1 + e the minimal end edges (the last e+1 tokens).
 */
interface Span {
  readonly slot: number;
  readonly start: number;
  readonly length: number;
}

interface Pass {
  readonly item: number;
  /** Spans masked together in this pass. */
  readonly spans: readonly Span[];
}

/**
 * Per-nucleotide probabilities by the published rolling-mask recipe (SpeciesLM ModelUsage.ipynb):
 * row i masks the k consecutive k-mer tokens i..i+k-1, which hides nucleotide i+k-1 completely; the
 * MLM head is read (softmax over the k-mer logits only) at those masked tokens, and the probability
 * of base c at position p is the sum over the masked k-mers covering p of the probability mass of
 * k-mers carrying c at p's offset, renormalised. Row max(0, min(p-k+1, rows-1)) serves position p
 * (with `edges: "minimal"`, the first and last k-1 positions are served by their own shorter spans).
 * A sequence shorter than 2k-1 nt (no row hides a nucleotide there) is an InputError, not a made-up
 * uniform answer. Each record is read as modelWindow gives it (a five_prime model's left fill is read, not returned: positions,
 * in and out, are the record's own).
 */
export async function reconstruct(model: MaskedLanguageModelBase, items: readonly ReconstructItem[], o: ReconstructOptions = {}): Promise<NucleotideProbs[]> {
  const windows = items.map((it) => modelWindow(model, it));
  items.forEach((it) => checkRollingMaskLength(model, it.id, it.sequence.length));
  if (windows.every((w) => w.offset === 0)) return reconstructRead(model, items, o);
  const positions = o.positions;
  const shifted = positions ? { ...o, positions: (i: number) => positions(i)?.map((p) => p + windows[i]!.offset) } : o;
  const probs = await reconstructRead(
    model,
    windows.map((w) => w.item),
    shifted,
  );
  return probs.map((p, i) => (windows[i]!.offset === 0 ? p : p.slice(windows[i]!.offset * 4)));
}

/** The rolling-mask recipe on sequences as the model reads them. */
async function reconstructRead(model: MaskedLanguageModelBase, items: readonly ReconstructItem[], o: ReconstructOptions): Promise<NucleotideProbs[]> {
  const tok = model.tokenizer;
  const k = tok.k;
  const spans = o.spansPerPass ?? 1;
  const batchSize = o.batchSize ?? defaultBatchRows(model.config.maxPositionEmbeddings, 64);
  if (!Number.isInteger(spans) || spans < 1) throw new InputError(`spans per pass must be a positive integer, got ${spans}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InputError(`batch size must be a positive integer, got ${batchSize}`);

  const edges = o.edges ?? model.config.edgeMasks ?? "span";
  const enc = items.map((it) => encodeItem(model, it));
  const wanted = items.map((_, idx) => o.positions?.(idx));
  const out = items.map((it) => new Float32Array(it.sequence.length * 4));
  // acc[item][(slot*k + m)*k*4 + offset*4 + base]: folded head output at masked token m of each span slot.
  const acc = items.map((it) => new Float32Array(slotCount(it.sequence.length, k) * k * k * 4));
  const passes: Pass[] = [];
  items.forEach((it, idx) => passes.push(...planPasses(it.sequence.length, k, spans, wanted[idx], edges).map((sp) => ({ item: idx, spans: sp }))));

  // Group passes by token length so each batch is one dense [rows, T] tensor.
  const byLen = new Map<number, Pass[]>();
  for (const p of passes) {
    const T = enc[p.item]!.ids.length;
    const group = byLen.get(T);
    if (group) group.push(p);
    else byLen.set(T, [p]);
  }
  let done = 0;
  for (const [T, group] of byLen) {
    for (let s = 0; s < group.length; s += batchSize) {
      if (o.signal) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        o.signal.throwIfAborted();
      }
      const batch = group.slice(s, s + batchSize);
      await runBatch(model, batch, T, enc, acc, k);
      done += batch.length;
      o.onProgress?.(done, passes.length);
    }
  }
  items.forEach((it, idx) => {
    foldPositions(acc[idx]!, out[idx]!, it.sequence.length, k, edges, wanted[idx]);
  });
  return out;
}

/** Token ids as the model was trained: the species token only for "token" conditioning. */
function encodeItem(model: MaskedLanguageModelBase, it: ReconstructItem): EncodedItem {
  const proxy = it.speciesProxy ? { speciesProxy: it.speciesProxy } : {};
  const mode = model.config.conditioning;
  const e = model.tokenizer.encode(it.sequence, mode === "token" ? it.species : null, { record: it.id, ...proxy });
  return { ids: e.ids, head: e.speciesId === null ? 1 : 2, speciesIndex: mode === "embedding" ? model.speciesRow(it) : null };
}

interface EncodedItem {
  readonly ids: Int32Array;
  /** Position of the first k-mer token. */
  readonly head: number;
  /** Row of the species table (embedding conditioning), else null. */
  readonly speciesIndex: number | null;
}

/** Span slots of a sequence of L nucleotides: the published rows, then 2(k-1) minimal edge spans. */
function slotCount(L: number, k: number): number {
  const rows = L - 2 * (k - 1);
  return rows < 1 ? 0 : rows + 2 * (k - 1);
}

/** The span that hides nucleotide p (module doc of Span for the slots). */
function spanFor(p: number, L: number, k: number, edges: EdgeMasks): Span {
  const n = L - k + 1;
  const rows = L - 2 * (k - 1);
  if (edges === "minimal" && p < k - 1) return { slot: rows + p, start: 0, length: p + 1 };
  if (edges === "minimal" && p > n - 1) return { slot: rows + k - 1 + (L - 1 - p), start: p - k + 1, length: L - p };
  const row = Math.min(Math.max(p - k + 1, 0), rows - 1);
  return { slot: row, start: row, length: k };
}

/**
 * Spans grouped into forward passes. All rows, `spans` per pass spaced evenly along the sequence
 * (with minimal edges, the k-1 start edges each share a pass with an end edge, when the sequence
 * keeps them k tokens apart, else one per pass); or, with `positions`, only the spans serving them,
 * one per pass.
 */
function planPasses(L: number, k: number, spans: number, positions: readonly number[] | undefined, edges: EdgeMasks): Span[][] {
  const nRows = L - 2 * (k - 1);
  if (nRows < 1) return [];
  if (positions) {
    const bySlot = new Map<number, Span>();
    for (const p of positions) {
      if (p < 0 || p >= L) continue;
      const span = spanFor(p, L, k, edges);
      bySlot.set(span.slot, span);
    }
    return [...bySlot.values()].sort((a, b) => a.slot - b.slot).map((sp) => [sp]);
  }
  const stride = Math.ceil(nRows / Math.min(spans, nRows));
  const passes: Span[][] = [];
  for (let r = 0; r < stride; r++) {
    const rows: Span[] = [];
    for (let s = r; s < nRows; s += stride) rows.push({ slot: s, start: s, length: k });
    passes.push(rows);
  }
  if (edges === "minimal") {
    const apart = L - k + 1 >= 3 * k - 2;
    for (let p = 0; p < k - 1; p++) {
      const [head, tail] = [spanFor(p, L, k, edges), spanFor(L - 1 - p, L, k, edges)];
      if (spans > 1 && apart) passes.push([head, tail]);
      else passes.push([head], [tail]);
    }
  }
  return passes;
}

async function runBatch(
  model: MaskedLanguageModelBase,
  batch: readonly Pass[],
  T: number,
  enc: readonly EncodedItem[],
  acc: Float32Array[],
  k: number,
): Promise<void> {
  const maskId = BigInt(model.tokenizer.vocab.maskId);
  const B = batch.length;
  const ids = new BigInt64Array(B * T);
  const reads: number[] = [];
  const readTargets: { item: number; slot: number }[] = [];
  batch.forEach((p, b) => {
    const e = enc[p.item]!;
    const head = e.head;
    for (let t = 0; t < T; t++) ids[b * T + t] = BigInt(e.ids[t]!);
    for (const span of p.spans) {
      for (let m = 0; m < span.length; m++) {
        ids[b * T + head + span.start + m] = maskId;
        reads.push(b * T + head + span.start + m);
        readTargets.push({ item: p.item, slot: span.slot * k + m });
      }
    }
  });
  const speciesIds =
    model.config.conditioning === "embedding"
      ? {
          speciesIds: i64(
            [B],
            batch.map((p) => enc[p.item]!.speciesIndex!),
          ),
        } // set for every item of an embedding model
      : {};
  const res = await model.run(
    "kmer-nucleotides",
    { inputIds: i64([B, T], ids), attentionMask: i64([B, T], new BigInt64Array(B * T).fill(1n)), ...speciesIds },
    { read_index: i64([reads.length], reads) },
  );
  const probs = res.kmer_nucleotide_probs!.data as Float32Array; // [M, k, 4]
  const w = k * 4;
  readTargets.forEach((r, j) => acc[r.item]!.set(probs.subarray(j * w, (j + 1) * w), r.slot * w));
}

/**
 * out[p, c] = normalised sum, over the k-mers q covering p, of P(base c at offset p-q) read at token q
 * of the span that hides p (spanFor), which holds every such k-mer.
 */
function foldPositions(acc: Float32Array, out: Float32Array, L: number, k: number, edges: EdgeMasks, only?: readonly number[]): void {
  const n = L - k + 1;
  if (only) out.fill(NaN);
  for (const p of only ?? Array.from({ length: L }, (_, i) => i)) {
    if (p < 0 || p >= L) continue;
    const span = spanFor(p, L, k, edges);
    out.set(
      foldNucleotide(acc, k, p, Math.max(0, p - k + 1), Math.min(n - 1, p), (q) => span.slot * k + (q - span.start)),
      p * 4,
    );
  }
}
