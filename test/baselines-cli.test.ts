import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "dist/cli/main.js");
let dir = "";

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("dist/cli/main.js missing: run `npm run build` before the CLI tests");
  dir = await mkdtemp(join(tmpdir(), "baseline-cli-"));
  const rows = ["species\tid\tsplit\tsequence"];
  for (let i = 0; i < 20; i++) rows.push(`sA\ta${i}\t${i < 15 ? "train" : "test"}\t${"ACGTTA".repeat(10)}`);
  for (let i = 0; i < 20; i++) rows.push(`sB\tb${i}\t${i < 15 ? "train" : "test"}\t${"CCGGAT".repeat(10)}`);
  rows.push("sC\tc0\ttest\tACGTTACCGGAT");
  await writeFile(join(dir, "seqs.tsv"), rows.join("\n") + "\n");
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

describe("specieslm baseline", () => {
  it("fits, saves, evaluates per species and writes the report", async () => {
    const fit = JSON.parse(
      run("baseline", "fit", "-i", join(dir, "seqs.tsv"), "--split", "train", "--left", "2", "--right", "1", "-o", join(dir, "m"), "--json"),
    );
    expect(fit).toMatchObject({ name: "markov-2-1", species: ["sA", "sB"], nucleotides: 30 * 60 });
    const out = JSON.parse(
      run("baseline", "evaluate", "--baseline", join(dir, "m"), "-i", join(dir, "seqs.tsv"), "--split", "test", "-o", join(dir, "rep.tsv"), "--json"),
    );
    const m = out.models[0];
    expect(m.perSpecies.map((s: { species: string }) => s.species)).toEqual(["sA", "sB", "sC"]);
    // periodic training sequences: interior positions of sA/sB test records are fully determined
    expect(m.perSpecies[0].accuracy).toBeGreaterThan(0.95);
    expect(out.notes.join()).toMatch(/sC.*pooled/);
    expect(await readFile(join(dir, "rep.html"), "utf8")).toContain("<svg");
  });

  it("fails with exit code 1 on a bad --kind", () => {
    expect(() => run("baseline", "fit", "-i", join(dir, "seqs.tsv"), "--kind", "nope", "-o", join(dir, "x"))).toThrow(/--kind must be one of/);
  });
});
