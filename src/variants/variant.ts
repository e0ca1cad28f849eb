import { InputError, UnknownSpeciesError } from "../errors.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { reverseComplementString } from "../sequence/reverse-complement.js";
import { checkRollingMaskLength, checkSequenceLength, maxSequenceLength } from "../runtime/sequence-window.js";

export { maxSequenceLength };

/**
 * A variant in a sequence the model reads (transcript orientation): `ref` (1+ bases) starts at `pos` and
 * is replaced by `alt` (1+ bases). SNVs, MNVs (equal lengths) and indels (VCF-style anchored alleles
 * such as CT>C, or any ref/alt pair) alike.
 */
export interface Variant {
  readonly id: string;
  /** Species of the sequence; null = species-agnostic input. */
  readonly species: string | null;
  readonly speciesProxy?: string;
  /** Reference sequence, upper case. */
  readonly sequence: string;
  /** 0-based position in `sequence` of the first ref base. */
  readonly pos: number;
  readonly ref: string;
  readonly alt: string;
}

export const BASES = "ACGT";
const ACGT = /^[ACGT]+$/;

export type VariantKind = "snv" | "mnv" | "insertion" | "deletion" | "complex";

/**
 * The changed block after trimming the bases ref and alt share (longest common prefix first, then the
 * longest common suffix of the rest, so an indel in a repeat sits at the repeat's right end): ref bases
 * [start, refEnd) of the ref sequence are replaced by alt bases [start, altEnd) of the alt sequence.
 * Ref positions before `start` align with the same alt positions; ref positions from `refEnd` on align
 * with alt positions shifted by `altEnd - refEnd` (the length change).
 */
export interface VariantChange {
  readonly kind: VariantKind;
  readonly start: number;
  readonly refEnd: number;
  readonly altEnd: number;
}

export function variantChange(v: Pick<Variant, "pos" | "ref" | "alt">): VariantChange {
  const r = v.ref,
    a = v.alt;
  let p = 0;
  while (p < r.length && p < a.length && r[p] === a[p]) p++;
  let s = 0;
  while (s < r.length - p && s < a.length - p && r[r.length - 1 - s] === a[a.length - 1 - s]) s++;
  const rl = r.length - p - s,
    al = a.length - p - s;
  const kind: VariantKind = rl === al ? (rl === 1 ? "snv" : "mnv") : rl === 0 ? "insertion" : al === 0 ? "deletion" : "complex";
  return { kind, start: v.pos + p, refEnd: v.pos + p + rl, altEnd: v.pos + p + al };
}

/** The alternative sequence: `sequence` with `ref` at `pos` replaced by `alt`. */
export function altSequence(v: Variant): string {
  return v.sequence.slice(0, v.pos) + v.alt + v.sequence.slice(v.pos + v.ref.length);
}

/** The same variant read on the other strand. */
export function reverseComplementVariant(v: Variant): Variant {
  return {
    ...v,
    sequence: reverseComplementString(v.sequence),
    pos: v.sequence.length - v.pos - v.ref.length,
    ref: reverseComplementString(v.ref),
    alt: reverseComplementString(v.alt),
  };
}

/**
 * Default pseudo-log-likelihood window of indel/MNV scores: W nt either side of the changed block.
 * k + 5: a k-mer model's rolling mask hides a base together with its k - 1 neighbours either side, so
 * the k - 1 nearest positions read the variant through the mask itself; 6 more cover the strongest
 * context effects. The k-mer baselines use max(W, their context), beyond which their terms cancel exactly.
 */
export const defaultPllWindow = (k: number): number => k + 5;

/** The ref and alt windows [from, to) of the PLL sums: the changed block and W nt either side, clipped to each sequence. */
export function pllWindows(v: Variant, c: VariantChange, w: number): { ref: [number, number]; alt: [number, number] } {
  const altLen = v.sequence.length - v.ref.length + v.alt.length;
  const from = Math.max(0, c.start - w);
  return { ref: [from, Math.min(v.sequence.length, c.refEnd + w)], alt: [from, Math.min(altLen, c.altEnd + w)] };
}

