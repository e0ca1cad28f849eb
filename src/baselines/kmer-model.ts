import { encodeBases } from "../alphabet/base-codes.js";
import { KmerCounts } from "./kmer-counts.js";
import { iterateRecords } from "./nucleotide-predictor.js";
import type { NucleotideProbs, NucleotidePredictor, RecordSource, SequenceRecord } from "./nucleotide-predictor.js";

/** Which preset a model was fitted as; all are bidirectional k-mer tables underneath. */
export type KmerKind = "markov" | "dinucleotide" | "composition";

export interface KmerModelOptions {
  kind: KmerKind;
  /** Bases of left context (0..6); fixed to 1 for "dinucleotide" and 0 for "composition". */
  left: number;
  right: number;
  /** Pseudocount per base (default 1). */
  pseudocount: number;
  /** "lower-order": smooth each context towards the next shorter one; "uniform": towards 1/4. */
  prior: "lower-order" | "uniform";
  /** One table for all species instead of one per species. */
  pooled: boolean;
}

export const POOLED_KEY = "__pooled__";

/** Resolves presets: "composition" is (0, 0), "dinucleotide" is the bidirectional order-1 model (1, 1). */
export function resolveKmerOptions(partial: Partial<KmerModelOptions> & { kind?: KmerKind }): KmerModelOptions {
  const kind = partial.kind ?? "markov";
  const sides = kind === "composition" ? [0, 0] : kind === "dinucleotide" ? [1, 1] : [partial.left ?? 2, partial.right ?? 2];
  const pseudocount = partial.pseudocount ?? 1;
  if (!(pseudocount >= 0) || !Number.isFinite(pseudocount)) throw new RangeError(`pseudocount must be >= 0, got ${pseudocount}`);
  return {
    kind,
    left: sides[0]!,
    right: sides[1]!,
    pseudocount,
    prior: partial.prior ?? "lower-order",
    pooled: partial.pooled ?? false,
  };
}

/**
 * A fitted bidirectional k-mer model: one count table per species plus the pooled table (sum over
 * species), used for species absent from training and for `pooled` models.
 */
export class KmerModel {
  readonly options: KmerModelOptions;
  readonly perSpecies: Map<string, KmerCounts>;
  readonly pooledCounts: KmerCounts;

  constructor(options: KmerModelOptions, perSpecies: Map<string, KmerCounts>, pooledCounts: KmerCounts) {
    this.options = options;
    this.perSpecies = perSpecies;
    this.pooledCounts = pooledCounts;
  }

  get name(): string {
    const { kind, left, right, pooled } = this.options;
    const base = kind === "markov" ? `markov-${left}-${right}` : kind;
    return pooled ? `${base}-pooled` : base;
  }

  /** Streams records once, counting per species (or pooled only). */
  static async fit(records: RecordSource, partial: Partial<KmerModelOptions>): Promise<KmerModel> {
    const fitter = new KmerFitter(resolveKmerOptions(partial));
    for await (const rec of iterateRecords(records)) fitter.add(rec);
    return fitter.model();
  }

  /** `fit` for records already in memory (e.g. the sequences being analysed), without awaiting. */
  static fitSync(records: Iterable<SequenceRecord>, partial: Partial<KmerModelOptions>): KmerModel {
    const fitter = new KmerFitter(resolveKmerOptions(partial));
    for (const rec of records) fitter.add(rec);
    return fitter.model();
  }

  /** Table used for a species: its own, or the pooled one (pooled models, unseen species). */
  countsFor(species: string): { counts: KmerCounts; fallback: boolean } {
    if (this.options.pooled) return { counts: this.pooledCounts, fallback: false };
    const own = this.perSpecies.get(species);
    return own ? { counts: own, fallback: false } : { counts: this.pooledCounts, fallback: true };
  }

  /** `[L, 4]` probabilities for one sequence under the given species' table. */
  predictSequence(sequence: string, species: string): NucleotideProbs {
    const { counts } = this.countsFor(species);
    const out = new Float32Array(sequence.length * 4);
    counts.predictSequence(encodeBases(sequence), out, this.options.pseudocount, this.options.prior === "uniform");
    return out;
  }

  /** Wraps the model as a predictor that records which species fell back to the pooled table. */
  asPredictor(name?: string): NucleotidePredictor {
    return new KmerPredictor(this, name ?? this.name);
  }
}

/** Counts records one at a time into per-species tables (or the pooled one). */
class KmerFitter {
  private readonly perSpecies = new Map<string, KmerCounts>();
  private readonly pooled: KmerCounts;

  constructor(private readonly options: KmerModelOptions) {
    this.pooled = new KmerCounts(options.left, options.right);
  }

  add(rec: SequenceRecord): void {
    const codes = encodeBases(rec.sequence);
    if (this.options.pooled) {
      this.pooled.addSequence(codes);
      return;
    }
    let table = this.perSpecies.get(rec.species);
    if (!table) {
      table = new KmerCounts(this.options.left, this.options.right);
      this.perSpecies.set(rec.species, table);
    }
    table.addSequence(codes);
  }

  model(): KmerModel {
    for (const table of this.perSpecies.values()) this.pooled.addCounts(table);
    return new KmerModel(this.options, this.perSpecies, this.pooled);
  }
}

class KmerPredictor implements NucleotidePredictor {
  readonly name: string;
  private readonly model: KmerModel;
  private readonly fallbackRecords = new Map<string, number>();

  constructor(model: KmerModel, name: string) {
    this.model = model;
    this.name = name;
  }

  predict(record: SequenceRecord): NucleotideProbs {
    if (this.model.countsFor(record.species).fallback) {
      this.fallbackRecords.set(record.species, (this.fallbackRecords.get(record.species) ?? 0) + 1);
    }
    return this.model.predictSequence(record.sequence, record.species);
  }

  notes(): string[] {
    const notes: string[] = [];
    if (this.model.options.pooled) notes.push(`${this.name}: one pooled table for all species (species-agnostic)`);
    for (const [species, n] of this.fallbackRecords) {
      notes.push(`${this.name}: species "${species}" not in training data; ${n} record(s) used the pooled table`);
    }
    return notes;
  }
}
