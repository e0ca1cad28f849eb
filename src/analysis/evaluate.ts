import { encodeBases } from "../alphabet/base-codes.js";
import { iterateRecords } from "../baselines/nucleotide-predictor.js";
import type { NucleotideProbs, NucleotidePredictor, RecordSource, SequenceRecord } from "../baselines/nucleotide-predictor.js";
import { InputError } from "../errors.js";
import { scoreNucleotides } from "./nucleotide-scores.js";
import type { NucleotideScores } from "./nucleotide-scores.js";
import { PairedAccumulator } from "./paired-accumulator.js";
import { ReconstructionAccumulator } from "./reconstruction-accumulator.js";
import type { EvaluationReport } from "../report/report-types.js";
import type { MotifSite, SiteIndex } from "../pwm/sites.js";

export interface EvaluateOptions {
  predictors: readonly NucleotidePredictor[];
  records: RecordSource;
  /** Motif instances per record id (e.g. sim12 sites.tsv), or a function finding them (a motif scan). */
  sites?: SiteIndex | ((record: SequenceRecord) => readonly MotifSite[]);
  /** Label for where sites came from, shown in the report. */
  motifSource?: string;
  /** Records handed to `predictMany` at once (default 64). */
  batchSize?: number;
  /** Model pairs to compare; default all pairs (in predictor order). */
  comparisons?: ReadonlyArray<readonly [string, string]>;
  /**
   * Flank width (nt) excluded from "background" around each site (default 0). Context models see motif
   * bases in the flanks, so e.g. a Markov ceiling is exact only 2+ nt away from any site.
   */
  siteMargin?: number;
  calibrationBins?: number;
  bootstrapSamples?: number;
  seed?: number;
  title?: string;
}

/**
 * Streams records once, asks every predictor for `[L, 4]` probabilities (batched when a predictor has
 * `predictMany`; sync and async predictors alike) and accumulates metrics without keeping predictions.
 */
export async function evaluatePredictors(opts: EvaluateOptions): Promise<EvaluationReport> {
  const names = opts.predictors.map((p) => p.name);
  if (names.length === 0) throw new InputError("evaluatePredictors needs at least one predictor");
  if (new Set(names).size !== names.length) throw new InputError(`predictor names must be unique, got ${names.join(", ")}`);
  const accs = opts.predictors.map((p) => new ReconstructionAccumulator(p.name, opts.calibrationBins));
  const pairs = resolvePairs(names, opts.comparisons).map(([a, b]) => ({
    ia: names.indexOf(a),
    ib: names.indexOf(b),
    acc: new PairedAccumulator(a, b),
  }));
  const siteFinder = makeSiteFinder(opts.sites);
  const species: string[] = [];
  const seen = new Set<string>();
  let records = 0,
    nucleotides = 0,
    matchedSiteRecords = 0;
  const firstIds: string[] = [];
  const batchSize = opts.batchSize ?? 64;
  let batch: SequenceRecord[] = [];
  const flush = async () => {
    const preds = await Promise.all(opts.predictors.map((p) => predictBatch(p, batch)));
    batch.forEach((rec, r) => {
      if (!seen.has(rec.species)) {
        seen.add(rec.species);
        species.push(rec.species);
      }
      const x = encodeBases(rec.sequence);
      const sites = siteFinder(rec);
      if (sites.length) matchedSiteRecords++;
      if (firstIds.length < 3) firstIds.push(rec.id);
      const inMotif = motifMask(x.length, sites, opts.siteMargin ?? 0);
      const scores: NucleotideScores[] = preds.map((p, m) => scoreNucleotides(x, p[r]!, rec.id, names[m]!));
      scores.forEach((s, m) => accs[m]!.add(rec.species, s, inMotif, sites));
      for (const pair of pairs) pair.acc.add(scores[pair.ia]!, scores[pair.ib]!);
      records++;
      for (let i = 0; i < x.length; i++) if (scores[0]!.scored[i]) nucleotides++;
    });
    batch = [];
  };
  for await (const rec of iterateRecords(opts.records)) {
    batch.push(rec);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  if (records === 0) throw new InputError("no records to evaluate (check the input file and --split)");
  checkSitesMatched(opts.sites, matchedSiteRecords, firstIds);
  species.sort();
  return {
    title: opts.title ?? "Nucleotide reconstruction",
    createdAt: new Date().toISOString(),
    species,
    records,
    nucleotides,
    motifSource: opts.motifSource ?? (opts.sites ? "given sites" : "none"),
    models: accs.map((a, m) => a.finish(species, opts.predictors[m]!.notes?.() ?? [])),
    comparisons: pairs.map((p) => p.acc.finish(opts.bootstrapSamples, opts.seed)),
    notes: opts.predictors.flatMap((p) => p.notes?.() ?? []),
  };
}

async function predictBatch(p: NucleotidePredictor, batch: readonly SequenceRecord[]): Promise<NucleotideProbs[]> {
  if (p.predictMany) {
    const out = await p.predictMany(batch);
    if (out.length !== batch.length) throw new InputError(`${p.name}.predictMany returned ${out.length} results for ${batch.length} records`);
    return out;
  }
  const out: NucleotideProbs[] = [];
  for (const rec of batch) out.push(await p.predict(rec));
  return out;
}

function resolvePairs(names: string[], given: EvaluateOptions["comparisons"]): Array<readonly [string, string]> {
  if (given) {
    for (const [a, b] of given) {
      if (!names.includes(a) || !names.includes(b)) throw new InputError(`comparison ${a} vs ${b} names an unknown model; models: ${names.join(", ")}`);
    }
    return [...given];
  }
  const out: Array<readonly [string, string]> = [];
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) out.push([names[i]!, names[j]!]);
  return out;
}

/** A sites table that names none of the evaluated records is for other data: say so instead of scoring no motifs. */
function checkSitesMatched(sites: EvaluateOptions["sites"], matched: number, recordIds: readonly string[]): void {
  if (!sites || typeof sites === "function" || sites.size === 0 || matched > 0) return;
  const tableIds = [...sites.keys()].slice(0, 3);
  throw new InputError(
    `the sites table names none of the evaluated records (table: ${tableIds.join(", ")}, ...; records: ${recordIds.join(", ")}, ...); ` +
      "give the sites of these sequences, or leave out --sites",
  );
}

function makeSiteFinder(sites: EvaluateOptions["sites"]): (r: SequenceRecord) => readonly MotifSite[] {
  if (!sites) return () => [];
  if (typeof sites === "function") return sites;
  return (r) => sites.get(r.id) ?? [];
}

/**
 * Per-position region codes: 1 inside any site, 2 within `margin` nt of a site (flank: counted in
 * neither background nor motif), 0 background. Site bounds are clipped to the record.
 */
export function motifMask(length: number, sites: readonly MotifSite[], margin = 0): Uint8Array {
  const mask = new Uint8Array(length);
  for (const s of sites) {
    for (let i = Math.max(0, s.start - margin); i < Math.min(length, s.end + margin); i++) if (mask[i] === 0) mask[i] = 2;
  }
  for (const s of sites) for (let i = Math.max(0, s.start); i < Math.min(length, s.end); i++) mask[i] = 1;
  return mask;
}
