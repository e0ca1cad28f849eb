import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../errors.js";
import { detectAnnotationFormat, readAnnotation } from "./annotation-reader.js";
import { readBed } from "./bed-reader.js";

const FX = "test/fixtures/gff";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("GFF3/GTF readers", () => {
  it("converts GFF3 to 0-based half-open and decodes attributes", async () => {
    const rows = await collect(readAnnotation(`${FX}/toy.gff3`));
    expect(rows).toHaveLength(13);
    expect(rows[0]).toMatchObject({ seqid: "chrA", type: "gene", start: 20, end: 32, strand: "+", line: 2 });
    expect(rows[0]!.attributes).toEqual({ ID: ["g1"], Name: ["YAA001W"], gene: ["ONE"] });
    expect(rows[8]!.attributes["Name"]).toEqual(["YBB001W/YCC001W"]);
  });
  it("parses GTF attributes and detects the dialect", async () => {
    expect(await detectAnnotationFormat(`${FX}/toy.gtf`)).toBe("gtf");
    const rows = await collect(readAnnotation(`${FX}/toy.gtf`));
    expect(rows[2]).toMatchObject({ type: "stop_codon", start: 29, end: 32, phase: 0 });
    expect(rows[0]!.attributes).toEqual({ gene_id: ["g1"], gene_name: ["ONE"], gene_biotype: ["protein_coding"] });
  });
  it("rejects end < start with file and line", async () => {
    const err = await collect(readAnnotation(`${FX}/bad-end.gff3`)).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toMatch(/bad-end\.gff3:2: end 21 < start 30/);
  });
  it("rejects non-numeric coordinates", async () => {
    const err = await collect(readAnnotation(`${FX}/bad-number.gff3`)).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toMatch(/bad-number\.gff3:2: non-numeric coordinates start="21" end="3x"/);
  });
});

describe("BED reader", () => {
  it("keeps BED's 0-based coordinates and validates them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slm-bed-"));
    const ok = join(dir, "a.bed");
    await writeFile(ok, "track name=x\nchrI\t0\t10\tg1\t0\t-\nchrI\t5\t6\n");
    expect(await collect(readBed(ok))).toEqual([
      { chrom: "chrI", start: 0, end: 10, name: "g1", score: "0", strand: "-", line: 2 },
      { chrom: "chrI", start: 5, end: 6, name: "", score: "", strand: ".", line: 3 },
    ]);
    const bad = join(dir, "b.bed");
    await writeFile(bad, "chrI\t10\t5\n");
    await expect(collect(readBed(bad))).rejects.toThrow(/b\.bed:1: end 5 < start 10/);
  });
});
