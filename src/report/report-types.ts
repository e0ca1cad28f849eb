/**
 * The typed result of an evaluation, written as JSON/TSV/HTML. Cross-entropy is in nats per nucleotide,
 * accuracy is the fraction of nucleotides whose argmax prediction equals the true base. Positions whose
 * true base is not A/C/G/T (N, IUPAC) are not scored.
 */
export interface MetricSummary {
  /** Scored nucleotides. */
  n: number;
  accuracy: number;
  crossEntropy: number;
}

export interface SpeciesMetrics {
  species: string;
  records: number;
  all: MetricSummary;
  /** Positions outside every motif site and its flank (siteMargin); the whole record when no sites are given. */
  background: MetricSummary;
  /** Positions inside at least one motif site. */
  motif: MetricSummary;
}

export interface FamilyMetrics {
  family: string;
  /** Pooled over all species. */
  all: MetricSummary;
  perSpecies: Array<{ species: string; metrics: MetricSummary }>;
}

export interface CalibrationBin {
  /** Bin bounds on the predicted probability of the argmax base. */
  lo: number;
  hi: number;
  n: number;
  meanConfidence: number;
  accuracy: number;
}

export interface ModelReport {
  name: string;
  /** Mean over species of the per-species metrics (each species weighs the same). */
  speciesAverage: { accuracy: number; crossEntropy: number; backgroundCrossEntropy: number; motifAccuracy: number };
  /** Over all scored nucleotides together. */
  pooled: MetricSummary;
  /** Over all species: the first and last EDGE_WIDTH (6) nucleotides of each record, and the rest. */
  edges: { edge: MetricSummary; interior: MetricSummary };
  perSpecies: SpeciesMetrics[];
  /** Index = 0-based position along the region (all species together). */
  perPosition: { n: number[]; accuracy: number[]; crossEntropy: number[] };
  calibration: { bins: CalibrationBin[]; ece: number };
  perFamily: FamilyMetrics[];
  notes: string[];
}

export interface PairedComparison {
  a: string;
  b: string;
  nucleotides: number;
  /** Nucleotides only A (only B) predicts correctly; McNemar's test compares them. */
  onlyA: number;
  onlyB: number;
  mcnemarP: number;
  mcnemarMethod: "exact" | "normal";
  /** Mean CE(A) - CE(B) per nucleotide (negative: A is better), with a bootstrap over records. */
  ceDifference: number;
  ceDifferenceCi95: [number, number];
  /** Two-sided bootstrap p-value for "no CE difference" (resolution 1 / bootstrapSamples). */
  bootstrapP: number;
  bootstrapSamples: number;
  seed: number;
}

export interface EvaluationReport {
  title: string;
  createdAt: string;
  species: string[];
  records: number;
  nucleotides: number;
  /** Where motif sites came from ("sites table", "consensus scan of N motifs", "none"). */
  motifSource: string;
  models: ModelReport[];
  comparisons: PairedComparison[];
  notes: string[];
}
