import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { encodeBatch } from "./batch.js";
import { buildVocab, writeVocabFiles } from "./build-vocab.js";
import { KmerTokenizer } from "./kmer-tokenizer.js";
import { readVocab } from "./vocab.js";

// Single-nucleotide tokens (k = 1), as the newer SpeciesLM checkpoints: `[PAD] [UNK] [CLS] [SEP] [MASK] A C G T <species>`.
const v = buildVocab({ k: 1, species: ["sp_a", "sp_b"] });
const tok = new KmerTokenizer(v);
const dir = mkdtempSync(join(tmpdir(), "nucleotide-vocab-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("nucleotide vocabulary (k = 1)", () => {
  it("lays out the specials, A C G T, then the species", () => {
    expect(v.tokens).toEqual(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "A", "C", "G", "T", "sp_a", "sp_b"]);
    expect(v.k).toBe(1);
    expect(Array.from(v.kmerIds)).toEqual([5, 6, 7, 8]);
    expect(v.kmerCount).toBe(4);
    expect(v.speciesNames).toEqual(["sp_a", "sp_b"]);
    expect(() => buildVocab({ k: 1, species: ["G"] })).toThrow(/collides/);
  });

  it("reads k = 1 back from the files alone, with or without the special-tokens files", async () => {
    await writeVocabFiles(dir, v);
    const back = await readVocab(dir);
    expect(back.k).toBe(1);
    expect(back.tokens).toEqual(v.tokens);
    expect(back.speciesNames).toEqual(["sp_a", "sp_b"]);
    // vocab.txt only (species guessed): an N token of a nucleotide vocabulary is not a species.
    const bare = mkdtempSync(join(dir, "bare-"));
    writeFileSync(join(bare, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "A", "C", "G", "T", "N", "yeast"].join("\n") + "\n");
    const guessed = await readVocab(bare);
    expect(guessed.k).toBe(1);
    expect(guessed.speciesNames).toEqual(["yeast"]);
  });
});

describe("nucleotide tokenizer (k = 1)", () => {
  it("emits one token per base: [CLS] <species> bases [SEP]", () => {
    const e = tok.encode("ACGTTGCA", "sp_b");
    expect(Array.from(e.ids)).toEqual([2, 10, 5, 6, 7, 8, 8, 7, 6, 5, 3]);
    expect(e.speciesId).toBe(10);
    expect(e.unknownKmers).toBe(0);
    expect(tok.tokenCount(8, true)).toBe(e.ids.length);
    expect(Array.from(tok.encode("acgt", null).ids)).toEqual([2, 5, 6, 7, 8, 3]);
  });

  it("maps N and other IUPAC codes to [UNK], one token each (no neighbour is touched)", () => {
    const e = tok.encode("ANRC", null);
    expect(Array.from(e.ids)).toEqual([2, 5, 1, 1, 6, 3]);
    expect(e.unknownKmers).toBe(2);
  });

  it("reads a single base, refuses an empty sequence and non-IUPAC characters", () => {
    expect(Array.from(tok.encode("G", "sp_a").ids)).toEqual([2, 9, 7, 3]);
    expect(() => tok.encode("", null, { record: "r0" })).toThrow(/r0.*shorter than k = 1/);
    expect(() => tok.encode("ACXG", null, { record: "r1" })).toThrow(InputError);
  });

  it("pads a batch of different lengths", () => {
    const b = encodeBatch(tok, [
      { sequence: "ACG", species: "sp_a" },
      { sequence: "T", species: "sp_b" },
    ]);
    expect(b.inputIds.shape).toEqual([2, 6]);
    expect(Array.from(b.inputIds.data, Number)).toEqual([2, 9, 5, 6, 7, 3, 2, 10, 8, 3, 0, 0]);
    expect(Array.from(b.attentionMask.data, Number)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });
});
