import { encodeBases } from "../alphabet/base-codes.js";
import { InputError } from "../errors.js";
import type { NucleotideProbs } from "../baselines/nucleotide-predictor.js";
import { reconstruct } from "../infer/reconstruct.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { scoreNucleotides } from "./nucleotide-scores.js";
import { nearestLabel } from "../phylo/species-map.js";
import type { DistanceMatrix } from "../phylo/tree.js";

/**
 * Sequences of a species the model never saw, scored by how we stand in for its missing species token:
 * - "proxy": a species the user picks;
 * - "nearest": the model species nearest to the held-out one in a distance matrix that holds both (e.g.
 *   patristic distances of a reference tree, `patristicDistances(parseNewick(...))`);
 * - "average": the per-nucleotide P(A,C,G,T) averaged over every species token (a mixture over species);
 * - "oracle": the single token with the lowest cross-entropy on these very sequences (an upper bound, not
 *   a usable strategy: it peeks at the answers).
 * Every model species is reconstructed once; "per token" scores come for free.
 */
export interface HeldOutOptions {
  /** Name of the held-out species (a label of `distances` for "nearest"). */
  readonly heldOut: string;
  readonly proxy?: string;
  readonly distances?: DistanceMatrix;
  /** Masked spans per forward pass (default 1, the exact recipe: these are accuracy numbers). */
  readonly spansPerPass?: number;
  readonly batchSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface HeldOutScore {
  readonly strategy: "proxy" | "nearest" | "average" | "oracle" | "token" | "agnostic";
  /** Species token used; null for "average" and "agnostic". */
  readonly species: string | null;
  readonly nucleotides: number;
  /** Share of nucleotides whose argmax is the true base. */
  readonly accuracy: number;
  /** Mean -ln P(true base), nats. */
  readonly crossEntropy: number;
}

export interface HeldOutResult {
  readonly heldOut: string;
  readonly perToken: readonly HeldOutScore[];
  readonly strategies: readonly HeldOutScore[];
}

/** Accuracy and cross-entropy of `[L*4]` predictions over the records' A/C/G/T positions. */
export function scorePredictions(
  records: readonly { id: string; sequence: string }[],
  probs: readonly NucleotideProbs[],
): { nucleotides: number; accuracy: number; crossEntropy: number } {
  let n = 0,
    correct = 0,
    nll = 0;
  records.forEach((r, i) => {
    const s = scoreNucleotides(encodeBases(r.sequence), probs[i]!, r.id, "held-out species");
    for (let p = 0; p < r.sequence.length; p++) {
      if (!s.scored[p]) continue;
      n++;
      correct += s.correct[p]!;
      nll += s.nll[p]!;
    }
  });
  return { nucleotides: n, accuracy: n ? correct / n : NaN, crossEntropy: n ? nll / n : NaN };
}

export async function evaluateHeldOutSpecies(
  model: MaskedLanguageModel,
  records: readonly { id: string; sequence: string }[],
  o: HeldOutOptions,
): Promise<HeldOutResult> {
  if (records.length === 0) throw new InputError(`no sequences of held-out species ${o.heldOut} to evaluate`);
  const run = (species: string | null) =>
    reconstruct(
      model,
      records.map((r) => ({ id: r.id, sequence: r.sequence, species })),
      {
        spansPerPass: o.spansPerPass ?? 1,
        ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      },
    );
  if (model.config.conditioning === "none") {
    const s = { strategy: "agnostic" as const, species: null, ...scorePredictions(records, await run(null)) };
    o.onProgress?.(1, 1);
    return { heldOut: o.heldOut, perToken: [], strategies: [s] };
  }
  const species = model.tokenizer.vocab.speciesNames;
  if (o.proxy !== undefined) model.tokenizer.speciesId(o.proxy); // UnknownSpeciesError names the known species
  const nearest = o.distances ? nearestLabel(o.distances, o.heldOut, new Set(species)) : undefined;
  const sum = records.map((r) => new Float32Array(r.sequence.length * 4));
  const perToken: HeldOutScore[] = [];
  for (const sp of species) {
    const probs = await run(sp);
    probs.forEach((p, i) => {
      const acc = sum[i]!;
      for (let j = 0; j < p.length; j++) acc[j]! += p[j]!;
    });
    perToken.push({ strategy: "token", species: sp, ...scorePredictions(records, probs) });
    o.onProgress?.(perToken.length, species.length);
  }
  for (const acc of sum) for (let j = 0; j < acc.length; j++) acc[j]! /= species.length;
  const pick = (strategy: "proxy" | "nearest" | "oracle", sp: string): HeldOutScore => ({
    ...perToken.find((t) => t.species === sp)!,
    strategy,
  });
  const strategies: HeldOutScore[] = [];
  if (o.proxy !== undefined) strategies.push(pick("proxy", o.proxy));
  if (nearest !== undefined) strategies.push(pick("nearest", nearest));
  strategies.push({ strategy: "average", species: null, ...scorePredictions(records, sum) });
  const best = perToken.reduce((a, b) => (b.crossEntropy < a.crossEntropy ? b : a));
  strategies.push(pick("oracle", best.species!));
  return { heldOut: o.heldOut, perToken, strategies };
}
