import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, ParseError } from "../errors.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "../../test/helpers/shared.js";
import { buildVocab, writeVocabFiles } from "./build-vocab.js";
import { closestNames, editDistance } from "./edit-distance.js";
import { allKmers, kmerCode, kmerString } from "./kmer-code.js";
import { readVocab, Vocab } from "./vocab.js";

/** Says in the test title why fixture tests were skipped. */
const fixtureTitle = (t: string): string => (HAS_SHARED ? t : `${t} (${SKIP_REASON})`);

describe("k-mer codes", () => {
  it("number k-mers in ACGT lexicographic order", () => {
    expect(kmerCode("AAAAAA")).toBe(0);
    expect(kmerCode("AAAAAC")).toBe(1);
    expect(kmerCode("TTTTTT")).toBe(4095);
    expect(kmerString(kmerCode("GATTACA"), 7)).toBe("GATTACA");
    const all = allKmers(3);
    expect(all).toEqual([...all].sort());
  });
});

describe("edit distance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(closestNames("pombe", ["candida", "pombe_x", "pombe"], 2)).toEqual(["pombe", "pombe_x"]);
  });
});

describe("buildVocab", () => {
  it("lays out specials, 4^k k-mers in order, then species", () => {
    const v = buildVocab({ k: 3, species: ["sp_a", "sp_b"] });
    expect(v.size).toBe(5 + 64 + 2);
    expect(v.tokens.slice(0, 6)).toEqual(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "AAA"]);
    expect([v.padId, v.unkId, v.clsId, v.sepId, v.maskId]).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(v.kmerIds.slice(0, 3))).toEqual([5, 6, 7]);
    expect(v.speciesIds.get("sp_b")).toBe(70);
    expect(v.speciesIndex(70)).toBe(1);
    expect(v.k).toBe(3);
    expect(v.kmerCount).toBe(64);
  });

  it("rejects duplicate or colliding species names", () => {
    expect(() => buildVocab({ k: 2, species: ["a", "a"] })).toThrow(InputError);
    expect(() => buildVocab({ k: 2, species: ["AC"] })).toThrow(/collides/);
  });

  it("round-trips through vocab.txt and the tokenizer JSON files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vocab-"));
    try {
      const v = buildVocab({ k: 4, species: ["x_y", "z"] });
      await writeVocabFiles(dir, v);
      const back = await readVocab(dir);
      expect(back.tokens).toEqual(v.tokens);
      expect(back.speciesNames).toEqual(["x_y", "z"]);
      expect(back.k).toBe(4);
      expect(Array.from(back.kmerIds)).toEqual(Array.from(v.kmerIds));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects a vocab with duplicate tokens", () => {
    expect(() => new Vocab(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "AC", "AC"])).toThrow(ParseError);
  });
});

describe.skipIf(!HAS_SHARED)(fixtureTitle("vocab files of the fixture"), () => {
  it("are what buildVocab + writeVocabFiles produce for its species", async () => {
    const fixture = await readVocab(`${FIXTURE}model`);
    expect(fixture.k).toBe(6);
    expect(fixture.speciesNames.length).toBe(6);
    const dir = mkdtempSync(join(tmpdir(), "vocab-"));
    try {
      await writeVocabFiles(dir, buildVocab({ k: 6, species: fixture.speciesNames }));
      for (const f of ["vocab.txt", "special_tokens_map.json", "tokenizer_config.json"]) {
        const want = readFileSync(`${FIXTURE}model/${f}`, "utf8");
        const got = readFileSync(join(dir, f), "utf8");
        if (f.endsWith(".json")) expect(JSON.parse(got), f).toEqual(JSON.parse(want));
        else expect(got, f).toBe(want);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
