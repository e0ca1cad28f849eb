import { copyFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError, ParseError } from "../errors.js";
import { readFasta } from "./fasta-reader.js";
import { loadGenome } from "./genome.js";
import { buildFaiIndex, formatFai } from "./fai-index.js";
import { openGenome } from "./open-genome.js";
import { IndexedFastaGenome } from "./indexed-genome.js";
import { compressionOfHeader } from "./compression.js";

const FX = "test/fixtures/fasta";
const text = (u: Uint8Array) => Buffer.from(u).toString("latin1");

/**
 * Gzip fixtures are made from small.fa at run time (no binary files in the repository): the whole file,
 * and the same stream cut short, which a reader must report as truncated.
 */
async function gzipFixtures(): Promise<{ gz: string; truncated: string }> {
  const dir = await mkdtemp(join(tmpdir(), "slm-gz-"));
  const data = gzipSync(await readFile(`${FX}/small.fa`));
  const gz = join(dir, "small.fa.gz");
  const truncated = join(dir, "truncated.fa.gz");
  await writeFile(gz, data);
  await writeFile(truncated, data.subarray(0, Math.floor(data.length / 2)));
  return { gz, truncated };
}

async function all(path: string, uppercase = true) {
  const out = [];
  for await (const r of readFasta(path, { uppercase })) out.push({ id: r.id, description: r.description, seq: text(r.sequence) });
  return out;
}

/** Minimal BGZF writer (one block per 32 bytes) plus its .gzi, so the BGZF path is tested without htslib. */
function bgzf(data: Buffer): { file: Buffer; gzi: Buffer } {
  const blocks: Buffer[] = [];
  const offsets: Array<[bigint, bigint]> = [];
  let comp = 0n;
  let raw = 0n;
  const parts = [];
  for (let i = 0; i < data.length; i += 32) parts.push(data.subarray(i, i + 32));
  parts.push(Buffer.alloc(0)); // EOF block
  for (const p of parts) {
    const gz = gzipSync(p);
    const deflated = gz.subarray(10, gz.length - 8);
    const header = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0, 0, 0]);
    const block = Buffer.concat([header, deflated, gz.subarray(gz.length - 8)]);
    block.writeUInt16LE(block.length - 1, 16);
    if (blocks.length > 0) offsets.push([comp, raw]);
    blocks.push(block);
    comp += BigInt(block.length);
    raw += BigInt(p.length);
  }
  const gzi = Buffer.alloc(8 + 16 * offsets.length);
  gzi.writeBigUInt64LE(BigInt(offsets.length), 0);
  offsets.forEach(([c, r], i) => {
    gzi.writeBigUInt64LE(c, 8 + 16 * i);
    gzi.writeBigUInt64LE(r, 16 + 16 * i);
  });
  return { file: Buffer.concat(blocks), gzi };
}

describe("readFasta", () => {
  it("reads multi-line records with CRLF, keeps IUPAC codes, upper-cases by default", async () => {
    expect(await all(`${FX}/small.fa`)).toEqual([
      { id: "chr1", description: "test contig", seq: "ACGTACGTNNACGTRYKM" },
      { id: "chr2", description: "", seq: "TTTTGGGGCCAAA" },
    ]);
  });
  it("keeps lowercase when asked", async () => {
    expect((await all(`${FX}/small.fa`, false))[0]!.seq).toBe("ACGTACGTNNacgtRYKM");
  });
  it("reads gzip identically to plain", async () => {
    expect(await all((await gzipFixtures()).gz)).toEqual(await all(`${FX}/small.fa`));
  });
  it("rejects data before the first header with file and line", async () => {
    const err = await all(`${FX}/no-header.fa`).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toMatch(/no-header\.fa:1: sequence data before the first '>' header/);
  });
  it("rejects non-IUPAC characters naming line, record and character", async () => {
    const err = await all(`${FX}/bad-char.fa`).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toMatch(/bad-char\.fa:3: record "x": invalid sequence character "J" at column 3/);
  });
  it("reports truncated gzip as a ParseError", async () => {
    const err = await all((await gzipFixtures()).truncated).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toMatch(/truncated\.fa\.gz: truncated or corrupt gzip/);
  });
  it("reports a missing file as an InputError", async () => {
    const err = await all(`${FX}/does-not-exist.fa`).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/FASTA file not found/);
  });
});

describe("genome access", () => {
  it("builds a samtools-compatible .fai", async () => {
    expect(formatFai(await buildFaiIndex(`${FX}/toy-genome.fa`))).toBe("A\t100\t3\t30\t31\nB\t40\t110\t40\t41\n");
  });
  it("indexed plain FASTA and BGZF fetch the same bases as the in-memory genome", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slm-fasta-"));
    const plain = join(dir, "toy.fa");
    await copyFile(`${FX}/toy-genome.fa`, plain);
    const mem = await loadGenome(plain);
    const indexed = await openGenome(plain);
    expect(indexed).toBeInstanceOf(IndexedFastaGenome);
    expect(await readFile(`${plain}.fai`, "utf8")).toContain("A\t100\t3\t30\t31");
    const { file, gzi } = bgzf(await readFile(plain));
    const bgz = join(dir, "toy.fa.gz");
    await writeFile(bgz, file);
    expect(compressionOfHeader(file)).toBe("bgzf");
    await writeFile(`${bgz}.gzi`, gzi);
    await copyFile(`${plain}.fai`, `${bgz}.fai`);
    const viaBgzf = await openGenome(bgz);
    expect(viaBgzf).toBeInstanceOf(IndexedFastaGenome);
    for (const [c, s, e] of [
      ["A", 0, 100],
      ["A", 25, 65],
      ["B", 3, 40],
      ["A", 99, 100],
    ] as const) {
      const want = text(await mem.fetch(c, s, e));
      expect(want.length).toBe(e - s);
      expect(text(await indexed.fetch(c, s, e))).toBe(want);
      expect(text(await viaBgzf.fetch(c, s, e))).toBe(want);
    }
    expect(viaBgzf.contigNames).toEqual(["A", "B"]);
    expect(viaBgzf.contigLength("B")).toBe(40);
  });
  it("loads plain gzip into memory", async () => {
    const g = await openGenome((await gzipFixtures()).gz);
    expect(text(await g.fetch("chr1", 2, 6))).toBe("GTAC");
    await expect(g.fetch("chr1", 10, 30)).rejects.toThrow(/outside contig of length 18/);
  });
});
