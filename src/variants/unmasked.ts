import { f32 } from "../host-tensor.js";
import type { ReconstructItem } from "../infer/reconstruct.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { BASES } from "./variant.js";

/**
 * Unmasked per-nucleotide predictions and their dependency reductions, run in ONNX Runtime (the graphs of
 * src/model/nucleotide-dependency.ts). Rows are grouped by length, so every run is one dense batch.
 */

/** [L*4] float32 smoothed log-odds of P(A,C,G,T) at each position of the unmasked sequence. */
export type LogOdds = Float32Array;

export interface UnmaskedPredictions {
  readonly probs: Float32Array;
  readonly logOdds: LogOdds;
}

const DEFAULT_BATCH = 32;

function feedsFor(model: MaskedLanguageModel, items: readonly ReconstructItem[]) {
  return model.encode(items.map((it) => ({ id: it.id, sequence: it.sequence, species: it.species, ...(it.speciesProxy ? { speciesProxy: it.speciesProxy } : {}) })));
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
  model: MaskedLanguageModel, items: readonly ReconstructItem[], o: { batchSize?: number } = {},
): Promise<UnmaskedPredictions[]> {
  const out: UnmaskedPredictions[] = new Array(items.length);
  for (const idx of lengthBatches(items.map((it) => it.sequence.length), o.batchSize ?? DEFAULT_BATCH)) {
    const res = await model.run("unmasked-log-odds", feedsFor(model, idx.map((i) => items[i]!)));
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
  for (const idx of lengthBatches(rows.map((r) => r.mutant.sequence.length), o.batchSize ?? DEFAULT_BATCH)) {
    const L = rows[idx[0]!]!.mutant.sequence.length;
    const ref = f32([idx.length, L, 4]);
    const weight = f32([idx.length, L]);
    weight.data.fill(1);
    idx.forEach((i, b) => {
      ref.data.set(rows[i]!.reference, b * L * 4);
      const { pos, span = 1, exclude = 0 } = rows[i]!;
      weight.data.fill(0, b * L + Math.max(0, pos - exclude), b * L + Math.min(L, pos + span + exclude));
    });
    const res = await model.run("unmasked-influence", feedsFor(model, idx.map((i) => rows[i]!.mutant)), { ref_log_odds: ref, weight });
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
  const [ref] = await unmaskedPredictions(model, [item]);
  const perRun = Math.max(1, Math.floor((o.batchSize ?? 30) / 3));
  const positions = o.positions ?? Array.from({ length: L }, (_, i) => i);
  const map = new Float32Array(L * L);
  const influence = new Float32Array(L * 4).fill(NaN);
  const refTensor = f32([1, L, 4], ref!.logOdds);
  for (let s = 0; s < positions.length; s += perRun) {
    const chunk = positions.slice(s, s + perRun);
    const mutants: ReconstructItem[] = [];
    const alts: number[] = [];
    const weight = f32([chunk.length * 3, L]);
    weight.data.fill(1);
    chunk.forEach((i, c) => {
      for (let base = 0, r = 0; base < 4; base++) {
        if (BASES[base] === seq[i]) continue;
        if (r === 3) break; // non-ACGT reference: three substitutions still fill the group
        mutants.push({ ...item, id: `${item.id}:${i}${BASES[base]}`, sequence: seq.slice(0, i) + BASES[base] + seq.slice(i + 1) });
        alts.push(i * 4 + base);
        weight.data[(c * 3 + r) * L + i] = 0;
        r++;
      }
    });
    const res = await model.run("unmasked-map", feedsFor(model, mutants), { ref_log_odds: refTensor, weight });
    const dep = res.dependency!.data as Float32Array;
    chunk.forEach((i, c) => map.set(dep.subarray(c * L, (c + 1) * L), i * L));
    const inf = res.influence!.data as Float32Array;
    alts.forEach((a, r) => (influence[a] = inf[r]!));
    o.onProgress?.(Math.min(s + perRun, positions.length), positions.length);
  }
  return { length: L, map, influence, probs: ref!.probs };
}
