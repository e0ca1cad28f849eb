import { InputError } from "../errors.js";
import { defaultEmbeddingLayer, embedSequences } from "../infer/embed.js";
import type { NucleotideProbs } from "../baselines/nucleotide-predictor.js";
import { reconstruct, type ReconstructItem } from "../infer/reconstruct.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { pllDifference } from "./pll.js";
import { influenceScores, unmaskedPredictions } from "./unmasked.js";
import {
  altSequence,
  BASES,
  defaultPllWindow,
  maxSequenceLength,
  pllWindows,
  reverseComplementVariant,
  unscorableReason,
  variantChange,
  type Variant,
  type VariantChange,
} from "./variant.js";
import { defaultBatchRows } from "../runtime/batch-rows.js";

/** Scores `scoreVariants` can compute; `llr_calibrated` comes with the `calibrate` option. */
export const SCORE_NAMES = ["llr", "influence", "embedding_distance", "delta_prob"] as const;
export type ScoreName = (typeof SCORE_NAMES)[number];
export type ScoreColumn = ScoreName | "llr_calibrated";
/** The scores of one variant by column (the requested LM columns, baseline columns such as kmer_2_2_llr); NaN = not defined. */
export type VariantScores = Partial<Record<string, number>>;

/** Defaults of the ScoreOptions below (`specieslm variants --help` shows them). */
export const VARIANT_SCORE_DEFAULTS = { batchSize: 32, influenceExclude: 0, deltaWindow: 10 } as const;

export interface ScoreOptions {
  /** Default: llr, influence, embedding_distance (delta_prob costs 2 x (2 window) masked passes per variant). */
  readonly scores?: readonly ScoreName[];
  /** Average every score with the same variant read on the reverse-complement strand. */
  readonly rcAverage?: boolean;
  /** Add `llr_calibrated` (SNVs): llr minus the mean llr of the same central 5-mer and alt over the input sequences. */
  readonly calibrate?: boolean;
  /** First hidden layer of the embedding mean (default two thirds down, as `embed`). */
  readonly embeddingLayer?: number;
  /**
   * influence leaves out this many positions either side of the changed bases (default 0: every other
   * position, the published definition). With k-mer tokens the k-1 nearest positions are read from
   * tokens that contain the variant itself, so k-1 keeps only changes carried through the context.
   */
  readonly influenceExclude?: number;
  /** delta_prob reads positions pos-w..pos+w except the changed bases (default 10). */
  readonly deltaWindow?: number;
  /** Indel/MNV llr: W nt either side of the changed bases (default k + 5, `defaultPllWindow`). */
  readonly pllWindow?: number;
  readonly batchSize?: number;
  readonly onProgress?: (stage: string) => void;
}

export const DEFAULT_SCORES: readonly ScoreName[] = ["llr", "influence", "embedding_distance"];

/** Score columns in output order for the given options. */
export function scoreColumns(o: ScoreOptions): ScoreColumn[] {
  const chosen = o.scores ?? DEFAULT_SCORES;
  const cols: ScoreColumn[] = SCORE_NAMES.filter((s) => chosen.includes(s));
  if (o.calibrate) cols.splice(cols.indexOf("llr") + 1, 0, "llr_calibrated");
  return cols;
}

/**
 * Zero-shot variant scores, one record of columns per variant, in input order (docs/variant-scores.md):
 * - `llr`: SNVs: ln P(alt) - ln P(ref) at the variant by the published rolling-mask recipe (the one pass
 *   that hides the base). MNVs and indels: the pseudo-log-likelihood difference over the changed bases and
 *   W nt either side, sum of ln P(x_j | rest) (each j hidden in turn, as `reconstruct`) over the alt window
 *   minus the same sum over the ref window;
 * - `influence`: mean over the unchanged positions, aligned between ref and alt (those right of an indel
 *   shifted by its length change), of max over bases of |log-odds change| between the unmasked sequences
 *   (src/model/nucleotide-dependency.ts, eps 1e-6);
 * - `embedding_distance`: 1 - cosine of the `embed` vectors (token means) of ref and alt sequence;
 * - `delta_prob` (SNVs, MNVs): mean over j within the window of the changed bases, not them, of the
 *   total-variation distance between the reconstructed distributions at j; NaN for indels.
 * Unscorable variants (`unscorableReason`) get NaN everywhere. Larger llr favours the alt allele; for the
 * others larger means a larger predicted effect.
 */
