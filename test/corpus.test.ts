import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCorpus } from "../src/corpus/build-corpus.js";
import { corpusFromTable } from "../src/corpus/corpus-from-table.js";
import { orthologKey } from "../src/corpus/gene-key.js";
import { readCorpus, readCorpusSplit } from "../src/corpus/read-corpus.js";
import { assignSplit, parseSplitFractions } from "../src/corpus/split.js";
import { SPLIT_NAMES, type CorpusRecord } from "../src/corpus/types.js";
import { writeCorpus } from "../src/corpus/write-corpus.js";
import { InputError, ParseError } from "../src/errors.js";

const FX = resolve("test/fixtures");
const tmp = () => mkdtemp(join(tmpdir(), "slm-corpus-"));

async function allRecords(dir: string): Promise<Array<CorpusRecord & { split: string }>> {
  const out = [];
  for (const split of SPLIT_NAMES) for await (const r of readCorpusSplit(dir, split)) out.push({ ...r, split });
  return out;
}

describe("gene keys and splits", () => {
  it("uses the first systematic ortholog name, the ID for NA or missing names", () => {
    expect(orthologKey("YAL068C/YJL223C", "S288c_01G00010")).toBe("YAL068C");
    expect(orthologKey("NA", "SK1_01G00010")).toBe("SK1_01G00010");
    expect(orthologKey(undefined, "YAL001C")).toBe("YAL001C");
  });
  it("hash split is deterministic, seed-dependent and close to the requested fractions", () => {
    const keys = Array.from({ length: 4000 }, (_, i) => `G${i}`);
    const a = keys.map((k) => assignSplit(k, 1, [0.8, 0.1, 0.1]));
    expect(keys.map((k) => assignSplit(k, 1, [0.8, 0.1, 0.1]))).toEqual(a);
    expect(keys.map((k) => assignSplit(k, 2, [0.8, 0.1, 0.1]))).not.toEqual(a);
    const train = a.filter((s) => s === "train").length / keys.length;
    expect(train).toBeGreaterThan(0.77);
    expect(train).toBeLessThan(0.83);
    expect(() => parseSplitFractions("0.5,0.5")).toThrow(InputError);
    expect(parseSplitFractions("0.7, 0.2, 0.1")).toEqual([0.7, 0.2, 0.1]);
  });
});

describe("writeCorpus / readCorpus", () => {
  const inputs: CorpusRecord[] = [
    { id: "a1", species: "sp1", gene: "G1", sequence: "ACGTACGT" },
    { id: "a2", species: "sp1", gene: "G2", sequence: "ACGTACGT" }, // duplicate sequence within sp1
    { id: "b1", species: "sp2", gene: "G1", sequence: "ACGTACGT" }, // same sequence, other species: kept
    { id: "b2", species: "sp2", gene: "G3", sequence: "TTTTTTTT" },
    { id: "b3", species: "sp2", gene: "G4", sequence: "TTTTT" }, // shorter than one 6-mer: dropped, counted
  ];
  it("removes duplicates within a species independent of input order, round-trips records", async () => {
    const d1 = await tmp();
    const d2 = await tmp();
    const c1 = await writeCorpus(d1, inputs, { region: "three_prime", seed: 7, splitFractions: [0.5, 0.25, 0.25], sources: [] });
    await writeCorpus(d2, [...inputs].reverse(), { region: "three_prime", seed: 7, splitFractions: [0.5, 0.25, 0.25], sources: [] });
    for (const s of SPLIT_NAMES) expect(await readFile(join(d2, `${s}.tsv`), "utf8")).toBe(await readFile(join(d1, `${s}.tsv`), "utf8"));
    expect(c1.totals.duplicatesRemoved).toBe(1);
    expect(c1.species.find((s) => s.name === "sp1")!.duplicatesRemoved).toBe(1);
    expect(c1.species.find((s) => s.name === "sp2")!.tooShortRemoved).toBe(1);
    const records = await allRecords(d1);
    expect(records.map((r) => r.id).sort()).toEqual(["a1", "b1", "b2"]);
    const read = await readCorpus(d1);
    expect(read).toMatchObject({ formatVersion: 1, region: "three_prime", seed: 7, dir: d1 });
    expect(read.totals.train + read.totals.valid + read.totals.test).toBe(3);
  });
  it("rejects duplicate ids within a species and writes nothing", async () => {
    const d = await tmp();
    const bad = [...inputs, { id: "a1", species: "sp1", gene: "G9", sequence: "GGGG" }];
    await expect(writeCorpus(d, bad, { region: null, seed: 1, splitFractions: [0.8, 0.1, 0.1], sources: [] })).rejects.toThrow(/duplicate record id "a1"/);
    expect(existsSync(join(d, "train.tsv"))).toBe(false);
  });
  it("readCorpus explains a folder that is not a corpus", async () => {
    await expect(readCorpus(await tmp())).rejects.toThrow(/not a corpus folder/);
  });
});

