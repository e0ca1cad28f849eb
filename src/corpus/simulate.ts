import { writeFileAtomic } from "../io/atomic-write.js";
import { mulberry32 } from "../rng.js";

/**
 * A small simulated multi-species 3'-region data set, generated in-process so the demo needs no
 * downloads: each species has its own order-2 Markov background (a shared root chain perturbed per
 * species) and its own variant of a Puf3-like motif (TGTAAATA in half the species, TGTACATA in the
 * other half) planted in a species-specific window. A species-aware model can learn both; an
 * agnostic one only their mixture.
 */
export interface SimulationOptions {
  readonly species?: number;
  readonly perSpecies?: number;
  readonly length?: number;
  readonly seed?: number;
  /** Probability that a sequence carries a motif instance. */
  readonly motifRate?: number;
}

const VARIANTS = ["TGTAAATA", "TGTACATA"] as const;

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

export interface SimulatedRecord {
  readonly species: string;
  readonly id: string;
  readonly split: "train" | "valid" | "test";
  readonly sequence: string;
}

export function simulateSpecies(o: SimulationOptions = {}): SimulatedRecord[] {
  const next = mulberry32(o.seed ?? 7).next;
  const S = o.species ?? 4;
  const N = o.perSpecies ?? 400;
  const L = o.length ?? 120;
  const rate = o.motifRate ?? 0.6;
  const root = perturbChain(new Float64Array(64).fill(0.25), 1.6, next);
  const out: SimulatedRecord[] = [];
  for (let s = 0; s < S; s++) {
    const chain = perturbChain(root, 0.9, next, [0.5, 2, 0.7, 1.4][s % 4]);
    const motif = VARIANTS[s % 2]!;
    const centre = Math.floor(L * (0.25 + (0.5 * s) / Math.max(1, S - 1)));
    const name = `species_${String.fromCharCode(97 + s)}`;
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
      if (next() < rate) {
        const at = Math.max(0, Math.min(L - motif.length, centre + Math.floor((next() - 0.5) * 20)));
        text = text.slice(0, at) + motif + text.slice(at + motif.length);
      }
      const split = i % 10 === 0 ? "test" : i % 10 === 1 ? "valid" : "train";
      out.push({ species: name, id: `${name}_${i}`, split, sequence: text });
    }
  }
  return out;
}

/** Writes the records as a `species id split sequence` table for `corpus from-table`. */
export async function writeSimulationTable(path: string, records: readonly SimulatedRecord[]): Promise<void> {
  const lines = ["species\tid\tsplit\tsequence", ...records.map((r) => `${r.species}\t${r.id}\t${r.split}\t${r.sequence}`)];
  await writeFileAtomic(path, lines.join("\n") + "\n");
}