export async function scoreVariants(model: MaskedLanguageModel, variants: readonly Variant[], o: ScoreOptions = {}): Promise<VariantScores[]> {
  const cols = scoreColumns(o);
  if (cols.includes("llr_calibrated") && !cols.includes("llr")) throw new InputError("llr_calibrated needs the llr score");
  const window = o.pllWindow ?? defaultPllWindow(model.tokenizer.k);
  const maxLength = maxSequenceLength(model);
  const ok = variants.map((_, i) => i).filter((i) => unscorableReason(variants[i]!, { window, maxLength }) === null);
  const chosen = ok.map((i) => variants[i]!);
  const forward = await scoreStrand(model, chosen, cols, { ...o, pllWindow: window });
  const scored = !o.rcAverage
    ? forward
    : await (async () => {
        const reverse = await scoreStrand(model, chosen.map(reverseComplementVariant), cols, { ...o, pllWindow: window });
        return forward.map((f, i) => Object.fromEntries(cols.map((c) => [c, (f[c]! + reverse[i]![c]!) / 2])) as VariantScores);
      })();
  const out: VariantScores[] = variants.map(() => Object.fromEntries(cols.map((c) => [c, NaN])));
  ok.forEach((i, n) => (out[i] = scored[n]!));
  return out;
}

/** Distinct reference sequences (by species, proxy and sequence) and each variant's index into them. */
function distinctSequences(variants: readonly Variant[]): { items: ReconstructItem[]; of: number[] } {
  const index = new Map<string, number>();
  const items: ReconstructItem[] = [];
  const of = variants.map((v) => {
    const key = `${v.species}\t${v.speciesProxy ?? ""}\t${v.sequence}`;
    let i = index.get(key);
    if (i === undefined) {
      i = items.length;
      index.set(key, i);
      items.push(itemOf(v, v.sequence, `ref${items.length}`));
    }
    return i;
  });
  return { items, of };
}

function itemOf(v: Variant, sequence: string, id: string): ReconstructItem {
  return { id, sequence, species: v.species, ...(v.speciesProxy ? { speciesProxy: v.speciesProxy } : {}) };
}

/** The distinct reference sequences of a batch of variants, shared by every score. */
interface Batch {
  readonly variants: readonly Variant[];
  readonly changes: readonly VariantChange[];
  readonly items: ReconstructItem[];
  /** Index into `items` of each variant's sequence. */
  readonly of: number[];
  readonly o: ScoreOptions & { pllWindow: number };
  readonly batchSize: number;
}

async function scoreStrand(
  model: MaskedLanguageModel,
  variants: readonly Variant[],
  cols: readonly ScoreColumn[],
  o: ScoreOptions & { pllWindow: number },
): Promise<VariantScores[]> {
  const out: VariantScores[] = variants.map(() => ({}));
  if (variants.length === 0) return out;
  const batch: Batch = {
    variants,
    changes: variants.map(variantChange),
    ...distinctSequences(variants),
    o,
    batchSize: o.batchSize ?? defaultBatchRows(model.config.maxPositionEmbeddings, VARIANT_SCORE_DEFAULTS.batchSize),
  };
  const fill = (name: ScoreColumn, values: ArrayLike<number>) => variants.forEach((_, i) => (out[i]![name] = values[i]!));
  if (cols.includes("llr")) {
    o.onProgress?.("llr");
    const { llr, calibrated } = await llrScores(model, batch, cols.includes("llr_calibrated"));
    fill("llr", llr);
    if (calibrated) fill("llr_calibrated", calibrated);
  }
  if (cols.includes("influence")) {
    o.onProgress?.("influence");
    fill("influence", await influences(model, batch));
  }
  if (cols.includes("embedding_distance")) {
    o.onProgress?.("embedding_distance");
    fill("embedding_distance", await embeddingDistances(model, batch));
  }
  if (cols.includes("delta_prob")) {
    o.onProgress?.("delta_prob");
    fill("delta_prob", await deltaProbs(model, batch));
  }
  return out;
}