describe("corpus build from a manifest (fixtures)", () => {
  it("extracts regions on the fly and reads ready FASTA regions, resolving paths against the manifest", async () => {
    const d = await tmp();
    const fasta = join(d, "ready.fa");
    await writeFile(fasta, ">x1 | something\nACGTACGT\n>x2 species=s region=three_prime I:1-3(+) gene=YAA001W\nTTTTAAAA\n");
    const manifest = join(d, "manifest.tsv");
    await writeFile(manifest, `species\tgenome\tannotation\tlength\tfasta\ntoy\t${FX}/fasta/toy-genome.fa\t${FX}/gff/toy.gff3\t12\t\nready\t\t\t\tready.fa\n`);
    const out = join(d, "corpus");
    const { corpus, extractSummaries } = await buildCorpus({ manifest, outDir: out, seed: 3 });
    expect(extractSummaries[0]!.written).toBe(2);
    expect(corpus.region).toBe("three_prime");
    const records = await allRecords(out);
    expect(records.map((r) => [r.species, r.id, r.gene]).sort()).toEqual([
      ["ready", "x1", "x1"],
      ["ready", "x2", "YAA001W"],
      ["toy", "g1", "YAA001W"],
      ["toy", "g2", "g2"],
    ]);
    const g = records.filter((r) => r.gene === "YAA001W");
    expect(g[0]!.split).toBe(g[1]!.split);
  });
  it("reports manifest errors with file and line", async () => {
    const d = await tmp();
    const manifest = join(d, "m.tsv");
    await writeFile(manifest, "species\tgenome\ntoy\tx.fa\n");
    const err = await buildCorpus({ manifest, outDir: join(d, "c") }).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toMatch(/m\.tsv:2: each row needs either a fasta path or both genome and annotation/);
    expect(existsSync(join(d, "c"))).toBe(false);
  });
});

const SHARED = resolve("../shared");
describe.skipIf(!existsSync(join(SHARED, "data/strains")))("corpus from the shared strains (needs ../shared/data/strains)", () => {
  it("keeps each gene name in one split across strains and is reproducible for a seed", async () => {
    const d = await tmp();
    const strains = ["S288C", "SK1", "CBS432"];
    const rows = strains.map((s) => `${s}\t${SHARED}/data/strains/genome/${s}.genome.fa.gz\t${SHARED}/data/strains/gff/${s}.all_feature.gff.gz`);
    const manifest = join(d, "manifest.tsv");
    await writeFile(manifest, ["species\tgenome\tannotation", ...rows].join("\n") + "\n");
    const { corpus } = await buildCorpus({ manifest, outDir: join(d, "c"), seed: 11 });
    expect(corpus.species.map((s) => s.name).sort()).toEqual([...strains].sort());
    const records = await allRecords(join(d, "c"));
    const splitOf = new Map<string, string>();
    for (const r of records) {
      expect(splitOf.get(r.gene) ?? r.split).toBe(r.split);
      splitOf.set(r.gene, r.split);
    }
    const genesInAll = [...splitOf.keys()].filter((g) => /^Y[A-P][LR]\d{3}[WC]/.test(g));
    expect(genesInAll.length).toBeGreaterThan(5000);
    const frac = records.filter((r) => r.split === "train").length / records.length;
    expect(frac).toBeGreaterThan(0.75);
    expect(frac).toBeLessThan(0.85);
    // Same seed, rows in another order: identical files.
    await writeFile(manifest, ["species\tgenome\tannotation", ...rows.reverse()].join("\n") + "\n");
    await buildCorpus({ manifest, outDir: join(d, "c2"), seed: 11 });
    expect(await readFile(join(d, "c2", "valid.tsv"), "utf8")).toBe(await readFile(join(d, "c", "valid.tsv"), "utf8"));
  });

  it.skipIf(!existsSync(join(SHARED, "bench/sim12/sequences.tsv")))("from-table keeps the table's split column", async () => {
    const d = await tmp();
    const corpus = await corpusFromTable({ table: join(SHARED, "bench/sim12/sequences.tsv"), outDir: d });
    const first = (await readFile(join(SHARED, "bench/sim12/sequences.tsv"), "utf8")).split("\n")[1]!.split("\t");
    const records = await allRecords(d);
    expect(records.find((r) => r.id === first[1])!.split).toBe(first[2]);
    expect(corpus.species.length).toBeGreaterThan(1);
  });
});
