// Variant effect scores, dependency maps and in-silico mutagenesis: re-exports only.
export { DEFAULT_SCORES, SCORE_NAMES, scoreColumns, scoreVariants } from "./scores.js";
export type { ScoreColumn, ScoreName, ScoreOptions, VariantScores } from "./scores.js";
export { altSequence, checkVariant, fitToModel, maxSequenceLength, reverseComplementVariant } from "./variant.js";
export type { Variant } from "./variant.js";
export { readVariantTable } from "./variant-table.js";
export type { TableVariant } from "./variant-table.js";
export { placeVcfVariants } from "./vcf-variants.js";
export type { PlacedVariant, VcfPlacement, VcfPlacementOptions, VcfPlacementSummary } from "./vcf-variants.js";
export { formatScore, infoKey, tableScoresTsv, vcfScoresTsv, vcfWithScores } from "./variant-output.js";
export { dependencyMap, influenceScores, unmaskedPredictions } from "./unmasked.js";
export type { DependencyMap, InfluenceRow, LogOdds, UnmaskedPredictions } from "./unmasked.js";
export { ismMatrices } from "./ism.js";
export type { IsmScore } from "./ism.js";
export { dependencyHeatmapSvg } from "./dependency-svg.js";
export { sequenceItems } from "./sequence-items.js";
export { evaluateVariantScores, readScoreTable } from "./variant-evaluation.js";
export type { ScoreEvaluation, ScoreTable, VariantEvaluation } from "./variant-evaluation.js";
export { renderVariantReportHtml } from "./variant-report-html.js";
