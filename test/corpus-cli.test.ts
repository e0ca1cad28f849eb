import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCorpus } from "../src/corpus/read-corpus.js";

const CLI = "dist/cli/main.js";

describe.skipIf(!existsSync(CLI))("specieslm corpus (built CLI; run `npm run build` first)", () => {
  it("from-table writes a corpus and prints JSON", async () => {
    const d = await mkdtemp(join(tmpdir(), "slm-corpus-cli-"));
    const table = join(d, "t.tsv");
    await writeFile(table, "species\tid\tsplit\tsequence\nsp0\ts1\ttest\tACGTAC\nsp0\ts2\t\tACGGTT\n");
    const out = join(d, "c");
    const json = JSON.parse(execFileSync(process.execPath, [CLI, "corpus", "from-table", table, "-o", out, "--json"], { encoding: "utf8" }));
    expect(json.totals.test).toBeGreaterThanOrEqual(1);
    expect((await readCorpus(out)).species.map((s) => s.name)).toEqual(["sp0"]);
  });

  it("exits 1 on a bad split value and writes no corpus", async () => {
    const d = await mkdtemp(join(tmpdir(), "slm-corpus-cli-"));
    const table = join(d, "t.tsv");
    await writeFile(table, "species\tid\tsplit\tsequence\nsp0\ts1\ttraining\tACGT\n");
    const r = spawnSync(process.execPath, [CLI, "corpus", "from-table", table, "-o", join(d, "c")], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/t\.tsv:2: split "training" must be one of train, valid, test/);
    expect(existsSync(join(d, "c"))).toBe(false);
  });
});
