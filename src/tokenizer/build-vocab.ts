import { join } from "node:path";
import { InputError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { allKmers } from "./kmer-code.js";
import { DEFAULT_SPECIALS, Vocab } from "./vocab.js";

/**
 * A vocabulary for a new model, laid out like the published SpeciesLM:
 * `[PAD] [UNK] [CLS] [SEP] [MASK]`, the 4^k k-mers in ACGT lexicographic order, then the species.
 */
export function buildVocab(opts: { k?: number; species: readonly string[] }): Vocab {
  const k = opts.k ?? 6;
  if (!Number.isInteger(k) || k < 1 || k > 10) throw new InputError(`k-mer size must be an integer in 1..10 (got ${k})`);
  const specials = Object.values(DEFAULT_SPECIALS);
  const kmers = allKmers(k);
  const taken = new Set([...specials, ...kmers]);
  const seen = new Set<string>();
  for (const s of opts.species) {
    if (!/^\S+$/.test(s)) throw new InputError(`species name ${JSON.stringify(s)} must be one word without whitespace`);
    if (taken.has(s)) throw new InputError(`species name "${s}" collides with a special token or k-mer`);
    if (seen.has(s)) throw new InputError(`species name "${s}" is listed twice`);
    seen.add(s);
  }
  return new Vocab([...specials, ...kmers, ...opts.species], { k, species: opts.species });
}

/** special_tokens_map.json content, as Hugging Face's BertTokenizer writes it. */
export function specialTokensMap(vocab: Vocab): Record<string, unknown> {
  const s = vocab.specials;
  return {
    unk_token: s.unk,
    sep_token: s.sep,
    pad_token: s.pad,
    cls_token: s.cls,
    mask_token: s.mask,
    additional_special_tokens: [...vocab.speciesNames],
  };
}

/**
 * Writes vocab.txt, special_tokens_map.json and tokenizer_config.json into `dir`, each atomically,
 * in the format of the published checkpoints (BertTokenizer, species as additional special tokens).
 */
export async function writeVocabFiles(dir: string, vocab: Vocab, opts: { modelMaxLength?: number } = {}): Promise<void> {
  const map = specialTokensMap(vocab);
  const tokConfig = {
    do_lower_case: false,
    model_max_length: opts.modelMaxLength ?? 512,
    tokenizer_class: "BertTokenizer",
    ...map,
  };
  await writeFileAtomic(join(dir, "vocab.txt"), vocab.tokens.join("\n") + "\n");
  await writeFileAtomic(join(dir, "special_tokens_map.json"), JSON.stringify(map, null, 2));
  await writeFileAtomic(join(dir, "tokenizer_config.json"), JSON.stringify(tokConfig, null, 2));
}