const altItem = (v: Variant) => itemOf(v, altSequence(v), `${v.id}:alt`);
const range = ([a, b]: readonly [number, number]) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

/**
 * SNV llr from the ref sequence's reconstruction at the variant; indel/MNV llr from the ref and alt
 * reconstructions over their PLL windows. Calibration needs every position of every ref sequence.
 */
async function llrScores(model: MaskedLanguageModel, b: Batch, calibrate: boolean): Promise<{ llr: number[]; calibrated?: number[] }> {
  const windows = b.variants.map((v, i) => pllWindows(v, b.changes[i]!, b.o.pllWindow));
  const wanted = b.items.map(() => new Set<number>());
  b.variants.forEach((_, i) => {
    const c = b.changes[i]!;
    (c.kind === "snv" ? [c.start] : range(windows[i]!.ref)).forEach((j) => wanted[b.of[i]!]!.add(j));
  });
  const probs = await reconstruct(model, b.items, {
    batchSize: b.batchSize,
    ...(calibrate ? {} : { positions: (i: number) => [...wanted[i]!] }),
  });
  const multi = b.variants.map((_, i) => i).filter((i) => b.changes[i]!.kind !== "snv");
  const altProbs = await reconstruct(
    model,
    multi.map((i) => altItem(b.variants[i]!)),
    { batchSize: b.batchSize, positions: (n) => range(windows[multi[n]!]!.alt) },
  );
  const altOf = new Map(multi.map((i, n) => [i, altProbs[n]!]));
  const llr = b.variants.map((v, i) => {
    const c = b.changes[i]!;
    const ref = probs[b.of[i]!]!;
    if (c.kind === "snv") return llrAt(ref, c.start, v.sequence[c.start]!, altSequence(v)[c.start]!);
    return pllDifference(
      { probs: ref, sequence: v.sequence, window: windows[i]!.ref },
      { probs: altOf.get(i)!, sequence: altSequence(v), window: windows[i]!.alt },
    );
  });
  if (!calibrate) return { llr };
  const background = contextMeans(
    b.items.map((it) => it.sequence),
    probs,
  );
  return {
    llr,
    calibrated: b.variants.map((v, i) =>
      b.changes[i]!.kind !== "snv" ? NaN : llr[i]! - (background.get(contextKey(v.sequence, b.changes[i]!.start, altSequence(v)[b.changes[i]!.start]!)) ?? NaN),
    ),
  };
}

/**
 * The ref log-odds in alt coordinates: alt positions before the change read the same ref position, those
 * after it the ref position shifted back by the length change; the changed alt bases get 0 (weight 0).
 */
export function alignedReference(refLogOdds: Float32Array, c: VariantChange, altLength: number): Float32Array {
  const out = new Float32Array(altLength * 4);
  out.set(refLogOdds.subarray(0, c.start * 4), 0);
  out.set(refLogOdds.subarray(c.refEnd * 4), c.altEnd * 4);
  return out;
}

async function influences(model: MaskedLanguageModel, b: Batch): Promise<Float64Array> {
  const refs = await unmaskedPredictions(model, b.items, { batchSize: b.batchSize });
  const rows = b.variants.map((v, i) => {
    const c = b.changes[i]!;
    const mutant = altItem(v);
    return {
      mutant,
      reference: alignedReference(refs[b.of[i]!]!.logOdds, c, mutant.sequence.length),
      pos: c.start,
      span: c.altEnd - c.start,
      exclude: b.o.influenceExclude ?? VARIANT_SCORE_DEFAULTS.influenceExclude,
    };
  });
  return influenceScores(model, rows, { batchSize: b.batchSize });
}

