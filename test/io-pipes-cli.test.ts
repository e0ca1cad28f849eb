import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bgzfCompress } from "../src/io/bgzf-writer.js";
import { cli, cliPiped } from "./helpers/cli.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";

interface Case {
  name: string;
  sequence?: string;
  species?: string;
}

// Standard input, FIFOs and process substitution cannot seek or be read twice: each must give the
// same bytes out as the file does (issue 27, defect 3).
describe.skipIf(!HAS_SHARED || !existsSync("dist/cli/main.js"))("sequence input from pipes and standard input (built CLI)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  const model = `${FIXTURE}model`;
  let dir = "";
  const at = (name: string) => join(dir, name);
  const run = (input: string, out: string, extra: string[] = []) => ["reconstruct", "--model", model, "-i", input, "-o", at(out), "--threads", "1", ...extra];
  let expected = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "slm-pipes-"));
    const cases = (JSON.parse(readFileSync(`${FIXTURE}cases.json`, "utf8")) as { cases: Case[] }).cases.filter((c) => c.sequence && c.species).slice(0, 3);
    const fasta = cases.map((c) => `>${c.name} species=${c.species}\n${c.sequence}\n`).join("");
    writeFileSync(at("in.fa"), fasta);
    writeFileSync(at("in.fa.gz"), gzipSync(fasta));
    writeFileSync(at("in.bgz"), bgzfCompress(fasta));
    writeFileSync(at("in.tsv"), ["id\tspecies\tsequence", ...cases.map((c) => `${c.name}\t${c.species}\t${c.sequence}`)].join("\n") + "\n");
    const r = cli(run(at("in.fa"), "file.tsv"));
    expect(r.code, r.stderr).toBe(0);
    expected = readFileSync(at("file.tsv"), "utf8");
    expect(expected.split("\n").length).toBeGreaterThan(100);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads plain and gzip FASTA from standard input (-i -)", () => {
    for (const [src, out] of [
      ["in.fa", "stdin.tsv"],
      ["in.fa.gz", "stdin-gz.tsv"],
    ] as const) {
      const r = cliPiped(run("-", out), { stdin: readFileSync(at(src)) });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/internal error|ESPIPE/);
      expect(readFileSync(at(out), "utf8"), src).toBe(expected);
    }
  });

  it("reads BGZF FASTA and a sequence TSV from a FIFO, and shards a FIFO like the file", () => {
    let r = cliPiped(run(at("fifo1"), "fifo-bgzf.tsv"), { fifos: { [at("fifo1")]: at("in.bgz") } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(at("fifo-bgzf.tsv"), "utf8")).toBe(expected);
    r = cliPiped(run(at("fifo2"), "fifo-tsv.tsv"), { fifos: { [at("fifo2")]: at("in.tsv") } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(at("fifo-tsv.tsv"), "utf8")).toBe(expected);
    // --shard counts the records first: a second pass a pipe cannot give without a copy
    expect(cli(run(at("in.fa"), "shard-file.tsv", ["--shard", "1/2"])).code).toBe(0);
    r = cliPiped(run(at("fifo3"), "shard-fifo.tsv", ["--shard", "1/2"]), { fifos: { [at("fifo3")]: at("in.fa.gz") } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(at("shard-fifo.tsv"), "utf8")).toBe(readFileSync(at("shard-file.tsv"), "utf8"));
  });

  it("names the pipe, not a temporary copy, in a parse error", () => {
    writeFileSync(at("bad.fa"), ">x species=candida_glabrata\nACGTXX\n");
    const r = cliPiped(run("-", "bad.tsv", ["--shard", "0/1"]), { stdin: readFileSync(at("bad.fa")) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^specieslm: error: -:2: record "x": invalid sequence character "X"/);
    expect(existsSync(at("bad.tsv"))).toBe(false);
  });
});
