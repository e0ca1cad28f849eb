import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSimulatedGenome } from "./helpers/genomes.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";

const SNAKEMAKE = "/usr/bin/snakemake";
const CLI = resolve("dist/cli/main.js");
const SNAKEFILE = resolve("workflow/Snakefile");
const READY = existsSync(SNAKEMAKE) && HAS_SHARED && existsSync(CLI);
const WHY_SKIPPED = !existsSync(SNAKEMAKE)
  ? `${SNAKEMAKE} is absent (apt-get install snakemake; .ci/run does): workflow test skipped`
  : !HAS_SHARED
    ? SKIP_REASON
    : "run `npm run build` first: workflow test skipped";

/** Species the tiny fixture model knows, so the workflow needs no training. */
const SPECIES = ["candida_glabrata", "saccharomyces_paradoxus", "kluyveromyces_lactis"];
const SHARDS = 3;

/** Runs a command without blocking the test worker (a minute-long sync spawn starves vitest's RPC). */
async function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
    return { code: 0, out: `${stdout}\n${stderr}` };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, out: `${err.stdout ?? ""}\n${err.stderr ?? ""}` };
  }
}

function snakemake(dir: string, args: string[], configFile = "config/config.yaml"): Promise<{ code: number; out: string }> {
  return run(SNAKEMAKE, ["-s", SNAKEFILE, "--directory", dir, "--configfile", join(dir, configFile), ...args]);
}

function config(genomes: string): string {
  return (
    [
      `genomes: ${genomes}`,
      "results: results",
      `specieslm: "${process.execPath} ${CLI}"`,
      "container: docker://specieslm:test",
      "region: three_prime",
      'length: ""',
      "seed: 42",
      'split: "0.6,0.2,0.2"',
      `model: ${FIXTURE}model`,
      "train: {enabled: false, conditioning: token, config: tiny, steps: 1, batch_size: 4, threads: 1, mem_mb: 1000, runtime: 10, extra: ''}",
      `infer: {split: train, shards: ${SHARDS}, reconstruct: true, embed: true, spans_per_pass: 16, batch_size: 64, chunk_size: 16, device: cpu, threads: 1, mem_mb: 1000, runtime: 10, extra: ''}`,
    ].join("\n") + "\n"
  );
}

