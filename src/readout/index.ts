// Readouts from sequences and embeddings to measurements, and motif-instance reconstruction: re-exports only.
export { checkEmbeddable, embeddingMatrix, speciesToldNote } from "./embedding-features.js";
export type { EmbeddableRecords, EmbeddingSource } from "./embedding-features.js";
export { blockName, covariateColumns, expandEmbeddings, FEATURE_SYNTAX, parseFeatureSets } from "./feature-spec.js";
export type { FeatureBlock, FeatureSet } from "./feature-spec.js";
export { groupKFold, kFold } from "./folds.js";
export type { FoldAssignment } from "./folds.js";
export { wilcoxonSignedRank } from "./rank-tests.js";
export type { WilcoxonResult } from "./rank-tests.js";
export { readReadoutTable, readTableHeader } from "./readout-table.js";
export type { ReadoutColumns, ReadoutTable } from "./readout-table.js";
export { runReadout } from "./readout.js";
export type { FeatureSetResult, ReadoutComparison, ReadoutOptions, ReadoutReport, TargetReport } from "./readout.js";
export {
  readoutSummary,
  renderPredictionsTsv,
  renderReadoutComparisonsTsv,
  renderReadoutHtml,
  renderReadoutTsv,
  writeReadoutReport,
} from "./readout-report.js";
export { PREDICTION_COLUMNS, type ReadoutPaths, readoutPaths } from "./report-files.js";
export { bootstrapMetricCis, bootstrapR2Difference, r2Score, regressionMetrics } from "./regression-metrics.js";
export type { MetricCis, RegressionMetrics } from "./regression-metrics.js";
export { DEFAULT_ALPHAS, fitRidge, fitRidgeCv, ridgeCrossValidate } from "./ridge.js";
export type { RidgeCvResult, RidgeFit } from "./ridge.js";
export { blockMatrix, featureMatrix, gcMatrix, kmerCountMatrix } from "./sequence-features.js";
export type { FeatureSources } from "./sequence-features.js";
export { scoreInstances, siteAurocs, speciesComposition } from "./site-reconstruction.js";
export type { InstanceScores, SiteAuroc, SiteInstance, SitePairedTest, SiteScorer } from "./site-reconstruction.js";
export { renderSiteHtml, renderSiteTsv, siteSummary, writeSiteReport } from "./site-report.js";
export type { SiteReport } from "./site-report.js";
export { lmSiteScorer, predictorSiteScorer } from "./site-scorers.js";
export { DEFAULT_POSITIVE_LABELS, readSiteLabels, siteInstances, siteNotes } from "./site-instances.js";
export type { SiteInstanceOptions, SiteLookup } from "./site-instances.js";