/**
 * Why a variant that passed `checkVariant` cannot be scored, or null: a symbolic or non-ACGT allele
 * (<DEL>, *, N), a ref allele running past the end of its sequence, a non-ACGT base inside the PLL
 * window of an indel/MNV, or an alt sequence longer than the model reads (`maxLength`).
 */
export function unscorableReason(v: Variant, o: { window: number; maxLength?: number }): string | null {
  if (!ACGT.test(v.ref) || !ACGT.test(v.alt)) return "symbolic or non-ACGT allele";
  if (v.pos + v.ref.length > v.sequence.length) return "ref allele runs past the end of its sequence";
  const c = variantChange(v);
  if (c.kind === "snv") return null;
  const alt = altSequence(v);
  const w = pllWindows(v, c, o.window);
  if (!ACGT.test(v.sequence.slice(...w.ref)) || !ACGT.test(alt.slice(...w.alt))) return "non-ACGT base within the PLL window";
  if (o.maxLength !== undefined && alt.length > o.maxLength) return "alt sequence longer than the model reads";
  return null;
}

/**
 * Checks a variant against its sequence and the model before any work (errors, not unscorable
 * variants): position inside the sequence, ref and alt differ, the reference allele equal to the
 * sequence there, a sequence the model can read whole (runtime/sequence-window.ts: the rolling mask's
 * 2k-1 nt, the position table), and a species the model knows. `where` names the record (file:line).
 */
export function checkVariant(model: MaskedLanguageModel | null, v: Variant, where: string): void {
  const L = v.sequence.length;
  if (!Number.isInteger(v.pos) || v.pos < 0 || v.pos >= L) {
    throw new InputError(`${where}: variant ${v.id} has position ${v.pos}, outside its sequence of ${L} nt (positions are 0-based, 0..${L - 1})`);
  }
  if (!v.ref || !v.alt)
    throw new InputError(`${where}: variant ${v.id} has an empty ref or alt allele; write indels VCF-style with the base before them (CT>C, C>CT)`);
  if (v.ref === v.alt) throw new InputError(`${where}: variant ${v.id} has the same ref and alt allele (${v.ref})`);
  const seen = v.sequence.slice(v.pos, v.pos + v.ref.length);
  if (ACGT.test(v.ref) && seen.length === v.ref.length && seen !== v.ref) {
    throw new InputError(
      `${where}: variant ${v.id}: ref allele ${v.ref} does not match the sequence, which has ${seen} at position ${v.pos} (0-based); fix the position or the allele`,
    );
  }
  if (!model) return;
  checkRollingMaskLength(model, v.id, L, where);
  checkSequenceLength(model, v.id, L, where, (max) => `cut a window of at most ${max} nt around variant ${v.id}`);
  if (model.config.conditioning !== "none") {
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
 * A variant whose ref or alt sequence is longer than the model reads (5' regions of 1,003 nt for a
 * 512-position model) is read in a window short enough for both, centred on the ref allele where the
 * sequence allows (for a five_prime model, the 3' end when the variant lies in it, so the start codon
 * keeps its position); others are returned as they are. `max` defaults to the model's `maxSequenceLength`.
 */
export function fitToModel<V extends Variant>(model: MaskedLanguageModel | null, v: V, max = model ? maxSequenceLength(model) : Infinity): V {
  const L = v.sequence.length;
  const room = max - Math.max(0, v.alt.length - v.ref.length);
  if (L <= room || room < v.ref.length) return v;
  const centre = v.pos + Math.floor(v.ref.length / 2);
  const start = model?.config.region === "five_prime" && v.pos >= L - room ? L - room : Math.min(Math.max(0, centre - Math.floor(room / 2)), L - room);
  return { ...v, sequence: v.sequence.slice(start, start + room), pos: v.pos - start };
}
