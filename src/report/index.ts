// Reports and figures: the evaluation report (types, HTML, TSV), SVG charts, heatmaps and sequence logos: re-exports only.
export { REPORT_CSS, renderReportHtml } from "./report-html.js";
export { renderComparisonsTsv, renderReportTsv } from "./report-tsv.js";
export type {
  CalibrationBin,
  EvaluationReport,
  FamilyMetrics,
  MetricSummary,
  ModelReport,
  PairedComparison,
  SpeciesMetrics,
} from "./report-types.js";
export { PALETTE, barChart, lineChart, niceTicks, scatterChart } from "./svg-charts.js";
export type { BarChartSpec, LineChartSpec, ScatterChartSpec } from "./svg-charts.js";
export { writeReport } from "./write-report.js";
export * from "./species-heatmap.js";
export { BASE_COLORS, baseIndex, letterHeights, sequenceLogoSvg } from "./sequence-logo.js";
export type { Base, LetterHeight, SequenceLogoFigure, SequenceLogoSpec } from "./sequence-logo.js";
export { informationHeights, logoSvg, smallSampleCorrection } from "./logo-svg.js";
export type { LogoSpec } from "./logo-svg.js";
