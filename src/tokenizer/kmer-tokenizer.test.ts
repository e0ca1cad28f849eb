import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError, UnknownSpeciesError } from "../errors.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "../../test/helpers/shared.js";
import { readSafetensors } from "../model/safetensors.js";
import { encodeBatch } from "./batch.js";
import { buildVocab } from "./build-vocab.js";
import { kmerCode } from "./kmer-code.js";
import { KmerTokenizer } from "./kmer-tokenizer.js";
import { readVocab, Vocab } from "./vocab.js";

/** Says in the test title why fixture tests were skipped. */
const fixtureTitle = (t: string): string => (HAS_SHARED ? t : `${t} (${SKIP_REASON})`);

const SPECIES = ["candida_glabrata", "saccharomyces_paradoxus", "schizosaccharomyces_pombe"];
const tok = new KmerTokenizer(buildVocab({ k: 6, species: SPECIES }));
const v = tok.vocab;

describe("KmerTokenizer", () => {
  it("emits [CLS] <species> overlapping 6-mers [SEP]", () => {
    const e = tok.encode("ACGTACGT", "candida_glabrata");
    expect(Array.from(e.ids)).toEqual([v.clsId, v.speciesIds.get("candida_glabrata"), v.id("ACGTAC"), v.id("CGTACG"), v.id("GTACGT"), v.sepId]);
    expect(e.unknownKmers).toBe(0);
    expect(e.ids.length).toBe(tok.tokenCount(8, true));
  });

  it("leaves the species token out for the agnostic form", () => {
    const e = tok.encode("ACGTAC", null);
    expect(Array.from(e.ids)).toEqual([v.clsId, v.id("ACGTAC"), v.sepId]);
    expect(e.speciesId).toBeNull();
  });

  it("upper-cases input", () => {
    expect(tok.encode("acgtacg", null).ids).toEqual(tok.encode("ACGTACG", null).ids);
  });

  it("maps k-mers touching N or other IUPAC codes to [UNK] and counts them", () => {
    // 13 nt -> 8 k-mers; the N at 0-based position 6 lies in k-mers 1..6.
    const e = tok.encode("AAAAAANAAAAAA", null);
    const kmers = Array.from(e.ids.slice(1, -1));
    expect(kmers).toEqual([v.id("AAAAAA"), ...Array(6).fill(v.unkId), v.id("AAAAAA")]);
    expect(e.unknownKmers).toBe(6);
    expect(tok.encode("ACGTRYACGT", null).unknownKmers).toBe(5);
  });

  it("rejects characters outside IUPAC, naming record and position", () => {
    expect(() => tok.encode("ACGTX CGT", null, { record: "chrI:5-14" })).toThrow(InputError);
    expect(() => tok.encode("ACGTXACGT", null, { record: "chrI:5-14" })).toThrow(/chrI:5-14.*"X" at position 5/);
  });

  it("rejects sequences shorter than k", () => {
    expect(() => tok.encode("ACGTA", null, { record: "r1" })).toThrow(/r1.*shorter than k = 6/);
  });

  it("names the 3 closest species for an unknown species", () => {
    const err = (() => {
      try {
        tok.encode("ACGTACGT", "candida_glabatra");
      } catch (e) {
        return e;
      }
    })() as UnknownSpeciesError;
    expect(err).toBeInstanceOf(UnknownSpeciesError);
    expect(err.suggestions).toEqual(["candida_glabrata", "saccharomyces_paradoxus", "schizosaccharomyces_pombe"]);
  });

  it("uses a known proxy species, and rejects an unknown proxy", () => {
    const e = tok.encode("ACGTACGT", "saccharomyces_cerevisiae", { speciesProxy: "saccharomyces_paradoxus" });
    expect(e.speciesId).toBe(v.speciesIds.get("saccharomyces_paradoxus"));
    expect(() => tok.encode("ACGTACGT", "saccharomyces_cerevisiae", { speciesProxy: "nope" })).toThrow(UnknownSpeciesError);
  });

  it("reads ids from line numbers, whatever order the vocab is in", () => {
    const shuffled = [...v.tokens].reverse();
    const t2 = new KmerTokenizer(new Vocab(shuffled, { species: SPECIES }));
    const ids = Array.from(t2.encode("ACGTACG", "candida_glabrata").ids);
    expect(ids.map((i) => shuffled[i])).toEqual(["[CLS]", "candida_glabrata", "ACGTAC", "CGTACG", "[SEP]"]);
    expect(t2.vocab.kmerIds[kmerCode("ACGTAC")]).toBe(shuffled.indexOf("ACGTAC"));
  });

  it("right-pads a batch with [PAD] and builds the attention mask", () => {
    const b = encodeBatch(tok, [
      { sequence: "ACGTACGT", species: "candida_glabrata" },
      { sequence: "ACGTAC", species: null },
    ]);
    expect(b.inputIds.shape).toEqual([2, 6]);
    expect(Array.from(b.attentionMask.data)).toEqual([1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 0n, 0n, 0n]);
    expect(b.inputIds.data[3 * 1 + 6]).toBe(BigInt(v.padId));
    expect(b.lengths).toEqual([6, 3]);
  });
});

describe.skipIf(!HAS_SHARED)(fixtureTitle("KmerTokenizer on the fixture cases"), () => {
  // Read lazily: describe bodies run even when skipped, and ../shared may be absent.
  const cases = (HAS_SHARED ? JSON.parse(readFileSync(`${FIXTURE}cases.json`, "utf8")).cases : []) as {
    name: string;
    sequence?: string;
    sequences?: string[];
    species: string | null | string[];
  }[];

  it("reproduces input_ids of every case, including the agnostic one and the padded batch", async () => {
    const fixtureTok = new KmerTokenizer(await readVocab(`${FIXTURE}model`));
    const { tensors } = await readSafetensors(`${FIXTURE}expected.safetensors`);
    let checked = 0;
    for (const c of cases) {
      const want = tensors.get(`${c.name}.input_ids`);
      if (c.sequence !== undefined) {
        const got = fixtureTok.encode(c.sequence, c.species as string | null, { record: c.name });
        expect(Array.from(got.ids, BigInt), c.name).toEqual(Array.from(want!.data as BigInt64Array));
        checked++;
      } else if (c.sequences !== undefined) {
        const items = c.sequences.map((s, i) => ({ sequence: s, species: (c.species as string[])[i]! }));
        const b = encodeBatch(fixtureTok, items);
        expect(b.inputIds.shape).toEqual(want!.shape);
        expect(Array.from(b.inputIds.data)).toEqual(Array.from(want!.data as BigInt64Array));
        expect(Array.from(b.attentionMask.data)).toEqual(Array.from(tensors.get(`${c.name}.attention_mask`)!.data as BigInt64Array));
        checked++;
      }
    }
    expect(checked).toBe(5);
  });
});
