import { InputError, UnknownSpeciesError } from "../errors.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { reverseComplementString } from "../sequence/reverse-complement.js";
import { maxSequenceLength } from "../runtime/sequence-window.js";

export { maxSequenceLength };

/** A single-nucleotide variant in a sequence the model reads (transcript orientation). */
export interface Variant {
  readonly id: string;
  /** Species of the sequence; null = species-agnostic input. */
  readonly species: string | null;
  readonly speciesProxy?: string;
  /** Reference sequence, upper case. */
  readonly sequence: string;
  /** 0-based position in `sequence`. */
  readonly pos: number;
  readonly ref: string;
  readonly alt: string;
}

export const BASES = "ACGT";

/** The alternative sequence: `sequence` with `alt` at `pos`. */
export function altSequence(v: Variant): string {
  return v.sequence.slice(0, v.pos) + v.alt + v.sequence.slice(v.pos + 1);
}

/** The same variant read on the other strand. */
export function reverseComplementVariant(v: Variant): Variant {
  return {
    ...v,
    sequence: reverseComplementString(v.sequence),
    pos: v.sequence.length - 1 - v.pos,
    ref: reverseComplementString(v.ref),
    alt: reverseComplementString(v.alt),
  };
}

/**
 * Checks a variant against its sequence and the model before any work: position inside the sequence,
 * alleles single bases A/C/G/T that differ, the reference allele equal to the sequence there, a
 * sequence the model can read whole (the rolling mask needs 2k-1 nt; tokens within the position table),
 * and a species the model knows. `where` names the record (file:line) in the message.
 */
export function checkVariant(model: MaskedLanguageModel, v: Variant, where: string): void {
  const L = v.sequence.length;
  const k = model.tokenizer.k;
  if (!Number.isInteger(v.pos) || v.pos < 0 || v.pos >= L) {
    throw new InputError(`${where}: variant ${v.id} has position ${v.pos}, outside its sequence of ${L} nt (positions are 0-based, 0..${L - 1})`);
  }
  for (const [what, a] of [["ref", v.ref], ["alt", v.alt]] as const) {
    if (a.length !== 1 || !BASES.includes(a)) throw new InputError(`${where}: variant ${v.id} has ${what} allele "${a}"; only single-nucleotide variants with A, C, G or T are scored`);
  }
  if (v.ref === v.alt) throw new InputError(`${where}: variant ${v.id} has the same ref and alt allele (${v.ref})`);
  const seen = v.sequence[v.pos];
  if (seen !== v.ref) {
    throw new InputError(`${where}: variant ${v.id}: ref allele ${v.ref} does not match the sequence, which has ${seen} at position ${v.pos} (0-based); fix the position or the allele`);
  }
  if (L < 2 * k - 1) throw new InputError(`${where}: variant ${v.id}: its sequence of ${L} nt is shorter than ${2 * k - 1} nt, the least the rolling mask of a k = ${k} model can read`);
  const mode = model.config.conditioning;
  const tokens = model.tokenizer.tokenCount(L, mode === "token");
  if (tokens > model.config.maxPositionEmbeddings) {
    throw new InputError(`${where}: variant ${v.id}: its sequence of ${L} nt makes ${tokens} tokens, more than the model's ${model.config.maxPositionEmbeddings} positions; cut a window around the variant`);
  }
  if (mode !== "none") {
    if (v.species === null) throw new InputError(`${where}: variant ${v.id} names no species; this model is species-aware (add a species column or --species)`);
    try {
      model.tokenizer.speciesId(v.species, v.speciesProxy);
    } catch (err) {
      if (err instanceof UnknownSpeciesError) throw new UnknownSpeciesError(err.species, err.suggestions, `${where} (variant ${v.id})`);
      throw err;
    }
  }
}


/**
 * A variant whose sequence is longer than the model reads (5' regions of 1,003 nt for a 512-position
 * model) is read in a window of the longest readable length, centred on the variant where the sequence
 * allows (for a five_prime model, the 3' end when the variant lies in it, so the start codon keeps its
 * position); others are returned as they are.
 */
export function fitToModel<V extends Variant>(model: MaskedLanguageModel, v: V): V {
  const max = maxSequenceLength(model);
  const L = v.sequence.length;
  if (L <= max) return v;
  const start = model.config.region === "five_prime" && v.pos >= L - max ? L - max : Math.min(Math.max(0, v.pos - Math.floor(max / 2)), L - max);
  return { ...v, sequence: v.sequence.slice(start, start + max), pos: v.pos - start };
}
