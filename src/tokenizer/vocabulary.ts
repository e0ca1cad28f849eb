import { InputError, ParseError } from "../errors.js";
import type { FileSource } from "../io/file-source.js";
import { kmerCode } from "./kmer-code.js";

/** Names of the special tokens, as Hugging Face's special_tokens_map.json states them. */
export interface SpecialTokens {
  readonly pad: string;
  readonly unk: string;
  readonly cls: string;
  readonly sep: string;
  readonly mask: string;
}

export const DEFAULT_SPECIALS: SpecialTokens = { pad: "[PAD]", unk: "[UNK]", cls: "[CLS]", sep: "[SEP]", mask: "[MASK]" };

/**
 * A SpeciesLM vocabulary: token strings with ids equal to their line number in vocab.txt (no order
 * is assumed), the special token ids, the k-mer ids by base-4 code and the species tokens.
 */
export class Vocab {
  readonly tokens: readonly string[];
  readonly k: number;
  readonly specials: SpecialTokens;
  readonly padId: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly maskId: number;
  /** [4^k]: vocab id of each k-mer, indexed by its base-4 code (A=0,C=1,G=2,T=3; first base most significant); unkId where absent. */
  readonly kmerIds: Int32Array;
  /** Species names in vocab order of appearance (additional_special_tokens order when given). */
  readonly speciesNames: readonly string[];
  readonly speciesIds: ReadonlyMap<string, number>;
  private readonly index: ReadonlyMap<string, number>;

  constructor(tokens: readonly string[], opts: { k?: number; species?: readonly string[]; specials?: SpecialTokens; source?: string } = {}) {
    const source = opts.source ?? "vocab";
    const index = new Map<string, number>();
    tokens.forEach((t, i) => {
      if (index.has(t)) throw new ParseError(source, `token "${t}" appears twice (ids ${index.get(t)} and ${i})`, i + 1);
      index.set(t, i);
    });
    this.tokens = tokens;
    this.index = index;
    this.specials = opts.specials ?? DEFAULT_SPECIALS;
    const idOf = (name: string): number => {
      const id = index.get(name);
      if (id === undefined) throw new ParseError(source, `special token "${name}" is not in the vocabulary`);
      return id;
    };
    this.padId = idOf(this.specials.pad);
    this.unkId = idOf(this.specials.unk);
    this.clsId = idOf(this.specials.cls);
    this.sepId = idOf(this.specials.sep);
    this.maskId = idOf(this.specials.mask);
    this.k = opts.k ?? inferK(tokens) ?? 6;
    this.kmerIds = buildKmerIds(tokens, this.k, this.unkId);
    const species = opts.species ?? guessSpecies(tokens, this.k, this.specials);
    const speciesIds = new Map<string, number>();
    for (const s of species) speciesIds.set(s, idOf(s));
    this.speciesNames = [...species];
    this.speciesIds = speciesIds;
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Id of a token string, or undefined. */
  id(token: string): number | undefined {
    return this.index.get(token);
  }

  /**
   * Row of a species in per-species tables (conditioning "embedding"): its position in
   * `speciesNames`, given the species token's vocab id.
   */
  speciesIndex(speciesTokenId: number | null): number {
    if (speciesTokenId === null) throw new InputError("a species-conditioned model needs a species for every sequence (got none)");
    const name = this.tokens[speciesTokenId];
    const row = name === undefined ? -1 : this.speciesNames.indexOf(name);
    if (row < 0) throw new InputError(`token id ${speciesTokenId} is not a species token of this vocabulary`);
    return row;
  }

  /** How many of the 4^k k-mers have their own token (the rest would map to [UNK]). */
  get kmerCount(): number {
    let n = 0;
    for (const id of this.kmerIds) if (id !== this.unkId) n++;
    return n;
  }
}

const ACGT = /^[ACGT]+$/;

/** k = the length of the ACGT-only tokens, when there are exactly 4^k of one length. */
function inferK(tokens: readonly string[]): number | undefined {
  const counts = new Map<number, number>();
  for (const t of tokens) if (ACGT.test(t)) counts.set(t.length, (counts.get(t.length) ?? 0) + 1);
  for (const [len, n] of counts) if (n === 4 ** len) return len;
  let best: number | undefined;
  let bestN = 0;
  for (const [len, n] of counts) if (n > bestN) [best, bestN] = [len, n];
  return best;
}

function buildKmerIds(tokens: readonly string[], k: number, unkId: number): Int32Array {
  const ids = new Int32Array(4 ** k).fill(unkId);
  tokens.forEach((t, i) => {
    if (t.length === k && ACGT.test(t)) ids[kmerCode(t)] = i;
  });
  return ids;
}

/** Without a special-tokens list, species are the tokens that are neither specials nor k-mers. */
function guessSpecies(tokens: readonly string[], k: number, sp: SpecialTokens): string[] {
  const specials = new Set(Object.values(sp));
  return tokens.filter((t) => !specials.has(t) && !(t.length === k && ACGT.test(t)) && !/^\[.*\]$/.test(t));
}

async function readJsonIfPresent(src: FileSource, file: string): Promise<Record<string, unknown> | undefined> {
  if (!src.has(file)) return undefined;
  const path = src.path(file);
  try {
    return JSON.parse(await src.text(file)) as Record<string, unknown>;
  } catch (err) {
    throw new ParseError(path, "not valid JSON", undefined, { cause: err });
  }
}

/** A special token in HF files is either a string or an AddedToken object `{content: "..."}`. */
function tokenName(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && typeof (v as { content?: unknown }).content === "string") {
    return (v as { content: string }).content;
  }
  return undefined;
}

function specialsFrom(maps: readonly (Record<string, unknown> | undefined)[]): { specials: SpecialTokens; species?: string[] } {
  const get = (key: string, fallback: string): string => {
    for (const m of maps) {
      const v = m ? tokenName(m[key]) : undefined;
      if (v !== undefined) return v;
    }
    return fallback;
  };
  const specials: SpecialTokens = {
    pad: get("pad_token", "[PAD]"),
    unk: get("unk_token", "[UNK]"),
    cls: get("cls_token", "[CLS]"),
    sep: get("sep_token", "[SEP]"),
    mask: get("mask_token", "[MASK]"),
  };
  for (const m of maps) {
    const extra = m?.["additional_special_tokens"];
    if (Array.isArray(extra)) return { specials, species: extra.map((x) => tokenName(x) ?? String(x)) };
  }
  return { specials };
}

/** Splits vocab.txt into tokens; line i (0-based) is id i. A trailing newline does not add a token. */
export function parseVocabText(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Reads a tokenizer from a model folder (on disk or picked in a browser): vocab.txt, plus
 * special_tokens_map.json and tokenizer_config.json when present (their `additional_special_tokens`
 * are the species names).
 */
export async function readVocabFrom(src: FileSource, opts: { k?: number } = {}): Promise<Vocab> {
  const vocabPath = src.path("vocab.txt");
  if (!src.has("vocab.txt")) throw new ParseError(vocabPath, "missing: a model folder needs vocab.txt (one token per line, id = line number)");
  const tokens = parseVocabText(await src.text("vocab.txt"));
  const maps = [await readJsonIfPresent(src, "special_tokens_map.json"), await readJsonIfPresent(src, "tokenizer_config.json")];
  const { specials, species } = specialsFrom(maps);
  return new Vocab(tokens, { ...opts, specials, ...(species ? { species } : {}), source: vocabPath });
}
