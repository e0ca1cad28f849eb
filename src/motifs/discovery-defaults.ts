/** Per-base contribution score of a reconstruction (see contributionTrack). */
export type ContributionScore = "log-ratio" | "ic" | "vs-baseline";
export const CONTRIBUTION_SCORES: readonly ContributionScore[] = ["log-ratio", "ic", "vs-baseline"];
/** Null distribution of window sums that seqlet calling tests against (see callSeqlets). */
export type SeqletNull = "empirical" | "laplace";
/** Column similarity used to match a pattern to a known motif (see matchMotifs). */
export type ColumnScore = "pearson" | "euclidean";
export const COLUMN_SCORES: readonly ColumnScore[] = ["pearson", "euclidean"];

/**
 * The one home of motif discovery's defaults: the library's option fallbacks and the CLI's help
 * defaults both read them (see DiscoveryOptions, SeqletOptions, MatchOptions for what each means).
 */
export const MOTIF_DEFAULTS = {
  /** vs-baseline against a self-fitted (2,2) k-mer table: log-ratio lights up predictable GC-rich background. */
  score: "vs-baseline" as ContributionScore,
  /** Context (left, right) of the k-mer table fitted on the analysed sequences when no baseline is given. */
  selfBaselineLeft: 2,
  selfBaselineRight: 2,
  window: 8,
  flank: 4,
  fdr: 0.05,
  null: "empirical" as SeqletNull,
  seed: 1,
  bothStrands: true,
  seedLength: 6,
  seedPad: 4,
  similarity: 0.5,
  minSeqlets: 20,
  minFraction: 0.005,
  maxPatterns: 20,
  trim: 0.15,
  merge: 0.7,
  alignFlank: 3,
  iterations: 3,
  extend: 4,
  extendBits: 1,
  minWidth: 4,
  minColumns: 3,
  words: true,
  wordQuantile: 0.95,
  keepMatches: 5,
  matchScore: "pearson" as ColumnScore,
  matchBins: 100,
  minOverlap: 5,
} as const;