async function embeddingDistances(model: MaskedLanguageModel, b: Batch): Promise<number[]> {
  const layer = b.o.embeddingLayer ?? defaultEmbeddingLayer(model.config.numHiddenLayers);
  const refEmb = await embeddings(model, b.items, layer, b.batchSize);
  const altEmb = await embeddings(model, b.variants.map(altItem), layer, b.batchSize);
  return b.variants.map((_, i) => 1 - cosine(refEmb[b.of[i]!]!, altEmb[i]!));
}

/** Mean total-variation distance of the reconstructed distributions within `deltaWindow` of the changed bases (SNVs, MNVs; NaN for indels). */
async function deltaProbs(model: MaskedLanguageModel, b: Batch): Promise<number[]> {
  const w = b.o.deltaWindow ?? VARIANT_SCORE_DEFAULTS.deltaWindow;
  const windowOf = (i: number) => {
    const { start, refEnd, altEnd, kind } = b.changes[i]!;
    if (kind !== "snv" && kind !== "mnv") return [];
    const L = b.variants[i]!.sequence.length;
    return range([Math.max(0, start - w), Math.min(L, Math.max(refEnd, altEnd) + w)]).filter((j) => j < start || j >= refEnd);
  };
  const refWanted = b.items.map(() => new Set<number>());
  b.variants.forEach((_, i) => windowOf(i).forEach((j) => refWanted[b.of[i]!]!.add(j)));
  const refP = await reconstruct(model, b.items, { batchSize: b.batchSize, positions: (i) => [...refWanted[i]!] });
  const altP = await reconstruct(model, b.variants.map(altItem), { batchSize: b.batchSize, positions: windowOf });
  return b.variants.map((_, i) => {
    const js = windowOf(i);
    const a = altP[i]!,
      r = refP[b.of[i]!]!;
    let tv = 0;
    for (const j of js) for (let c = 0; c < 4; c++) tv += Math.abs(a[j * 4 + c]! - r[j * 4 + c]!) / 2;
    return js.length ? tv / js.length : NaN;
  });
}

function llrAt(p: NucleotideProbs, pos: number, ref: string, alt: string): number {
  return Math.log(p[pos * 4 + BASES.indexOf(alt)]!) - Math.log(p[pos * 4 + BASES.indexOf(ref)]!);
}

/** Central 5-mer and alt allele; "" where the 5-mer runs off the sequence or holds a non-ACGT base. */
function contextKey(seq: string, pos: number, alt: string): string {
  if (pos < 2 || pos + 3 > seq.length) return "";
  const ctx = seq.slice(pos - 2, pos + 3);
  return /^[ACGT]{5}$/.test(ctx) ? `${ctx}>${alt}` : "";
}

/** Mean llr of every (central 5-mer, alt) over every position of the given, fully reconstructed sequences. */
function contextMeans(seqs: readonly string[], probs: readonly NucleotideProbs[]): Map<string, number> {
  const sum = new Map<string, [number, number]>();
  seqs.forEach((s, i) => {
    for (let j = 0; j < s.length; j++) {
      for (const alt of BASES) {
        if (alt === s[j]) continue;
        const key = contextKey(s, j, alt);
        if (!key) continue;
        const acc = sum.get(key) ?? [0, 0];
        acc[0] += llrAt(probs[i]!, j, s[j]!, alt);
        acc[1]++;
        sum.set(key, acc);
      }
    }
  });
  return new Map([...sum].map(([k, [s, n]]) => [k, s / n]));
}

async function embeddings(model: MaskedLanguageModel, items: readonly ReconstructItem[], layer: number, batchSize: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for await (const e of embedSequences(model, items, { fromLayer: layer, batchSize })) out.push(e.embedding);
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}
