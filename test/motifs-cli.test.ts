import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMeme } from "../src/pwm/meme-parser.js";
import { mulberry32 } from "../src/rng.js";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "dist/cli/main.js");
let dir = "";

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

/**
 * A reconstruction as a model that learned one motif would give it: at the planted TGTAAATA sites
 * the reference base gets 0.9, elsewhere a flat guess that gives the reference 0.3.
 */
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("dist/cli/main.js missing: run `npm run build` before the CLI tests");
  dir = await mkdtemp(join(tmpdir(), "motifs-cli-"));
  const rng = mulberry32(5);
  const rows = ["id\tpos\tref\tA\tC\tG\tT"],
    seqs = ["id\tspecies\tsequence"];
  for (let k = 0; k < 120; k++) {
    const seq = Array.from({ length: 150 }, () => "ACGT"[rng.int(4)]);
    const site = new Set<number>();
    if (k % 2 === 0) {
      const at = 30 + rng.int(60);
      [..."TGTAAATA"].forEach((b, j) => {
        seq[at + j] = b;
        site.add(at + j);
      });
    }
    seq.forEach((b, pos) => {
      const own = site.has(pos) ? 0.9 : 0.3 + 0.05 * rng.next();
      const p = [0, 1, 2, 3].map((c) => ("ACGT"[c] === b ? own : (1 - own) / 3));
      rows.push(`s${k}\t${pos}\t${b}\t${p.map((v) => v.toFixed(4)).join("\t")}`);
    });
    seqs.push(`s${k}\t${k < 60 ? "spA" : "spB"}\t${seq.join("")}`);
  }
  await writeFile(join(dir, "recon.tsv"), rows.join("\n") + "\n");
  await writeFile(join(dir, "seqs.tsv"), seqs.join("\n") + "\n");
  await writeFile(join(dir, "db.txt"), "TGTAAATA PUF3\nTGCATG WHI3\nTATATA EFF\nCCGGCCGG decoy\n");
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("specieslm motifs", () => {
  it("discover writes MEME, tables and the HTML report; match finds the planted motif", async () => {
    const out = run(
      "motifs",
      "discover",
      "--reconstruction",
      join(dir, "recon.tsv"),
      "-i",
      join(dir, "seqs.tsv"),
      "--db",
      join(dir, "db.txt"),
      "--min-seqlets",
      "10",
      "--single-strand",
      "-o",
      join(dir, "run"),
      "--json",
    );
    expect(out.status, out.stderr).toBe(0);
    const summary = JSON.parse(out.stdout);
    expect(summary.patterns).toHaveLength(1);
    expect(summary.patterns[0]).toMatchObject({ consensus: "TGTAAATA", bestMatch: { name: "PUF3" } });
    expect(summary.patterns[0].sequences).toBeGreaterThanOrEqual(55);
    const memeText = await readFile(join(dir, "run.meme"), "utf8");
    // --single-strand motifs are declared on the given strand only (issue 27 #9)
    expect(memeText).toMatch(/^strands: \+$/m);
    const meme = parseMeme(memeText).motifs;
    expect(meme.map((m) => m.id)).toEqual(["pattern_1"]);
    const patterns = (await readFile(join(dir, "run.patterns.tsv"), "utf8")).trim().split("\n");
    expect(patterns[0]!.split("\t").slice(0, 4)).toEqual(["motif", "group", "family", "consensus"]);
    expect(patterns[1]!.split("\t").slice(0, 4)).toEqual(["pattern_1", "all", "PUF3", "TGTAAATA"]);
    expect(patterns[1]).toMatch(/spA:\d+\/60;spB:\d+\/60/);
    const seqlets = (await readFile(join(dir, "run.seqlets.tsv"), "utf8"))
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split("\t"));
    const members = seqlets.filter((f) => f[6] === "pattern_1");
    expect(members.length).toBe(summary.patterns[0].seqlets);
    expect(members.every((f) => Number(f[4]) - Number(f[3]) === 8 && f[5] === "+")).toBe(true);
    const html = await readFile(join(dir, "run.html"), "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain("PUF3");
    expect(await readFile(join(dir, "run.matches.tsv"), "utf8")).toMatch(/^query\t/);

    const m = run("motifs", "match", "--query", join(dir, "run.meme"), "--db", join(dir, "db.txt"), "--single-strand", "-o", join(dir, "m.tsv"), "--json");
    expect(m.status, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout).best[0]).toMatchObject({ query: "pattern_1", name: "PUF3" });
    expect((await readFile(join(dir, "m.tsv"), "utf8")).split("\n")[1]).toMatch(/^pattern_1\tTGTAAATA\tTGTAAATA\tPUF3\tdb\.txt\tTGTAAATA\t\+\t0\t8\t/);

    // vs-baseline against a flat baseline given as a reconstruction TSV: the same motif
    const flat = (await readFile(join(dir, "recon.tsv"), "utf8"))
      .split("\n")
      .map((l, i) => (i === 0 || l === "" ? l : l.split("\t").slice(0, 3).concat(["0.25", "0.25", "0.25", "0.25"]).join("\t")));
    await writeFile(join(dir, "flat.tsv"), flat.join("\n"));
    const vs = run(
      "motifs",
      "discover",
      "-r",
      join(dir, "recon.tsv"),
      "--score",
      "vs-baseline",
      "--baseline",
      join(dir, "flat.tsv"),
      "--min-seqlets",
      "10",
      "--single-strand",
      "-o",
      join(dir, "vs"),
      "--json",
    );
    expect(vs.status, vs.stderr).toBe(0);
    expect(JSON.parse(vs.stdout).patterns.map((p: { consensus: string }) => p.consensus)).toEqual(["TGTAAATA"]);

    const bySp = run(
      "motifs",
      "discover",
      "-r",
      join(dir, "recon.tsv"),
      "-i",
      join(dir, "seqs.tsv"),
      "--by-species",
      "--min-seqlets",
      "10",
      "-o",
      join(dir, "sp"),
      "--json",
    );
    expect(bySp.status, bySp.stderr).toBe(0);
    expect(JSON.parse(bySp.stdout).patterns.map((p: { id: string; consensus: string }) => [p.id, p.consensus])).toEqual([
      ["spA.pattern_1", "TGTAAATA"],
      ["spB.pattern_1", "TGTAAATA"],
    ]);
  });

  it("bad input: clear message, exit 1, no partial output", async () => {
    const header = "id\tpos\tref\tA\tC\tG\tT\n";
    await writeFile(join(dir, "gap.tsv"), header + "a\t0\tA\t0.7\t0.1\t0.1\t0.1\na\t2\tC\t0.1\t0.7\t0.1\t0.1\n");
    const gap = run("motifs", "discover", "-r", join(dir, "gap.tsv"), "-o", join(dir, "gap"));
    expect(gap.status).toBe(1);
    expect(gap.stderr).toMatch(/gap\.tsv:3: "a": expected position 1, found "2" \(missing or repeated positions\)/);
    expect(existsSync(join(dir, "gap.meme"))).toBe(false);

    await writeFile(join(dir, "cols.tsv"), "id\tpos\tA\tC\tG\tT\na\t0\t0.7\t0.1\t0.1\t0.1\n");
    const cols = run("motifs", "discover", "-r", join(dir, "cols.tsv"), "-o", join(dir, "cols"));
    expect(cols.status).toBe(1);
    expect(cols.stderr).toMatch(/missing column\(s\) ref/);

    await writeFile(join(dir, "empty.txt"), "# nothing here\n");
    const empty = run("motifs", "match", "--query", join(dir, "db.txt"), "--db", join(dir, "empty.txt"), "-o", join(dir, "e.tsv"));
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/empty\.txt.*no consensus strings found/);
    expect(existsSync(join(dir, "e.tsv"))).toBe(false);

    await writeFile(join(dir, "bad.meme"), "MEME version 4\nMOTIF x\nletter-probability matrix: alength= 4 w= 3\n0.25 0.25 0.25 0.25\n");
    const bad = run("motifs", "match", "--query", join(dir, "bad.meme"), "--db", join(dir, "db.txt"), "-o", join(dir, "b.tsv"));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.meme:\d+: matrix row 2 of 3 must hold 4 non-negative numbers/);

    const baseWithoutScore = run(
      "motifs",
      "discover",
      "-r",
      join(dir, "recon.tsv"),
      "--score",
      "log-ratio",
      "--baseline",
      join(dir, "recon.tsv"),
      "-o",
      join(dir, "x"),
    );
    expect(baseWithoutScore.status).toBe(1);
    expect(baseWithoutScore.stderr).toMatch(/--baseline goes with --score vs-baseline, not --score log-ratio/);
    expect(existsSync(join(dir, "x.meme"))).toBe(false);

    const sp = run("motifs", "discover", "-r", join(dir, "recon.tsv"), "--by-species", "-o", join(dir, "x"));
    expect(sp.status).toBe(1);
    expect(sp.stderr).toMatch(/--by-species needs --input/);
  });
});
