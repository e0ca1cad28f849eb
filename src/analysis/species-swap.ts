import { InputError } from "../errors.js";
import { reconstruct } from "../infer/reconstruct.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { heatmapSvg } from "../report/species-heatmap.js";
import { groupFamilies, type MotifFamily, type MotifVariant } from "./species-swap-variants.js";
import { pwmFromConsensus } from "../pwm/iupac-codes.js";
import type { Motif } from "../pwm/motif.js";
import { scanConsensus } from "../pwm/motif-scan.js";

/**
 * Species swap: does the model, told species Y, reconstruct the variable bases of a motif in species
 * X's sequences as X's own variant? For each instance of X's variant (exact IUPAC match, given strand),
 * the score under told species T is the mean over the family's variable positions of P_T(the bases the
 * own variant allows there), each position reconstructed from the FULL sequence (rolling masks) with
 * the model told T. Cells average instances per (family, sequence species, told species); the
 * preference is P(told own species) - mean P(told another listed species) over the same instances.
 */
export interface SwapRecord {
  readonly id: string;
  /** Species the sequence comes from (whatever the model is told). */
  readonly species: string;
  readonly sequence: string;
}

export interface SpeciesSwapOptions {
  /** Species to tell the model (model species names); ignored for species-agnostic models. */
  readonly told: readonly string[];
  readonly variants: readonly MotifVariant[];
  /**
   * Reconstruct whole sequences with this many masked spans per pass. Default: only the rows that
   * serve the instances' variable positions, one span per pass (the exact recipe, and far less work).
   */
  readonly spansPerPass?: number;
  readonly batchSize?: number;
  /** Use at most this many sequences with instances per sequence species (file order). */
  readonly maxSequencesPerSpecies?: number;
  readonly onProgress?: (toldDone: number, toldTotal: number) => void;
}

/** Column name for the one "told" column of a species-agnostic model. */
export const AGNOSTIC = "(agnostic)";

export interface SwapCell {
  readonly family: string;
  readonly sequenceSpecies: string;
  readonly told: string;
  readonly instances: number;
  /** Mean P(own variant's bases at the variable positions). */
  readonly meanOwn: number;
}

export interface SwapPreference {
  readonly family: string;
  readonly sequenceSpecies: string;
  readonly instances: number;
  readonly own: number;
  readonly other: number;
  /** own - other. */
  readonly preference: number;
  /** Share of instances whose own-species score beats their mean other-species score. */
  readonly fractionPositive: number;
}

export interface SpeciesSwapResult {
  readonly conditioning: "token" | "embedding" | "none";
  readonly told: readonly string[];
  readonly families: readonly string[];
  readonly sequenceSpecies: readonly string[];
  readonly cells: readonly SwapCell[];
  readonly preferences: readonly SwapPreference[];
  readonly skipped: readonly { family: string; reason: string }[];
  /** Sequences reconstructed (those with at least one instance) and instances scored. */
  readonly records: number;
  readonly instances: number;
}

/** A motif instance: record index, family index, variant index, 0-based start. */
export interface VariantInstance {
  readonly record: number;
  readonly family: number;
  readonly variant: number;
  readonly start: number;
}

/** Variants of `fam` to look for in a species' sequences: its assigned ones, or all if none is assigned. */
function variantsFor(fam: MotifFamily, species: string): number[] {
  const assigned = fam.variants.some((v) => v.species.length > 0);
  return fam.variants.map((_, i) => i).filter((i) => !assigned || fam.variants[i]!.species.includes(species));
}

/**
 * Exact matches of each species' variants in its sequences. A start matched by two variants of one
 * family (overlapping IUPAC codes) is ambiguous about "own" and left out.
 */
export function findVariantInstances(records: readonly SwapRecord[], families: readonly MotifFamily[]): VariantInstance[] {
  const cache = new Map<string, Motif[]>();
  const motifsFor = (species: string): Motif[] => {
    let m = cache.get(species);
    if (!m) {
      m = families.flatMap((fam, f) =>
        variantsFor(fam, species).map((v): Motif => {
          const c = fam.variants[v]!.variant;
          return { id: `${f}:${v}`, name: `${f}:${v}`, source: "variants", width: c.length, probs: pwmFromConsensus(c), consensus: c };
        }),
      );
      cache.set(species, m);
    }
    return m;
  };
  const out: VariantInstance[] = [];
  records.forEach((r, record) => {
    const byStart = new Map<string, VariantInstance[]>();
    for (const hit of scanConsensus(r.sequence, motifsFor(r.species))) {
      const [f, v] = hit.family.split(":").map(Number) as [number, number];
      const key = `${f}:${hit.start}`;
      byStart.set(key, [...(byStart.get(key) ?? []), { record, family: f, variant: v, start: hit.start }]);
    }
    for (const list of byStart.values()) if (list.length === 1) out.push(list[0]!);
  });
  return out;
}

/** Keeps records with instances, at most `max` per sequence species; re-indexes the instances. */
function selectRecords(records: readonly SwapRecord[], instances: readonly VariantInstance[], max: number) {
  const withHits = [...new Set(instances.map((i) => i.record))].sort((a, b) => a - b);
  const perSpecies = new Map<string, number>();
  const newIndex = new Map<number, number>();
  for (const r of withHits) {
    const sp = records[r]!.species;
    const n = perSpecies.get(sp) ?? 0;
    if (n >= max) continue;
    perSpecies.set(sp, n + 1);
    newIndex.set(r, newIndex.size);
  }
  return {
    records: [...newIndex.keys()].map((r) => records[r]!),
    instances: instances.filter((i) => newIndex.has(i.record)).map((i) => ({ ...i, record: newIndex.get(i.record)! })),
  };
}

