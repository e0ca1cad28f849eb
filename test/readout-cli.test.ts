import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmerModel, saveKmerModel } from "../src/baselines/index.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { mulberry32 } from "../src/rng.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";
import { cli } from "./helpers/cli.js";
import { expectOneTable } from "./helpers/tsv.js";

const HAS_SKLEARN = spawnSync("/usr/bin/python3", ["-c", "import sklearn, numpy"]).status === 0;
const SKLEARN_SKIP = "/usr/bin/python3 without scikit-learn (Debian python3-sklearn): the scikit-learn comparison is skipped";

/** A table whose target is a linear function of 3-mer counts and a covariate fraction, plus noise. */
function syntheticTable(n: number, seed: number, extra: (i: number) => Record<string, string> = () => ({})): string {
  const rng = mulberry32(seed);
  const w = Array.from({ length: 64 }, () => rng.normal());
  const rows = Array.from({ length: n }, (_, i) => {
    const L = 60 + rng.int(60);
    const s = Array.from({ length: L }, () => "ACGT"[rng.int(4)]).join("");
    let y = 0;
    for (let j = 0; j + 3 <= L; j++) y += w[[...s.slice(j, j + 3)].reduce((c, b) => c * 4 + "ACGT".indexOf(b), 0)]! / 10;
    const a = rng.int(30),
      b = rng.int(30);
    y += (0.5 * a) / (a + b + 1) + rng.normal();
    return {
      id: `r${i}`,
      species: "saccharomyces_cerevisiae",
      sequence: s,
      ca: String(a),
      cb: String(b),
      y: y.toFixed(5),
      family: `f${i % 37}`,
      ...extra(i),
    };
  });
  const head = Object.keys(rows[0]!);
  return [head.join("\t"), ...rows.map((r) => head.map((h) => (r as Record<string, string>)[h]).join("\t"))].join("\n") + "\n";
}

/** `readout` of the table `input` in `dir` for target y, writing prefix `out` there, with more flags between. */
const readoutArgs = (dir: string, input: string, out: string, ...more: string[]): string[] => [
  "readout",
  "-i",
  join(dir, input),
  "--target",
  "y",
  ...more,
  "-o",
  join(dir, out),
];

