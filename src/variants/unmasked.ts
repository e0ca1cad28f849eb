import { f32 } from "../host-tensor.js";
import type { ReconstructItem } from "../infer/reconstruct.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { modelWindow } from "../runtime/sequence-window.js";
import { BASES } from "./variant.js";
import { defaultBatchRows } from "../runtime/batch-rows.js";

/**
 * Unmasked per-nucleotide predictions and their dependency reductions, run in ONNX Runtime (the graphs of
 * src/model/nucleotide-dependency.ts). Rows are grouped by length, so every run is one dense batch.
 * Sequences are read as modelWindow gives them; a five_prime model's left fill is read but neither
 * returned nor counted (weight 0): positions in and out are the record's own.
 */

/** [L*4] float32 smoothed log-odds of P(A,C,G,T) at each position of the unmasked sequence. */
export type LogOdds = Float32Array;

export interface UnmaskedPredictions {
  readonly probs: Float32Array;
  readonly logOdds: LogOdds;
}

const DEFAULT_BATCH = 32;

function feedsFor(model: MaskedLanguageModel, items: readonly ReconstructItem[]) {
  return model.encode(
    items.map((it) => ({
      id: it.id,
      sequence: it.sequence,
      species: it.species,
      ...(it.speciesProxy ? { speciesProxy: it.speciesProxy } : {}),
    })),
  );
}

/** Item indices grouped by sequence length, in chunks of at most `batch`. */
function lengthBatches(lengths: readonly number[], batch: number): number[][] {
  const byLen = new Map<number, number[]>();
  lengths.forEach((L, i) => {
    const g = byLen.get(L);
    if (g) g.push(i);
    else byLen.set(L, [i]);
  });
  const out: number[][] = [];
  for (const g of byLen.values()) for (let s = 0; s < g.length; s += batch) out.push(g.slice(s, s + batch));
  return out;
}

/** Unmasked P(A,C,G,T) and log-odds of every position of each item. */
export async function unmaskedPredictions(
  model: MaskedLanguageModel,
  items: readonly ReconstructItem[],
  o: { batchSize?: number } = {},
): Promise<UnmaskedPredictions[]> {
  const windows = items.map((it) => modelWindow(model, it));
  const read = await predictionsRead(
    model,
    windows.map((w) => w.item),
    o,
  );
  return read.map((r, i) => {
    const at = windows[i]!.offset * 4;
    return at === 0 ? r : { probs: r.probs.slice(at), logOdds: r.logOdds.slice(at) };
  });
}

/** Predictions of sequences as the model reads them (windows). */
async function predictionsRead(model: MaskedLanguageModel, items: readonly ReconstructItem[], o: { batchSize?: number }): Promise<UnmaskedPredictions[]> {
  const out: UnmaskedPredictions[] = new Array(items.length);
  for (const idx of lengthBatches(
    items.map((it) => it.sequence.length),
    o.batchSize ?? defaultBatchRows(model.config.maxPositionEmbeddings, DEFAULT_BATCH),
  )) {
    const res = await model.run(
      "unmasked-log-odds",
      feedsFor(
        model,
        idx.map((i) => items[i]!),
      ),
    );
    const w = items[idx[0]!]!.sequence.length * 4;
    const probs = res.nucleotide_probs!.data as Float32Array;
    const lo = res.log_odds!.data as Float32Array;
    idx.forEach((i, b) => (out[i] = { probs: probs.slice(b * w, (b + 1) * w), logOdds: lo.slice(b * w, (b + 1) * w) }));
  }
  return out;
}

/**
 * One mutant row against its reference log-odds, aligned to the mutant's positions: the changed bases
 * [pos, pos + span) of the mutant (default span 1: a substitution; 0: a deletion's junction) are left
 * out of the mean with the `exclude` positions either side of them (default 0).
 */
export interface InfluenceRow {
  readonly mutant: ReconstructItem;
  readonly reference: LogOdds;
  readonly pos: number;
  readonly span?: number;
  readonly exclude?: number;
}

/**
 * Variant influence per row: mean over the mutant's unchanged positions j (outside [pos, pos + span) and
 * farther than `exclude` from it) of max over bases of |log-odds change| at j between the unmasked mutant
 * and its aligned reference (reductions in-graph).
 */