/** Runs the swap analysis: one full reconstruction of the selected sequences per told species. */
export async function speciesSwap(model: MaskedLanguageModel, input: readonly SwapRecord[], o: SpeciesSwapOptions): Promise<SpeciesSwapResult> {
  const conditioning = model.config.conditioning;
  const told = conditioning === "none" ? [AGNOSTIC] : [...new Set(o.told)];
  if (told.length === 0) throw new InputError("species swap needs at least one species to tell the model (--species A,B,...)");
  if (conditioning !== "none") for (const t of told) model.tokenizer.speciesId(t); // UnknownSpeciesError lists the known names
  const all = groupFamilies(o.variants);
  const skipped = all.filter((f) => f.variable.length === 0).map((f) => ({ family: f.family, reason: "a single variant: no variable positions" }));
  const families = all.filter((f) => f.variable.length > 0);
  const found = findVariantInstances(input, families);
  const { records, instances } = selectRecords(input, found, o.maxSequencesPerSpecies ?? Infinity);
  // scores[instance * told.length + t]
  const scores = new Float64Array(instances.length * told.length);
  // Only the variable positions of the instances are read: reconstruct just the rows serving them
  // (exact recipe), unless the caller asks for whole-sequence passes with several spans each.
  const wanted = records.map(() => [] as number[]);
  for (const ins of instances) for (const j of families[ins.family]!.variable) wanted[ins.record]!.push(ins.start + j);
  for (let t = 0; t < told.length; t++) {
    const species = told[t] === AGNOSTIC ? null : told[t]!;
    const probs = await reconstruct(
      model,
      records.map((r) => ({ id: r.id, sequence: r.sequence, species })),
      {
        ...(o.spansPerPass ? { spansPerPass: o.spansPerPass } : { positions: (i: number) => wanted[i] }),
        ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      },
    );
    instances.forEach((ins, i) => {
      const fam = families[ins.family]!;
      const masks = fam.masks[ins.variant]!;
      const p = probs[ins.record]!;
      let s = 0;
      for (const j of fam.variable) for (let c = 0; c < 4; c++) if ((masks[j]! >> c) & 1) s += p[(ins.start + j) * 4 + c]!;
      scores[i * told.length + t] = s / fam.variable.length;
    });
    o.onProgress?.(t + 1, told.length);
  }
  return {
    conditioning,
    told,
    ...summarise(records, instances, families, told, scores),
    skipped,
    records: records.length,
    instances: instances.length,
  };
}

function summarise(
  records: readonly SwapRecord[],
  instances: readonly VariantInstance[],
  families: readonly MotifFamily[],
  told: readonly string[],
  scores: Float64Array,
) {
  const T = told.length;
  const groups = new Map<string, number[]>();
  instances.forEach((ins, i) => {
    const key = `${ins.family}\t${records[ins.record]!.species}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const cells: SwapCell[] = [];
  const preferences: SwapPreference[] = [];
  const sequenceSpecies = [...new Set(records.map((r) => r.species))].sort();
  for (const [f, fam] of families.entries()) {
    for (const sp of sequenceSpecies) {
      const idx = groups.get(`${f}\t${sp}`);
      if (!idx) continue;
      const mean = (t: number) => idx.reduce((s, i) => s + scores[i * T + t]!, 0) / idx.length;
      told.forEach((t, ti) => cells.push({ family: fam.family, sequenceSpecies: sp, told: t, instances: idx.length, meanOwn: mean(ti) }));
      const own = told.indexOf(sp);
      if (own < 0 || T < 2) continue;
      const otherOf = (i: number) => told.reduce((s, _, t) => (t === own ? s : s + scores[i * T + t]!), 0) / (T - 1);
      const positive = idx.filter((i) => scores[i * T + own]! > otherOf(i)).length;
      const ownMean = mean(own);
      const other = idx.reduce((s, i) => s + otherOf(i), 0) / idx.length;
      preferences.push({
        family: fam.family,
        sequenceSpecies: sp,
        instances: idx.length,
        own: ownMean,
        other,
        preference: ownMean - other,
        fractionPositive: positive / idx.length,
      });
    }
  }
  return { families: families.map((f) => f.family), sequenceSpecies, cells, preferences };
}

const num = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : "NA");

/** Long table: family, sequence_species, told_species, instances, mean_p_own. */
export function swapCellsTsv(r: SpeciesSwapResult): string {
  const rows = r.cells.map((c) => [c.family, c.sequenceSpecies, c.told, c.instances, num(c.meanOwn)].join("\t"));
  return ["family\tsequence_species\ttold_species\tinstances\tmean_p_own", ...rows].join("\n") + "\n";
}

export function swapPreferencesTsv(r: SpeciesSwapResult): string {
  const rows = r.preferences.map((p) =>
    [p.family, p.sequenceSpecies, p.instances, num(p.own), num(p.other), num(p.preference), num(p.fractionPositive)].join("\t"),
  );
  return ["family\tsequence_species\tinstances\tp_told_own\tp_told_other\tpreference\tfraction_positive", ...rows].join("\n") + "\n";
}

/** Heatmap of mean P(own variant) for one family: sequence species x told species, own cells outlined. */
export function swapHeatmap(r: SpeciesSwapResult, family: string): string {
  const cells = r.cells.filter((c) => c.family === family);
  const rows = r.sequenceSpecies.filter((s) => cells.some((c) => c.sequenceSpecies === s));
  const values = rows.map((s) => r.told.map((t) => cells.find((c) => c.sequenceSpecies === s && c.told === t)?.meanOwn ?? NaN));
  return heatmapSvg({
    title: `${family}: mean P(own variant) at the variable positions`,
    rowLabels: rows,
    colLabels: r.told,
    values,
    rowTitle: "species of the sequences",
    colTitle: "species the model is told",
    markDiagonal: true,
  });
}
