import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const CLI = "dist/cli/main.js";

describe.skipIf(!existsSync(CLI))("specieslm extract (built CLI; run `npm run build` first)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slm-extract-cli-"));
  });

  it("writes FASTA and prints a JSON summary", async () => {
    const out = join(dir, "toy.fa");
    const stdout = execFileSync(
      process.execPath,
      [
        CLI,
        "extract",
        "--genome",
        "test/fixtures/fasta/toy-genome.fa",
        "--annotation",
        "test/fixtures/gff/toy.gff3",
        "--species",
        "toy",
        "--region",
        "three_prime",
        "--length",
        "12",
        "--json",
        "-o",
        out,
      ],
      { encoding: "utf8" },
    );
    expect(JSON.parse(stdout)).toMatchObject({ written: 2, skipped: { offContig: 1, unknownContig: 1 } });
    expect(await readFile(out, "utf8")).toMatch(/^>g1 species=toy region=three_prime A:30-41\(\+\) gene=YAA001W common=ONE\nTAAGCCGGCGCC\n>g2 /);
  });

  it("exits 1 with a clear message and leaves no output on a malformed annotation", async () => {
    const out = join(dir, "bad", "out.fa");
    const r = spawnSync(
      process.execPath,
      [CLI, "extract", "--genome", "test/fixtures/fasta/toy-genome.fa", "--annotation", "test/fixtures/gff/bad-end.gff3", "--species", "toy", "-o", out],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad-end\.gff3:2: end 21 < start 30/);
    expect(existsSync(out)).toBe(false);
  });

  it("exits 1 on a missing genome file", async () => {
    const out = join(dir, "missing.fa");
    const r = spawnSync(
      process.execPath,
      [CLI, "extract", "--genome", "nope.fa.gz", "--annotation", "test/fixtures/gff/toy.gff3", "--species", "toy", "-o", out],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/genome FASTA not found: nope\.fa\.gz/);
    expect((await readdir(dir)).filter((f) => f.startsWith("missing"))).toEqual([]);
  });
});
