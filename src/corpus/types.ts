/** The three corpus splits, in file order. */
export type SplitName = "train" | "valid" | "test";
export const SPLIT_NAMES: readonly SplitName[] = ["train", "valid", "test"];

/** Bumped when the on-disk layout changes incompatibly; `readCorpus` refuses other versions. */
export const CORPUS_FORMAT_VERSION = 1;

/**
 * One row of `train.tsv` / `valid.tsv` / `test.tsv` (columns `id species gene sequence`).
 * `gene` is the orthology group key used for splitting: the same key never appears in two splits.
 * `sequence` is upper-case IUPAC DNA in transcript orientation.
 */
export interface CorpusRecord {
  readonly id: string;
  readonly species: string;
  readonly gene: string;
  readonly sequence: string;
}

export type SplitCounts = Record<SplitName, number>;

export interface CorpusSpeciesEntry {
  readonly name: string;
  readonly counts: SplitCounts;
  /** Records dropped because an identical sequence of the same species was already kept. */
  readonly duplicatesRemoved: number;
  /** Records dropped for being shorter than the corpus minimum length. */
  readonly tooShortRemoved?: number;
}

/** Contents of `corpus.json`, plus `dir` (where it was read from) when returned by `readCorpus`. */
export interface Corpus {
  readonly formatVersion: number;
  /** "three_prime" | "five_prime" when known, null when the sources do not say. */
  readonly region: string | null;
  readonly seed: number;
  /** Fractions for train, valid, test (sum 1); splits given by a source table are kept as given. */
  readonly splitFractions: readonly [number, number, number];
  readonly species: readonly CorpusSpeciesEntry[];
  readonly totals: SplitCounts & { readonly duplicatesRemoved: number; readonly tooShortRemoved?: number };
  /** Source manifest rows (paths as written in the manifest) or `{ table: PATH }`. */
  readonly sources: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly dir?: string;
}
