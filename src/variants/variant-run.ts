import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { baselineScores, type VariantBaseline } from "./baseline-scores.js";
import { type ScoreOptions, scoreColumns, scoreVariants, type VariantScores } from "./scores.js";
import { checkVariant, defaultPllWindow, fitToModel, maxSequenceLength, unscorableReason, type Variant } from "./variant.js";
import type { VariantInput } from "./variant-input.js";
import { genomicScoresTsv, tableScoresTsv, vcfScoresTsv, vcfWithScores } from "./variant-output.js";

export interface VariantRunOptions {
  /** The variants read (readVariantInput) and the path they came from, for messages. */
  readonly input: VariantInput;
  readonly path: string;
  /** The model scoring them, or null for baselines only. */
  readonly model: MaskedLanguageModel | null;
  readonly baselines: readonly VariantBaseline[];
  readonly scores: ScoreOptions;
  readonly speciesProxy?: string | undefined;
  /** Indel/MNV llr window; default the model's (defaultPllWindow) or the widest baseline context. */
  readonly pllWindow?: number | undefined;
  /** Called after each score column (twice with rcAverage), out of `total`. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface VariantRunResult {
  /** The variants as scored (fitted to the model). */
  readonly variants: Variant[];
  /** Why each variant cannot be scored, or null. */
  readonly reasons: (string | null)[];
  readonly columns: string[];
  readonly scores: VariantScores[];
  readonly pllWindow: number;
}

/** Scores the variants of an input with a model and k-mer baselines: each variant's row of score columns. */
export async function scoreVariantInput(o: VariantRunOptions): Promise<VariantRunResult> {
  const { input, model, baselines } = o;
  const lmCols = model ? scoreColumns(o.scores) : [];
  const columns: string[] = [...lmCols, ...baselines.map((b) => b.column)];
  const variants: Variant[] =
    input.kind === "sequence" ? input.variants : input.variants.map((v) => fitToModel(model, o.speciesProxy ? { ...v, speciesProxy: o.speciesProxy } : v));
  variants.forEach((v, i) =>
    checkVariant(model, v, input.kind === "sequence" ? input.variants[i]!.where : `${o.path} record ${input.variants[i]!.record + 1}`),
  );
  const window = o.pllWindow ?? (model ? defaultPllWindow(model.tokenizer.k) : Math.max(0, ...baselines.map((b) => b.context)));
  const reasons = variants.map((v) => unscorableReason(v, { window, ...(model ? { maxLength: maxSequenceLength(model) } : {}) }));

  const total = lmCols.length * (o.scores.rcAverage ? 2 : 1) + baselines.length;
  let stage = 0;
  const scores: VariantScores[] =
    model && variants.length
      ? await scoreVariants(model, variants, { ...o.scores, pllWindow: window, onProgress: () => o.onProgress?.(stage++, total) })
      : variants.map(() => ({}));
  for (const b of baselines) {
    (await baselineScores(b, variants, window)).forEach((x, i) => (scores[i]![b.column] = x));
    o.onProgress?.(stage++, total);
  }
  return { variants, reasons, columns, scores, pllWindow: window };
}

/** The scores table in the input's own layout (sequence table, genomic table or VCF rows), as TSV. */
export function variantScoresTsv(input: VariantInput, r: VariantRunResult): string {
  const status = r.reasons.map((x) => x ?? "scored");
  if (input.kind === "sequence") return tableScoresTsv(input.variants, input.extraColumns, r.columns, r.scores);
  if (input.kind === "genomic") return genomicScoresTsv(input.rows, input.status, input.variants, status, input.extraColumns, r.columns, r.scores);
  return vcfScoresTsv(placedVariants(input, r), r.columns, r.scores);
}

/** A VCF input written back with the scores as INFO fields; `source` names what scored them. */
export function vcfInputWithScores(input: VariantInput & { kind: "vcf" }, r: VariantRunResult, source: string): string {
  return vcfWithScores(input.headerLines, input.dataLines, placedVariants(input, r), r.columns, r.scores, source);
}

const placedVariants = (input: VariantInput & { kind: "vcf" }, r: VariantRunResult) => input.variants.map((v, i) => ({ ...v, ...r.variants[i]! }));
