import { stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { InputError } from "../errors.js";
import { loadKmerModel } from "../baselines/kmer-store.js";
import { loadMarkovCeiling } from "../baselines/markov-ceiling.js";
import type { NucleotideProbs, NucleotidePredictor } from "../baselines/nucleotide-predictor.js";
import { pllDifference } from "./pll.js";
import { altSequence, BASES, pllWindows, unscorableReason, variantChange, type Variant } from "./variant.js";

/** A per-nucleotide baseline scoring variants beside the LM: its score column and how far its context reaches. */
export interface VariantBaseline {
  /** Score column, e.g. kmer_2_2_llr (a (2, 2) k-mer table), markov_ceiling_llr (sim12's true chain). */
  readonly column: string;
  readonly predictor: NucleotidePredictor;
  /** Bases of context either side the predictor reads (the larger side). */
  readonly context: number;
}

/**
 * Loads a baseline for `variants --baseline`: a folder `specieslm baseline fit` wrote (baseline.json +
 * counts.bin), or a sim12 truth.json (the exact conditionals of its background chain).
 */
export async function loadVariantBaseline(path: string): Promise<VariantBaseline> {
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => {
      throw new InputError(`--baseline ${path}: no such file or folder; fit one with 'specieslm baseline fit -i train.tsv --left 2 --right 2 -o DIR'`);
    },
  );
  if (!isDir && basename(path) !== "baseline.json") return { column: "markov_ceiling_llr", predictor: await loadMarkovCeiling(path), context: 2 };
  const dir = isDir ? path : dirname(path);
  const model = await loadKmerModel(dir);
  const { left, right, pooled } = model.options;
  return { column: `kmer_${left}_${right}${pooled ? "_pooled" : ""}_llr`, predictor: model.asPredictor(), context: Math.max(left, right) };
}

/**
 * The k-mer analogue of the LM's llr, per variant (NaN where `unscorableReason` says so): SNVs ln P(alt |
 * context) - ln P(ref | context) at the variant (the context is the same in both sequences); MNVs and
 * indels the PLL difference over the changed bases and max(window, context) nt either side, where
 * every term further out cancels exactly, so the score equals the LM's window definition.
 */
export async function baselineScores(b: VariantBaseline, variants: readonly Variant[], window: number): Promise<number[]> {
  const w = Math.max(window, b.context);
  const cache = new Map<string, NucleotideProbs>();
  const predict = async (species: string | null, sequence: string): Promise<NucleotideProbs> => {
    const key = `${species}\t${sequence}`;
    let p = cache.get(key);
    if (!p) {
      p = await b.predictor.predict({ id: key, species: species ?? "", sequence });
      cache.set(key, p);
    }
    return p;
  };
  const out: number[] = [];
  for (const v of variants) {
    if (unscorableReason(v, { window: w }) !== null) {
      out.push(NaN);
      continue;
    }
    const c = variantChange(v);
    const ref = await predict(v.species, v.sequence);
    const alt = altSequence(v);
    if (c.kind === "snv") {
      out.push(Math.log(ref[c.start * 4 + BASES.indexOf(alt[c.start]!)]!) - Math.log(ref[c.start * 4 + BASES.indexOf(v.sequence[c.start]!)]!));
      continue;
    }
    const win = pllWindows(v, c, w);
    out.push(pllDifference({ probs: ref, sequence: v.sequence, window: win.ref }, { probs: await predict(v.species, alt), sequence: alt, window: win.alt }));
  }
  return out;
}
