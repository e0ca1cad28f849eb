import { writeFileAtomic } from "../io/atomic-write.js";
import { mulberry32 } from "../rng.js";

/**
 * A small simulated multi-species 3'-region data set, generated in-process so the demo needs no
 * downloads: each species has its own order-2 Markov background (a shared root chain perturbed per
 * species) and, for each motif family, its own variant of the motif (the variants of a family differ
 * at two positions; species s uses variant s mod 2) planted in a species-specific window. A
 * species-aware model can learn which variant each species uses; an agnostic one sees their mixture
 * and must guess the species from the background, which the default spread keeps hard.
 */
export interface SimulationOptions {
  readonly species?: number;
  readonly perSpecies?: number;
  readonly length?: number;
  readonly seed?: number;
  /** Probability that a sequence carries an instance of each family. */
  readonly motifRate?: number;
  readonly families?: readonly SimulatedFamily[];
  /** How far each species' background chain strays from the shared root (log-scale noise). */
  readonly backgroundSpread?: number;
  /**
   * "markov2" (default): order-2 chains as above. "composition": independent bases at each species'
   * own composition, so nothing but the motifs is learnable beyond composition (the demo's setting).
   */
  readonly background?: "markov2" | "composition";
}

/** A motif family and its variants; species s plants variants[s % variants.length]. */
export interface SimulatedFamily {
  readonly family: string;
  readonly variants: readonly string[];
}

/** Puf3-, Whi3- and efficiency-element-like families, each in two variants two bases apart. */
export const SIMULATED_FAMILIES: readonly SimulatedFamily[] = [
  { family: "puf3-like", variants: ["TGTAAATA", "TGTCCATA"] },
  { family: "whi3-like", variants: ["ATTGCATT", "ATCGCGTT"] },
  { family: "tata-like", variants: ["TATATAAA", "TACATGAA"] },
];

/** The name of simulated species s: species_a, species_b, ... */
export function simulatedSpeciesName(s: number): string {
  return `species_${String.fromCharCode(97 + s)}`;
}

/** The planted variants with the species that use them (the species-swap analysis's input). */
export function simulatedVariants(o: SimulationOptions = {}): { family: string; variant: string; species: string[] }[] {
  const S = o.species ?? 4;
  return (o.families ?? SIMULATED_FAMILIES).flatMap((f) =>
    f.variants.map((variant, v) => ({
      family: f.family,
      variant,
      species: Array.from({ length: S }, (_, s) => s)
        .filter((s) => s % f.variants.length === v)
        .map(simulatedSpeciesName),
    })),
  );
}

/**
 * Rows prev2*4+prev1, columns A,C,G,T; Dirichlet-like draw around `base` with spread `noise`, and G/C
 * weighted by `gc` (species differ in GC content, as yeasts do: the first thing a model can tell apart).
 */
function perturbChain(base: Float64Array, noise: number, next: () => number, gc = 1): Float64Array {
  const out = new Float64Array(64);
  for (let r = 0; r < 16; r++) {
    let z = 0;
    for (let c = 0; c < 4; c++) {
      const v = base[r * 4 + c]! * Math.exp(noise * (next() * 2 - 1)) * (c === 1 || c === 2 ? gc : 1);
      out[r * 4 + c] = v;
      z += v;
    }
    for (let c = 0; c < 4; c++) out[r * 4 + c]! /= z;
  }
  return out;
}

/** The chain of an order-0 source: every context row is `row`. */
function rowsOf(row: Float64Array): Float64Array {
  const out = new Float64Array(64);
  for (let r = 0; r < 16; r++) out.set(row, r * 4);
  return out;
}

export interface SimulatedRecord {
  readonly species: string;
  readonly id: string;
  readonly split: "train" | "valid" | "test";
  readonly sequence: string;
  /** Planted motif instances, 0-based half-open. */
  readonly sites: readonly { family: string; start: number; end: number }[];
}

export function simulateSpecies(o: SimulationOptions = {}): SimulatedRecord[] {
  const next = mulberry32(o.seed ?? 7).next;
  const S = o.species ?? 4;
  const N = o.perSpecies ?? 400;
  const L = o.length ?? 120;
  const rate = o.motifRate ?? 0.7;
  const families = o.families ?? SIMULATED_FAMILIES;
  const composition = o.background === "composition";
  // A chain whose 16 rows are one row is an order-0 source: bases drawn independently.
  const root = composition ? new Float64Array(64).fill(0.25) : perturbChain(new Float64Array(64).fill(0.25), 1.6, next);
  const out: SimulatedRecord[] = [];
  for (let s = 0; s < S; s++) {
    const gc = [0.85, 1.15, 0.95, 1.05][s % 4];
    const chain = composition
      ? rowsOf(perturbChain(root, o.backgroundSpread ?? 0.4, next, gc).subarray(0, 4))
      : perturbChain(root, o.backgroundSpread ?? 0.4, next, gc);
    // Family f sits in its own third of the region, shifted per species.
    const centres = families.map((_, f) => Math.floor((L * (f + 0.5)) / families.length + ((s % 3) - 1) * 6));
    const name = simulatedSpeciesName(s);
    for (let i = 0; i < N; i++) {
      const seq: number[] = [Math.floor(next() * 4), Math.floor(next() * 4)];
      while (seq.length < L) {
        const row = seq[seq.length - 2]! * 4 + seq[seq.length - 1]!;
        let u = next();
        let c = 0;
        while (c < 3 && u >= chain[row * 4 + c]!) u -= chain[row * 4 + c++]!;
        seq.push(c);
      }
      let text = seq.map((b) => "ACGT"[b]).join("");
      const sites: { family: string; start: number; end: number }[] = [];
      families.forEach((f, fi) => {
        if (next() >= rate) return;
        const motif = f.variants[s % f.variants.length]!;
        const at = Math.max(0, Math.min(L - motif.length, centres[fi]! + Math.floor((next() - 0.5) * 8)));
        text = text.slice(0, at) + motif + text.slice(at + motif.length);
        sites.push({ family: f.family, start: at, end: at + motif.length });
      });
      const split = i % 10 === 0 ? "test" : i % 10 === 1 ? "valid" : "train";
      out.push({ species: name, id: `${name}_${i}`, split, sequence: text, sites });
    }
  }
  return out;
}

/** Writes the records as a `species id split sequence` table for `corpus from-table`. */
export async function writeSimulationTable(path: string, records: readonly SimulatedRecord[]): Promise<void> {
  const lines = ["species\tid\tsplit\tsequence", ...records.map((r) => `${r.species}\t${r.id}\t${r.split}\t${r.sequence}`)];
  await writeFileAtomic(path, lines.join("\n") + "\n");
}
