import { InputError } from "../errors.js";
import type { BertConfig } from "../model/config.js";
import { mulberry32 } from "../rng.js";
import type { KmerTokenizer } from "../tokenizer/kmer-tokenizer.js";

/**
 * What a model reads of a sequence, the one home for every model command: the length check against
 * the position table, and the 5' convention of the published SpeciesLM (its usage notes: the 5'
 * model reads 1,000 nt + the start codon, and a shorter sequence must be padded with a fixed sequence
 * so the start codon keeps its positional encoding). A five_prime model (`specieslm_region`) reads a
 * sequence shorter than `specieslm_region_length` left-padded with FIVE_PRIME_FILL; callers report
 * scores in the user's coordinates (position p of the input is p + offset of the window).
 */

/** The model parts the window needs (MaskedLanguageModelBase has both). */
export interface WindowModel {
  readonly config: BertConfig;
  readonly tokenizer: KmerTokenizer;
}

/**
 * The left fill: uniform A/C/G/T from the project's PRNG seeded with this number. The authors only say
 * "a fixed sequence"; uniform random bases carry no motif, no low-complexity repeat (a poly-A or
 * poly-T run would itself read as a regulatory signal to a 5' model) and every k-mer about equally.
 */
export const FIVE_PRIME_FILL_SEED = 5003;

let fill = "";

/** The first n nt of the fixed fill (the same string for every model and run). */
export function fivePrimeFill(n: number): string {
  if (fill.length < n) {
    const rng = mulberry32(FIVE_PRIME_FILL_SEED);
    fill = Array.from({ length: Math.max(n, 4096) }, () => "ACGT"[rng.int(4)]).join("");
  }
  return fill.slice(0, n);
}

/**
 * The longest sequence (nt) the model reads in one pass: its position table holds [CLS], the species
 * token of "token" conditioning, L-k+1 k-mers and [SEP].
 */
export function maxSequenceLength(model: WindowModel): number {
  const special = model.config.conditioning === "token" ? 3 : 2;
  return model.config.maxPositionEmbeddings - special + model.tokenizer.k - 1;
}

/**
 * Throws the one typed message for a record longer than the model reads; `where` names the file,
 * `fix` what to do (default: cut the regions to the longest readable length).
 */
export function checkSequenceLength(model: WindowModel, id: string, length: number, where?: string, fix?: (max: number) => string): void {
  const max = maxSequenceLength(model);
  if (length <= max) return;
  throw new InputError(
    `${where ? `${where}: ` : ""}record ${id} has ${length} nt, more than the ${max} nt this model reads ` +
      `(${model.config.maxPositionEmbeddings} positions); ${fix ? fix(max) : `cut the regions with \`specieslm extract --length ${max}\` or give a shorter window`}`,
  );
}

/**
 * Length as the rolling mask reads it: a row hides a nucleotide whole only in a window of at least
 * 2k-1 nt. A five_prime model's left fill counts, so it reads any shorter record.
 */
export function checkRollingMaskLength(model: WindowModel, id: string, length: number, where?: string): void {
  const min = 2 * model.tokenizer.k - 1;
  if (length + leftPadding(model, length) >= min) return;
  throw new InputError(
    `${where ? `${where}: ` : ""}record ${id} has ${length} nt; this model reads at least ${min} nt (a k = ${model.tokenizer.k} rolling mask hides a base only in ${min} nt)`,
  );
}

/** Nucleotides of fill a sequence of `length` nt gets in front (0 unless the model is five_prime). */
export function leftPadding(model: WindowModel, length: number): number {
  const c = model.config;
  if (c.region !== "five_prime" || c.regionLength === undefined) return 0;
  return Math.max(0, Math.min(c.regionLength, maxSequenceLength(model)) - length);
}

/** A record as the model reads it: checked, and left-padded for a five_prime model; `offset` nt of fill. */
export function modelWindow<T extends { readonly id?: string; readonly sequence: string }>(
  model: WindowModel,
  item: T,
  where?: string,
): { item: T; offset: number } {
  checkSequenceLength(model, item.id ?? "(unnamed)", item.sequence.length, where);
  const offset = leftPadding(model, item.sequence.length);
  return offset === 0 ? { item, offset } : { item: { ...item, sequence: fivePrimeFill(offset) + item.sequence }, offset };
}
