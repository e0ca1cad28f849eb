import { InputError, UnknownSpeciesError } from "../errors.js";
import { closestNames } from "./edit-distance.js";
import { BASE_CLASS } from "./kmer-code.js";
import type { Vocab } from "./vocabulary.js";

/** One tokenized sequence. */
export interface Encoding {
  /** [tokens]: `[CLS] <species>? kmer_1 .. kmer_{L-k+1} [SEP]`. */
  readonly ids: Int32Array;
  /** k-mers that contained N or another non-ACGT IUPAC code and became [UNK]. */
  readonly unknownKmers: number;
  /** Vocab id of the species token, or null for the species-agnostic form. */
  readonly speciesId: number | null;
}

export interface EncodeOptions {
  /** Name of the record, for error messages (FASTA id, "case0", ...). */
  readonly record?: string;
  /** Known species to stand in when `species` is not in the vocabulary. */
  readonly speciesProxy?: string;
}

/**
 * The SpeciesLM tokenizer: overlapping k-mers with stride 1, species token after [CLS]
 * (`[CLS] <species> kmer1 .. kmerN [SEP]`, N = L - k + 1), or no species token for agnostic use.
 */
export class KmerTokenizer {
  readonly vocab: Vocab;
  readonly k: number;

  constructor(vocab: Vocab) {
    this.vocab = vocab;
    this.k = vocab.k;
  }

  /** Tokens a sequence of `length` nucleotides produces (with or without the species token). */
  tokenCount(length: number, withSpecies: boolean): number {
    return length - this.k + 1 + 2 + (withSpecies ? 1 : 0);
  }

  /**
   * Species name -> vocab id. An unknown name raises UnknownSpeciesError with the 3 closest known
   * names, unless `proxy` (which must itself be known) is given.
   */
  speciesId(species: string, proxy?: string): number {
    const id = this.vocab.speciesIds.get(species);
    if (id !== undefined) return id;
    const where = "this model's vocabulary";
    if (proxy !== undefined) {
      const pid = this.vocab.speciesIds.get(proxy);
      if (pid !== undefined) return pid;
      throw new UnknownSpeciesError(proxy, closestNames(proxy, this.vocab.speciesNames), `${where} (given as proxy for "${species}")`);
    }
    throw new UnknownSpeciesError(species, closestNames(species, this.vocab.speciesNames), where);
  }

  /** Tokenizes one sequence (upper-cased; IUPAC ambiguity codes give [UNK] k-mers, other characters an InputError). */
  encode(sequence: string, species: string | null, opts: EncodeOptions = {}): Encoding {
    const record = opts.record ?? "sequence";
    const k = this.k;
    if (sequence.length < k) {
      throw new InputError(`${record}: sequence of ${sequence.length} nt is shorter than k = ${k}; the k-mer tokenizer needs at least ${k} nt`);
    }
    const speciesId = species === null ? null : this.speciesId(species, opts.speciesProxy);
    const head = speciesId === null ? 1 : 2;
    const n = sequence.length - k + 1;
    const ids = new Int32Array(n + head + 1);
    ids[0] = this.vocab.clsId;
    if (speciesId !== null) ids[1] = speciesId;
    ids[ids.length - 1] = this.vocab.sepId;
    const unknownKmers = this.fillKmers(sequence, record, ids, head);
    return { ids, unknownKmers, speciesId };
  }

  /** Writes the n k-mer ids into ids[at..at+n) with a rolling base-4 code; returns the [UNK] count. */
  private fillKmers(seq: string, record: string, ids: Int32Array, at: number): number {
    const k = this.k;
    const mod = 4 ** (k - 1);
    const { kmerIds, unkId } = this.vocab;
    let code = 0;
    let lastBad = -1; // position of the latest non-ACGT IUPAC base
    let unknown = 0;
    for (let i = 0; i < seq.length; i++) {
      const ch = seq.charCodeAt(i);
      const cls = ch < 128 ? (BASE_CLASS[ch] as number) : -1;
      if (cls < 0) {
        throw new InputError(
          `${record}: character ${JSON.stringify(seq[i])} at position ${i + 1} (1-based) is not an IUPAC nucleotide code; ` + `remove it or replace it with N`,
        );
      }
      if (cls === 4) lastBad = i;
      code = (code % mod) * 4 + (cls === 4 ? 0 : cls);
      if (i < k - 1) continue;
      if (i - lastBad < k) {
        ids[at + i - k + 1] = unkId;
        unknown++;
      } else {
        const id = kmerIds[code] as number;
        ids[at + i - k + 1] = id;
        if (id === unkId) unknown++;
      }
    }
    return unknown;
  }
}
