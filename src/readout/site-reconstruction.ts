import type { MotifSite } from "../pwm/sites.js";
import { encodeBases, INVALID_BASE } from "../alphabet/base-codes.js";
import type { NucleotideProbs, SequenceRecord } from "../baselines/nucleotide-predictor.js";
import { InputError } from "../errors.js";
import { auroc, delongTest, type AurocResult, type PairedAurocResult } from "../stats/roc.js";

/** One motif instance on one record, with its class when known. */
export interface SiteInstance {
  readonly record: number;
  readonly site: MotifSite;
  /** true = the positive class (bound, functional), false = negative, undefined = unlabelled. */
  readonly positive?: boolean;
}

/**
 * Something that reconstructs records: [L, 4] probabilities with each base hidden. `positions` says
 * which bases are needed (an LM then runs only the rows serving them; others may come back NaN).
 */
export interface SiteScorer {
  readonly name: string;
  reconstruct(records: readonly SequenceRecord[], positions: readonly (readonly number[])[]): Promise<NucleotideProbs[]>;
}

/** Per-instance reconstruction by one scorer. */
export interface InstanceScores {
  readonly scorer: string;
  /** Mean probability of the reference bases over the instance. */
  readonly meanPRef: Float64Array;
  /** Mean over the instance of p_ref * log2(p_ref / pbar_ref), pbar_ref the species' frequency of that base. */
  readonly contribution: Float64Array;
}

export interface SiteAuroc {
  readonly scorer: string;
  readonly family: string;
  readonly meanPRef: AurocResult;
  readonly contribution: AurocResult;
}

export interface SitePairedTest extends PairedAurocResult {
  readonly family: string;
  readonly a: string;
  readonly b: string;
}

/** Base composition (A, C, G, T) per species over the records: the background pbar of the contribution score. */
export function speciesComposition(records: readonly SequenceRecord[]): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const r of records) {
    let c = out.get(r.species);
    if (!c) {
      c = new Float64Array(4);
      out.set(r.species, c);
    }
    for (const b of encodeBases(r.sequence)) if (b !== INVALID_BASE) c[b]! += 1;
  }
  for (const c of out.values()) {
    const n = c.reduce((a, b) => a + b, 0);
    c.forEach((v, i) => (c[i] = v / n));
  }
  return out;
}

/** Scores every instance with one scorer: only the records holding instances are reconstructed. */
export async function scoreInstances(
  scorer: SiteScorer,
  records: readonly SequenceRecord[],
  instances: readonly SiteInstance[],
  background: ReadonlyMap<string, Float64Array>,
): Promise<InstanceScores> {
  const needed = new Map<number, Set<number>>();
  for (const inst of instances) {
    const set = needed.get(inst.record) ?? new Set<number>();
    for (let p = inst.site.start; p < inst.site.end; p++) set.add(p);
    needed.set(inst.record, set);
  }
  const order = [...needed.keys()];
  const probs = await scorer.reconstruct(
    order.map((i) => records[i]!),
    order.map((i) => [...needed.get(i)!].sort((a, b) => a - b)),
  );
  const byRecord = new Map(order.map((rec, j) => [rec, probs[j]!]));
  const meanPRef = new Float64Array(instances.length),
    contribution = new Float64Array(instances.length);
  instances.forEach((inst, i) => {
    const rec = records[inst.record]!;
    const p = byRecord.get(inst.record)!;
    const codes = encodeBases(rec.sequence.slice(inst.site.start, inst.site.end));
    const bg = background.get(rec.species)!;
    let sp = 0,
      sc = 0,
      n = 0;
    codes.forEach((b, j) => {
      if (b === INVALID_BASE) return;
      const pRef = p[(inst.site.start + j) * 4 + b]!;
      if (!Number.isFinite(pRef)) throw new InputError(`${scorer.name} gave no probability at ${rec.id}:${inst.site.start + j}`);
      sp += pRef;
      sc += pRef * Math.log2(Math.max(pRef, 1e-12) / bg[b]!);
      n++;
    });
    meanPRef[i] = n ? sp / n : NaN;
    contribution[i] = n ? sc / n : NaN;
  });
  return { scorer: scorer.name, meanPRef, contribution };
}

/** AUROC (DeLong CI) per scorer and family ("all" pools the families), and paired DeLong tests between scorers. */
export function siteAurocs(instances: readonly SiteInstance[], scores: readonly InstanceScores[]): { aurocs: SiteAuroc[]; paired: SitePairedTest[] } {
  const families = ["all", ...new Set(instances.map((i) => i.site.family))];
  const aurocs: SiteAuroc[] = [],
    paired: SitePairedTest[] = [];
  for (const family of families.length === 2 ? ["all"] : families) {
    const idx = instances.map((inst, i) => (inst.positive !== undefined && (family === "all" || inst.site.family === family) ? i : -1)).filter((i) => i >= 0);
    const labels = idx.map((i) => instances[i]!.positive!);
    if (!labels.includes(true) || !labels.includes(false)) continue;
    const pick = (x: Float64Array) => idx.map((i) => x[i]!);
    for (const s of scores)
      aurocs.push({
        scorer: s.scorer,
        family,
        meanPRef: auroc(pick(s.meanPRef), labels),
        contribution: auroc(pick(s.contribution), labels),
      });
    for (let a = 0; a < scores.length; a++) {
      for (let b = a + 1; b < scores.length; b++) {
        paired.push({
          family,
          a: scores[a]!.scorer,
          b: scores[b]!.scorer,
          ...delongTest(pick(scores[a]!.meanPRef), pick(scores[b]!.meanPRef), labels),
        });
      }
    }
  }
  return { aurocs, paired };
}