describe.skipIf(!READY)("Snakemake workflow on three generated genomes", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "specieslm-workflow-"));
    mkdirSync(join(dir, "data"));
    mkdirSync(join(dir, "config"));
    SPECIES.forEach((s, i) => writeSimulatedGenome(join(dir, "data"), s, 11 + i, { gc: 0.35 + 0.1 * i, genesPerContig: 5 }));
    writeFileSync(
      join(dir, "config/genomes.tsv"),
      "species\tgenome\tannotation\n" + SPECIES.map((s) => `${s}\tdata/${s}.fa\tdata/${s}.gff3`).join("\n") + "\n",
    );
    writeFileSync(join(dir, "config/config.yaml"), config("config/genomes.tsv"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lints clean and plans every step (snakemake --lint, -n)", async () => {
    const lint = await snakemake(dir, ["--lint"]);
    expect(lint.code, lint.out).toBe(0);
    expect(lint.out).toMatch(/Congratulations, your workflow is in a good condition/);
    const plan = await snakemake(dir, ["-n", "--quiet"]);
    expect(plan.code, plan.out).toBe(0);
    for (const [rule, n] of [
      ["extract", 3],
      ["corpus_part", 3],
      ["corpus_merge", 1],
      ["reconstruct_shard", SHARDS],
      ["embed_shard", SHARDS],
      ["gather", 2],
    ] as const) {
      expect(plan.out, rule).toMatch(new RegExp(`\\b${rule}\\s+${n}\\b`));
    }
    expect(plan.out).not.toMatch(/\btrain\s+1\b/);
    // with training on, the shards wait for the trained checkpoint instead of the given model
    writeFileSync(join(dir, "config/train.yaml"), config("config/genomes.tsv").replace("train: {enabled: false", "train: {enabled: true"));
    const trained = await snakemake(dir, ["-n", "--quiet"], "config/train.yaml");
    expect(trained.code, trained.out).toBe(0);
    expect(trained.out).toMatch(/\btrain\s+1\b/);
  });

  it("snakemake --cores 2 gives the outputs of the same steps run by hand, unsharded", async () => {
    const flow = await snakemake(dir, ["--cores", "2", "--quiet"]);
    expect(flow.code, flow.out).toBe(0);
    const R = join(dir, "results");
    expect(existsSync(join(R, "logs/reconstruct/train.0-of-3.log"))).toBe(true);

    const H = join(dir, "by-hand");
    const cli = async (...args: string[]) => {
      const r = await run(process.execPath, [CLI, ...args]);
      expect(r.code, r.out).toBe(0);
    };
    mkdirSync(join(H, "corpus-parts"), { recursive: true });
    for (const s of SPECIES)
      await cli(
        "extract",
        "--genome",
        join(dir, "data", `${s}.fa`),
        "--annotation",
        join(dir, "data", `${s}.gff3`),
        "--species",
        s,
        "--region",
        "three_prime",
        "-o",
        join(H, "regions", `${s}.fa`),
      );
    writeFileSync(join(H, "corpus-parts/manifest.tsv"), "species\tfasta\n" + SPECIES.map((s) => `${s}\t../regions/${s}.fa\n`).join(""));
    await cli("corpus", "build", "--manifest", join(H, "corpus-parts/manifest.tsv"), "--seed", "42", "--split", "0.6,0.2,0.2", "-o", join(H, "corpus"));
    await cli(
      "reconstruct",
      "--model",
      `${FIXTURE}model`,
      "-i",
      join(H, "corpus/train.tsv"),
      "--spans-per-pass",
      "16",
      "--threads",
      "1",
      "-o",
      join(H, "reconstruct.tsv"),
    );
    await cli("embed", "--model", `${FIXTURE}model`, "-i", join(H, "corpus/train.tsv"), "--threads", "1", "-o", join(H, "embed.tsv"));

    const same = (a: string, b: string) => expect(readFileSync(a).equals(readFileSync(b)), `${a} vs ${b}`).toBe(true);
    for (const s of SPECIES) same(join(R, "regions", `${s}.fa`), join(H, "regions", `${s}.fa`));
    for (const f of ["corpus.json", "train.tsv", "valid.tsv", "test.tsv"]) same(join(R, "corpus", f), join(H, "corpus", f));
    same(join(R, "reconstruct/train.tsv"), join(H, "reconstruct.tsv"));
    same(join(R, "embed/train.tsv"), join(H, "embed.tsv"));
    // the data is not trivial: every species is in the corpus, with records in the reconstructed split
    const corpus = JSON.parse(readFileSync(join(R, "corpus/corpus.json"), "utf8")) as {
      species: { name: string; counts: { train: number } }[];
    };
    expect(corpus.species.map((s) => s.name).sort()).toEqual([...SPECIES].sort());
    expect(corpus.species.every((s) => s.counts.train > 0)).toBe(true);
    // nothing left to do, and the temporary shard outputs are gone
    expect((await snakemake(dir, ["-n"])).out).toMatch(/Nothing to be done/);
    expect(existsSync(join(R, "reconstruct/shards/train.0-of-3.tsv"))).toBe(false);
  }, 300_000); // ~25 s of CPU, 16 jobs each starting node; longer on a shared machine

  it("a genomes table with a missing file and a duplicate species stops before any job, naming both", async () => {
    const bad = join(dir, "config/bad.tsv");
    writeFileSync(
      bad,
      `species\tgenome\tannotation\n${SPECIES[0]}\tdata/${SPECIES[0]}.fa\tdata/${SPECIES[0]}.gff3\n${SPECIES[0]}\tdata/${SPECIES[1]}.fa\tdata/${SPECIES[1]}.gff3\n${SPECIES[2]}\tdata/missing.fa\tdata/${SPECIES[2]}.gff3\n`,
    );
    writeFileSync(join(dir, "config/bad.yaml"), config("config/bad.tsv").replace("results: results", "results: bad-results"));
    const { code, out } = await snakemake(dir, ["--cores", "2"], "config/bad.yaml");
    expect(code).not.toBe(0);
    expect(out).toMatch(/bad\.tsv has 2 problem\(s\); nothing was run/);
    expect(out).toMatch(/bad\.tsv:3: duplicate species "candida_glabrata" \(first on line 2\)/);
    expect(out).toMatch(/bad\.tsv:4: genome file not found for species "kluyveromyces_lactis": data\/missing\.fa/);
    expect(existsSync(join(dir, "bad-results"))).toBe(false);
  });
});

if (!READY) describe.skip(WHY_SKIPPED, () => {});
