import { join } from "node:path";
import { InputError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { assignSplit } from "./split.js";
import { CORPUS_FORMAT_VERSION, SPLIT_NAMES, type Corpus, type CorpusRecord, type CorpusSpeciesEntry, type SplitName } from "./types.js";

/** A record before splitting; `split` is set when the source already decided it (e.g. a table column). */
export interface CorpusInput extends CorpusRecord {
  readonly split?: SplitName;
}

export interface CorpusMeta {
  readonly region: string | null;
  readonly seed: number;
  readonly splitFractions: readonly [number, number, number];
  readonly sources: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Records shorter than this are dropped and counted (default 6: a 6-mer tokenizer needs one k-mer). */
  readonly minLength?: number;
}

export const CORPUS_TSV_HEADER = "id\tspecies\tgene\tsequence";

const order = (a: CorpusRecord, b: CorpusRecord): number =>
  a.species < b.species ? -1 : a.species > b.species ? 1 : a.gene < b.gene ? -1 : a.gene > b.gene ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Rejects a record with an empty field or a tab/newline inside one (it would break the TSV). */
export function checkFields(r: CorpusRecord): void {
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === "string" && (v === "" || /[\t\r\n]/.test(v))) {
      throw new InputError(`corpus record ${r.species}/${r.id}: field ${k} is empty or contains a tab/newline`);
    }
  }
}

/**
 * Deduplicates (identical sequence within a species: the record with the smallest gene key, then ID,
 * is kept, so the result does not depend on input order), assigns splits by gene key, and writes
 * `train.tsv`, `valid.tsv`, `test.tsv` and finally `corpus.json`. Everything is computed before the
 * first write, and each file is written atomically, so bad input leaves no partial corpus.
 */
export async function writeCorpus(dir: string, inputs: readonly CorpusInput[], meta: CorpusMeta): Promise<Corpus> {
  const sorted = [...inputs].sort(order);
  const seenIds = new Set<string>();
  const seenSeqs = new Set<string>();
  const perSpecies = new Map<string, { counts: Record<SplitName, number>; duplicatesRemoved: number; tooShortRemoved: number }>();
  const minLength = meta.minLength ?? 6;
  const rows: Record<SplitName, string[]> = { train: [CORPUS_TSV_HEADER], valid: [CORPUS_TSV_HEADER], test: [CORPUS_TSV_HEADER] };
  for (const r of sorted) {
    checkFields(r);
    const idKey = `${r.species}\t${r.id}`;
    if (seenIds.has(idKey)) throw new InputError(`duplicate record id "${r.id}" for species "${r.species}"; ids must be unique within a species`);
    seenIds.add(idKey);
    let sp = perSpecies.get(r.species);
    if (!sp) {
      sp = { counts: { train: 0, valid: 0, test: 0 }, duplicatesRemoved: 0, tooShortRemoved: 0 };
      perSpecies.set(r.species, sp);
    }
    if (r.sequence.length < minLength) {
      sp.tooShortRemoved++;
      continue;
    }
    const seqKey = `${r.species}\t${r.sequence}`;
    if (seenSeqs.has(seqKey)) {
      sp.duplicatesRemoved++;
      continue;
    }
    seenSeqs.add(seqKey);
    const split = r.split ?? assignSplit(r.gene, meta.seed, meta.splitFractions);
    sp.counts[split]++;
    rows[split].push(`${r.id}\t${r.species}\t${r.gene}\t${r.sequence}`);
  }
  const species: CorpusSpeciesEntry[] = [...perSpecies].map(([name, s]) => ({
    name,
    counts: s.counts,
    duplicatesRemoved: s.duplicatesRemoved,
    tooShortRemoved: s.tooShortRemoved,
  }));
  const sum = (f: (s: CorpusSpeciesEntry) => number) => species.reduce((a, s) => a + f(s), 0);
  const corpus: Corpus = {
    formatVersion: CORPUS_FORMAT_VERSION,
    region: meta.region,
    seed: meta.seed,
    splitFractions: meta.splitFractions,
    species,
    totals: {
      train: sum((s) => s.counts.train),
      valid: sum((s) => s.counts.valid),
      test: sum((s) => s.counts.test),
      duplicatesRemoved: sum((s) => s.duplicatesRemoved),
      tooShortRemoved: sum((s) => s.tooShortRemoved ?? 0),
    },
    sources: meta.sources,
  };
  for (const split of SPLIT_NAMES) await writeFileAtomic(join(dir, `${split}.tsv`), rows[split].join("\n") + "\n");
  await writeFileAtomic(join(dir, "corpus.json"), JSON.stringify(corpus, null, 2) + "\n");
  return corpus;
}