export async function influenceScores(model: MaskedLanguageModel, rows: readonly InfluenceRow[], o: { batchSize?: number } = {}): Promise<Float64Array> {
  const out = new Float64Array(rows.length);
  const windows = rows.map((r) => modelWindow(model, r.mutant));
  for (const idx of lengthBatches(
    windows.map((w) => w.item.sequence.length),
    o.batchSize ?? defaultBatchRows(model.config.maxPositionEmbeddings, DEFAULT_BATCH),
  )) {
    const L = windows[idx[0]!]!.item.sequence.length;
    const ref = f32([idx.length, L, 4]);
    const weight = f32([idx.length, L]);
    weight.data.fill(1);
    idx.forEach((i, b) => {
      const off = windows[i]!.offset;
      ref.data.set(rows[i]!.reference, (b * L + off) * 4);
      const { pos, span = 1, exclude = 0 } = rows[i]!;
      weight.data.fill(0, b * L, b * L + off); // the fill is read, not scored
      weight.data.fill(0, b * L + Math.max(off, off + pos - exclude), b * L + Math.min(L, off + pos + span + exclude));
    });
    const res = await model.run(
      "unmasked-influence",
      feedsFor(
        model,
        idx.map((i) => windows[i]!.item),
      ),
      { ref_log_odds: ref, weight },
    );
    const inf = res.influence!.data as Float32Array;
    idx.forEach((i, b) => (out[i] = inf[b]!));
  }
  return out;
}

export interface DependencyMap {
  readonly length: number;
  /** [L*L]: map[i*L + j] = max over the 3 substitutions at i and the 4 bases at j of |log-odds change| at j; 0 on the diagonal. */
  readonly map: Float32Array;
  /** [L*4]: influence score of substituting base c at i (NaN for the reference base). */
  readonly influence: Float32Array;
  /** [L*4]: unmasked P(A,C,G,T) of the reference sequence. */
  readonly probs: Float32Array;
}

/**
 * The nucleotide dependency map of one sequence (Tomaz da Silva et al. 2025): one reference pass, then
 * the 3L single-base mutants in batches of whole positions (three rows each) against that reference;
 * the log-odds, max and mean reductions run inside the graph, so only [positions, L] comes back per run.
 * `positions` restricts the mutated positions (rows of the map; others stay 0 / NaN).
 */
export async function dependencyMap(
  model: MaskedLanguageModel,
  item: ReconstructItem,
  o: { batchSize?: number; positions?: readonly number[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<DependencyMap> {
  const seq = item.sequence;
  const L = seq.length;
  // Mutants are made and read in the model's window (fill + sequence, `off` nt of fill); maps are reported in the record's coordinates.
  const { item: read, offset: off } = modelWindow(model, item);
  const Lr = read.sequence.length;
  const [ref] = await predictionsRead(model, [read], {});
  const perRun = Math.max(1, Math.floor((o.batchSize ?? defaultBatchRows(model.config.maxPositionEmbeddings, 30)) / 3));
  const positions = o.positions ?? Array.from({ length: L }, (_, i) => i);
  const map = new Float32Array(L * L);
  const influence = new Float32Array(L * 4).fill(NaN);
  const refTensor = f32([1, Lr, 4], ref!.logOdds);
  for (let s = 0; s < positions.length; s += perRun) {
    const chunk = positions.slice(s, s + perRun);
    const mutants: ReconstructItem[] = [];
    const alts: number[] = [];
    const weight = f32([chunk.length * 3, Lr]);
    weight.data.fill(1);
    for (let r = 0; r < chunk.length * 3; r++) weight.data.fill(0, r * Lr, r * Lr + off);
    chunk.forEach((i, c) => {
      for (let base = 0, r = 0; base < 4; base++) {
        if (BASES[base] === seq[i]) continue;
        if (r === 3) break; // non-ACGT reference: three substitutions still fill the group
        const at = off + i;
        mutants.push({
          ...read,
          id: `${item.id}:${i}${BASES[base]}`,
          sequence: read.sequence.slice(0, at) + BASES[base] + read.sequence.slice(at + 1),
        });
        alts.push(i * 4 + base);
        weight.data[(c * 3 + r) * Lr + at] = 0;
        r++;
      }
    });
    const res = await model.run("unmasked-map", feedsFor(model, mutants), { ref_log_odds: refTensor, weight });
    const dep = res.dependency!.data as Float32Array;
    chunk.forEach((i, c) => map.set(dep.subarray(c * Lr + off, (c + 1) * Lr), i * L));
    const inf = res.influence!.data as Float32Array;
    alts.forEach((a, r) => (influence[a] = inf[r]!));
    o.onProgress?.(Math.min(s + perRun, positions.length), positions.length);
  }
  return { length: L, map, influence, probs: ref!.probs.slice(off * 4) };
}
