import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, ParseError } from "../src/errors.js";
import { readSequenceInput } from "../src/infer/sequence-input.js";

// The one reader of sequence tables: its `split` option replaced baselines/tsv-records.ts.
describe("readSequenceInput split", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "seq-split-"));
    await writeFile(join(dir, "t.tsv"), "species\tid\tsplit\tsequence\nsp0\ta\ttrain\tacgt\nsp1\tb\ttest\tGGCC\nsp0\tc\ttrain\tTTAA\n");
    await writeFile(join(dir, "nosplit.tsv"), "species\tid\tsequence\nsp0\ta\tACGT\n");
    await writeFile(join(dir, "s.fa"), ">a species=sp0\nACGT\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const all = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };

  it("keeps only the rows of the split, in file order, with their species", async () => {
    expect(await all(readSequenceInput(join(dir, "t.tsv"), { split: "train" }))).toEqual([
      { id: "a", species: "sp0", sequence: "ACGT" },
      { id: "c", species: "sp0", sequence: "TTAA" },
    ]);
    expect((await all(readSequenceInput(join(dir, "t.tsv"), { split: "test" }))).map((r) => r.id)).toEqual(["b"]);
    expect((await all(readSequenceInput(join(dir, "t.tsv")))).map((r) => r.id)).toEqual(["a", "b", "c"]);
  });

  it("a split needs a split column and a table", async () => {
    await expect(all(readSequenceInput(join(dir, "nosplit.tsv"), { split: "train" }))).rejects.toThrow(ParseError);
    await expect(all(readSequenceInput(join(dir, "nosplit.tsv"), { split: "train" }))).rejects.toThrow(/missing column\(s\) split/);
    await expect(all(readSequenceInput(join(dir, "s.fa"), { split: "train" }))).rejects.toThrow(InputError);
  });
});
