// Statistics for paired model comparisons (sign tests, McNemar, ROC, DeLong, correlations): re-exports only.
export { erfc, mcnemarTest } from "./stats.js";
export type { SignTestResult } from "./stats.js";
export { auprc, auroc, averagePrecision, delongTest, midranks, pearson, spearman } from "./roc.js";
export type { AurocResult, Correlation, PairedAurocResult } from "./roc.js";
