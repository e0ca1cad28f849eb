import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostTensor } from "../src/host-tensor.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { FIXTURE, HAS_SHARED, maxAbsDiff, fixtureCases, type FixtureCase } from "./helpers/shared.js";
import { cli } from "./helpers/cli.js";

describe.skipIf(!HAS_SHARED)("inference commands against the PyTorch fixture", () => {
  let dir = "";
  let cases: FixtureCase[];
  let expected: Map<string, HostTensor>;
  const model = `${FIXTURE}model`;
  beforeAll(async () => {
    expect(existsSync("dist/cli/main.js"), "run `npm run build` first").toBe(true);
    dir = mkdtempSync(join(tmpdir(), "specieslm-cli-"));
    cases = fixtureCases(/^case[013]$/);
    writeFileSync(join(dir, "in.fa"), cases.map((c) => `>${c.name} species=${c.species}\n${c.sequence}\n`).join(""));
    expected = (await readSafetensors(`${FIXTURE}expected.safetensors`)).tensors;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const exp = (k: string) => expected.get(k)!.data as Float32Array;

  it("reconstruct writes id pos ref A C G T matching the reference within 1e-5", () => {
    const out = join(dir, "rec.tsv");
    expect(cli(["reconstruct", "--model", model, "-i", join(dir, "in.fa"), "-o", out, "--threads", "1"]).code).toBe(0);
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows[0]).toBe("id\tpos\tref\tA\tC\tG\tT");
    for (const c of cases) {
      const mine = rows.filter((r) => r.startsWith(`${c.name}\t`)).flatMap((r) => r.split("\t").slice(3).map(Number));
      expect(mine).toHaveLength(c.sequence.length * 4);
      expect(maxAbsDiff(mine, exp(`${c.name}.reconstruction`)), c.name).toBeLessThan(1e-5);
    }
  });

  it("embed --from-layer 1 gives the reference embeddings within 1e-4, batched with padding", () => {
    const out = join(dir, "emb.tsv");
    expect(cli(["embed", "--model", model, "-i", join(dir, "in.fa"), "-o", out, "--from-layer", "1", "--batch-size", "3"]).code).toBe(0);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((r) => r.split("\t"));
    for (const c of cases) {
      const row = rows.find((r) => r[0] === c.name)!;
      expect(maxAbsDiff(row.slice(1).map(Number), exp(`${c.name}.embedding`)), c.name).toBeLessThan(1e-4);
    }
  });

  it("logits --hidden-states writes the reference logits and hidden states within 1e-4", async () => {
    const out = join(dir, "out.safetensors");
    expect(cli(["logits", "--model", model, "-i", join(dir, "in.fa"), "-o", out, "--hidden-states"]).code).toBe(0);
    const t = (await readSafetensors(out)).tensors;
    for (const c of cases) {
      expect(Array.from(t.get(`${c.name}.input_ids`)!.data as BigInt64Array)).toEqual(Array.from(expected.get(`${c.name}.input_ids`)!.data as BigInt64Array));
      expect(maxAbsDiff(t.get(`${c.name}.logits`)!.data as Float32Array, exp(`${c.name}.logits`))).toBeLessThan(1e-4);
      expect(maxAbsDiff(t.get(`${c.name}.hidden_states.2`)!.data as Float32Array, exp(`${c.name}.hidden_states.2`))).toBeLessThan(1e-4);
    }
  });

  it("stops with exit 1 and a clear message on bad input, leaving no output", () => {
    const out = join(dir, "bad.tsv");
    writeFileSync(join(dir, "unknown.fa"), `>x species=homo_sapiens\n${cases[0]!.sequence}\n`);
    let r = cli(["reconstruct", "--model", model, "-i", join(dir, "unknown.fa"), "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown species "homo_sapiens".*closest known/);
    writeFileSync(join(dir, "nonacgt.fa"), `>x species=candida_glabrata\nACGTACGTXXACGTACGT\n`);
    r = cli(["reconstruct", "--model", model, "-i", join(dir, "nonacgt.fa"), "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nonacgt\.fa:2: record "x": invalid sequence character "X"/);
    r = cli(["embed", "--model", dir, "-i", join(dir, "in.fa"), "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no config\.json/);
    r = cli(["reconstruct", "--model", model, "-i", join(dir, "in.fa"), "-o", out, "--batch-size", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--batch-size must be an integer/);
    expect(existsSync(out)).toBe(false);
  });

  it.each(["reconstruct", "embed", "logits"])("%s refuses two records with one id (logits kept one, embed both)", (command) => {
    const c = cases[0]!;
    writeFileSync(
      join(dir, "dup.fa"),
      `>a species=${c.species}\n${c.sequence}\n>b species=${c.species}\n${c.sequence}\n>a species=${c.species}\n${c.sequence}\n`,
    );
    const out = join(dir, `dup.${command}.out`);
    const r = cli([command, "--model", model, "-i", join(dir, "dup.fa"), "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^specieslm: error: .*dup\.fa: records 1 and 3 have the same id "a"; give every record its own id$/);
    expect(existsSync(out)).toBe(false);
  });
});