describe("readout command", () => {
  if (!HAS_SKLEARN) console.warn(SKLEARN_SKIP);
  let dir = "";
  beforeAll(() => {
    expect(existsSync("dist/cli/main.js"), "run `npm run build` first").toBe(true);
    dir = mkdtempSync(join(tmpdir(), "specieslm-readout-"));
    writeFileSync(join(dir, "syn.tsv"), syntheticTable(240, 5));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!HAS_SKLEARN)("r2 equals scikit-learn's StandardScaler + RidgeCV on the same features and folds within 0.005", () => {
    const sets = "kmer3,gc+length,kmer2+covfrac:ca..cb,kmer3+cov:ca..cb";
    const run = cli([...readoutArgs(dir, "syn.tsv", "cmp", "--features", sets, "--folds", "5", "--group", "family", "--bootstrap", "50"), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const mine = JSON.parse(run.stdout) as { foldKind: string; targets: { sets: { name: string; metrics: { r2: number } }[] }[] };
    expect(mine.foldKind).toBe("GroupKFold");
    const ref = spawnSync("/usr/bin/python3", ["bench/readout_sklearn.py", join(dir, "syn.tsv"), join(dir, "cmp.predictions.tsv"), "y", sets], {
      encoding: "utf8",
    });
    expect(ref.status, ref.stderr).toBe(0);
    const sk = (JSON.parse(ref.stdout) as Record<string, Record<string, { r2: number }>>)["y"]!;
    for (const name of sets.split(",")) {
      const r2 = mine.targets[0]!.sets.find((s) => s.name === name)!.metrics.r2;
      expect(Math.abs(r2 - sk[name]!.r2), `${name}: readout ${r2} vs scikit-learn ${sk[name]!.r2}`).toBeLessThan(0.005);
    }
    expect(mine.targets[0]!.sets.find((s) => s.name === "kmer3")!.metrics.r2).toBeGreaterThan(0.2);
  });

  it("refuses an output prefix that would overwrite the input table", () => {
    const run = cli(readoutArgs(dir, "syn.tsv", "syn"));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/would overwrite the input table/);
    expect(readFileSync(join(dir, "syn.tsv"), "utf8")).toMatch(/^id\tspecies\tsequence/);
  });

  it("writes out-of-fold predictions per record, a report with scatter plots, and pairs sets by Wilcoxon", () => {
    const run = cli([...readoutArgs(dir, "syn.tsv", "rep", "--features", "kmer3,gc", "--folds", "4", "--bootstrap", "50"), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    // one table per TSV (issue 27 #5): the comparisons have their own file, named in the summary and the report
    const files = (JSON.parse(run.stdout) as { files: Record<string, string> }).files;
    expect(files.comparisons).toBe(join(dir, "rep.comparisons.tsv"));
    for (const f of [files.tsv!, files.predictions!]) expectOneTable(f);
    expect(expectOneTable(files.comparisons!).map((r) => r.slice(0, 3))).toEqual([
      ["target", "a", "b"],
      ["y", "kmer3", "gc"],
    ]);
    expect(readFileSync(files.html!, "utf8")).toContain("<code>rep.comparisons.tsv</code>");
    const pred = readFileSync(join(dir, "rep.predictions.tsv"), "utf8").trim().split("\n");
    expect(pred[0]).toBe("id\tfold\ty\ty:kmer3\ty:gc");
    expect(pred).toHaveLength(241);
    expect(new Set(pred.slice(1).map((r) => r.split("\t")[1]))).toEqual(new Set(["0", "1", "2", "3"]));
    const html = readFileSync(join(dir, "rep.html"), "utf8");
    expect((html.match(/<circle /g) ?? []).length).toBe(2 * 240);
    expect(readFileSync(join(dir, "rep.comparisons.tsv"), "utf8")).toMatch(/^y\tkmer3\tgc\t/m);
  });

  it("a non-numeric target names the rows and the fix, and writes nothing", () => {
    writeFileSync(
      join(dir, "bad.tsv"),
      syntheticTable(40, 1, (i): Record<string, string> => (i === 3 ? { y: "abc" } : i === 7 ? { y: "NA" } : {})),
    );
    const run = cli(readoutArgs(dir, "bad.tsv", "bad-out", "--folds", "3"));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.tsv: column "y" must be numeric, but 2 row\(s\) are not: line 5 \(id r3: "abc"\), line 9 \(id r7: "NA"\).*--drop-missing/);
    expect(existsSync(join(dir, "bad-out.html"))).toBe(false);
    const dropped = cli(readoutArgs(dir, "bad.tsv", "bad-out", "--folds", "3", "--drop-missing"));
    expect(dropped.code).toBe(1); // "abc" is not missing, it is wrong
    expect(dropped.stderr).toMatch(/1 row\(s\) are not: line 5 \(id r3: "abc"\)/);
  });

  it("too few records for the folds, and a group column that leaves a fold empty", () => {
    writeFileSync(
      join(dir, "small.tsv"),
      syntheticTable(12, 2, (i) => ({ family: `f${i % 3}` })),
    );
    const few = cli(readoutArgs(dir, "small.tsv", "small-out", "--folds", "10"));
    expect(few.code).toBe(1);
    expect(few.stderr).toMatch(/too few records for 10-fold cross-validation: 12 record\(s\), need at least 20/);
    const groups = cli(readoutArgs(dir, "small.tsv", "small-out", "--folds", "5", "--group", "family"));
    expect(groups.code).toBe(1);
    expect(groups.stderr).toMatch(/group column "family" has 3 distinct group\(s\), so 2 of 5 folds would be empty; lower --folds to at most 3/);
    expect(existsSync(join(dir, "small-out.html"))).toBe(false);
  });
});

describe.skipIf(!HAS_SHARED)("readout and sites with the fixture model (pipeline smoke, not a result)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let dir = "";
  const model = `${FIXTURE}model`;
  const proxies = ["--species-proxy", "candida_glabrata,saccharomyces_paradoxus"];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "specieslm-readout-model-"));
    writeFileSync(join(dir, "syn.tsv"), syntheticTable(48, 9));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("embeddings per species proxy become feature sets beside k-mers, in one report", () => {
    const fit = ["--folds", "3", "--bootstrap", "20", "--threads", "1", "--json"];
    const run = cli(readoutArgs(dir, "syn.tsv", "emb", "--features", "embed,kmer2", "--model", model, "--names", "tiny", ...proxies, ...fit));
    expect(run.code, run.stderr).toBe(0);
    const sets = (JSON.parse(run.stdout) as { targets: { sets: { name: string; features: number; metrics: { r2: number } }[] }[] }).targets[0]!.sets;
    expect(sets.map((s) => [s.name, s.features])).toEqual([
      ["embed[tiny@candida_glabrata]", 64],
      ["embed[tiny@saccharomyces_paradoxus]", 64],
      ["kmer2", 16],
    ]);
    const pred = readFileSync(join(dir, "emb.predictions.tsv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((r) => r.split("\t"));
    expect(
      pred.some((r) => r[3] !== r[4]),
      "the proxy changes the embeddings",
    ).toBe(true);
  });

  it("checks --species-proxy and --species against the model's species; notes say what the model was told", () => {
    // a misspelt proxy is refused even where every record's species is known and no proxy would be used (issue 27 #6)
    writeFileSync(join(dir, "known.tsv"), syntheticTable(24, 2).replaceAll("saccharomyces_cerevisiae", "candida_glabrata"));
    writeFileSync(join(dir, "known.fa"), `>k species=candida_glabrata\n${"ACGTTGCA".repeat(10)}\n`);
    const known = (out: string, ...more: string[]) =>
      readoutArgs(dir, "known.tsv", out, "--features", "embed", "--model", model, "--folds", "3", "--bootstrap", "20", "--threads", "1", "--json", ...more);
    const refusals: [string[], RegExp][] = [
      [known("bad-proxy", "--species-proxy", "no_such_species"), /unknown species "no_such_species" for --species-proxy \(model .*\); closest known: /],
      [
        ["embed", "--model", model, "-i", join(dir, "known.fa"), "-o", join(dir, "bad-proxy.tsv"), "--species-proxy", "candida_glabrat"],
        /unknown species "candida_glabrat" for --species-proxy .*closest known: candida_glabrata/,
      ],
      [
        ["evaluate", "--model", model, "-i", join(dir, "known.fa"), "-o", join(dir, "bad-proxy"), "--species-proxy", "no_such_species"],
        /unknown species "no_such_species" for --species-proxy/,
      ],
      [
        ["reconstruct", "--model", model, "-i", join(dir, "known.fa"), "-o", join(dir, "bad-proxy.tsv"), "--species", "candida_glabratta"],
        /unknown species "candida_glabratta" for --species .*closest known: candida_glabrata/,
      ],
    ];
    for (const [args, message] of refusals) {
      const r = cli(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    expect(existsSync(join(dir, "bad-proxy.html")) || existsSync(join(dir, "bad-proxy.tsv"))).toBe(false);
    const ok = cli(known("known-out", "--species-proxy", "saccharomyces_paradoxus"));
    expect(ok.code, ok.stderr).toBe(0);
    const notes = (JSON.parse(ok.stdout) as { notes: string[] }).notes.filter((n) => n.startsWith("embed["));
    expect(notes).toEqual([expect.stringMatching(/was told each record's own \(--species-proxy saccharomyces_paradoxus unused\)$/)]);
    const lacking = JSON.parse(readFileSync(join(dir, "emb.json"), "utf8")) as { notes: string[] };
    expect(lacking.notes).toContain(
      "embed[tiny@candida_glabrata]: mean of hidden states from layer default (2/3 down); species the model lacks (saccharomyces_cerevisiae) told as candida_glabrata",
    );
  });

  it("sequences the model cannot take: too long, or a species it lacks without a proxy", () => {
    writeFileSync(
      join(dir, "long.tsv"),
      syntheticTable(12, 3, (i): Record<string, string> => (i === 4 ? { sequence: "ACGT".repeat(150) } : {})),
    );
    const long = cli(readoutArgs(dir, "long.tsv", "long-out", "--features", "embed", "--model", model, "--folds", "3"));
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/long\.tsv: record "r4": sequence of 600 nt is longer than the model takes \(514 nt, 512 positions\); trim/);
    const unknown = cli(readoutArgs(dir, "syn.tsv", "unk", "--features", "embed", "--model", model, "--folds", "3"));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/syn\.tsv \(embedding with model\): unknown species "saccharomyces_cerevisiae".*--species-proxy/);
    expect(existsSync(join(dir, "unk.html"))).toBe(false);
  });

  it("sites: the LM's instance scores equal a full reconstruction at those bases; labels give AUROCs; proxies for a species the model lacks", async () => {
    const rng = mulberry32(4);
    const recs = Array.from({ length: 16 }, (_, i) => ({
      id: `s${i}`,
      species: "candida_glabrata",
      sequence: Array.from({ length: 80 }, () => "ACGT"[rng.int(4)]).join(""),
    }));
    writeFileSync(join(dir, "recs.tsv"), "id\tspecies\tsequence\n" + recs.map((r) => `${r.id}\t${r.species}\t${r.sequence}`).join("\n") + "\n");
    const sites = recs.map((r, i) => `${r.id}\tPuf\t${10 + i}\t${18 + i}\t${i % 2 ? "bound" : "unbound"}`);
    writeFileSync(join(dir, "sites.tsv"), "id\tfamily\tstart\tend\tlabel\n" + sites.join("\n") + "\n");
    await saveKmerModel(await KmerModel.fit(recs, { left: 1, right: 1 }), join(dir, "kmer"));
    // `sites` of a records table in dir at the sites above, scored by the fixture model named "tiny"
    const sitesArgs = (input: string, out: string, ...more: string[]) => [
      "sites",
      "-i",
      join(dir, input),
      "--sites",
      join(dir, "sites.tsv"),
      "--model",
      model,
      "--names",
      "tiny",
      ...more,
      "--threads",
      "1",
      "-o",
      join(dir, out),
    ];
    const run = cli([...sitesArgs("recs.tsv", "site-report", "--baseline", join(dir, "kmer")), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      positives: number;
      negatives: number;
      aurocs: { scorer: string; meanPRef: { auroc: number } }[];
    };
    expect([summary.positives, summary.negatives]).toEqual([8, 8]);
    expect(summary.aurocs.map((a) => a.scorer)).toEqual(["markov-1-1", "tiny"]);
    const rows = readFileSync(join(dir, "site-report.tsv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((r) => r.split("\t"));
    const lm = await MaskedLanguageModel.load(model, { threads: 1 });
    const full = await reconstruct(
      lm,
      recs.map((r) => ({ ...r })),
    );
    await lm.release();
    rows.forEach((row, i) => {
      const seq = recs[i]!.sequence;
      let s = 0;
      for (let p = 10 + i; p < 18 + i; p++) s += full[i]![p * 4 + "ACGT".indexOf(seq[p]!)]!;
      expect(Number(row[9]), row[0]).toBeCloseTo(s / 8, 4);
    });
    // a species the model lacks, told through two proxies: the candida_glabrata proxy reproduces the run above
    writeFileSync(join(dir, "recs2.tsv"), "id\tspecies\tsequence\n" + recs.map((r) => `${r.id}\tsaccharomyces_cerevisiae\t${r.sequence}`).join("\n") + "\n");
    const proxied = cli(sitesArgs("recs2.tsv", "site-proxy", ...proxies));
    expect(proxied.code, proxied.stderr).toBe(0);
    const prow = readFileSync(join(dir, "site-proxy.tsv"), "utf8")
      .trim()
      .split("\n")
      .map((r) => r.split("\t"));
    expect(prow[0]!.slice(7)).toEqual([
      "tiny@candida_glabrata:mean_p_ref",
      "tiny@candida_glabrata:contribution",
      "tiny@saccharomyces_paradoxus:mean_p_ref",
      "tiny@saccharomyces_paradoxus:contribution",
    ]);
    prow.slice(1).forEach((r, i) => expect(r[7]).toBe(rows[i]![9]));
    expect(
      prow.slice(1).some((r) => r[7] !== r[9]),
      "the proxy changes the reconstruction",
    ).toBe(true);
  });
});
