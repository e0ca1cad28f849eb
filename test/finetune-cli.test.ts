import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSafetensors } from "../src/model/safetensors.js";
import { mulberry32 } from "../src/rng.js";
import { cliAsync } from "./helpers/cli.js";

/** The built CLI in a child process, without blocking the worker (fine-tunings run for tens of seconds). */
const cli = (args: readonly string[]) => cliAsync(args, {}, 300_000);
import { writeRandomModel } from "./helpers/random-model.js";

/** Sequences whose GC content varies from 15% to 85%: a target a single-nucleotide model's mean-pooled state can carry. */
function gcTable(n: number, seed: number): string {
  const rng = mulberry32(seed);
  const rows = Array.from({ length: n }, (_, i) => {
    const p = 0.15 + 0.7 * rng.next();
    const s = Array.from({ length: 50 }, () => (rng.next() < p ? "GC" : "AT")[rng.int(2)]).join("");
    const gc = [...s].filter((b) => b === "G" || b === "C").length / s.length;
    return `s${i}\t${i % 2 ? "alpha" : "beta"}\t${s}\t${gc.toFixed(4)}\t${gc > 0.5 ? 1 : 0}\tf${i % 40}`;
  });
  return ["id\tspecies\tsequence\tgc\thigh_gc\tfamily", ...rows].join("\n") + "\n";
}

const tsvRows = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split("\t"));
const validLosses = (run: string) =>
  readFileSync(join(run, "train_log.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { kind: string; loss: number; step: number })
    .filter((e) => e.kind === "valid");

describe("finetune and predict commands (random single-nucleotide model, GC content)", () => {
  let dir = "";
  let model = "";
  const common = (run: string, extra: string[] = []) => [
    "finetune",
    "--model",
    model,
    "-i",
    join(dir, "gc.tsv"),
    "--group",
    "family",
    "--threads",
    "1",
    "--dropout",
    "0",
    "--valid-fraction",
    "0.2",
    "--batch-size",
    "16",
    "--seed",
    "3",
    "-o",
    run,
    ...extra,
  ];
  beforeAll(async () => {
    expect(existsSync("dist/cli/main.js"), "run `npm run build` first").toBe(true);
    dir = mkdtempSync(join(tmpdir(), "specieslm-finetune-"));
    model = join(dir, "model");
    await writeRandomModel(model, { k: 1, species: ["alpha", "beta"], positions: 64 });
    writeFileSync(join(dir, "gc.tsv"), gcTable(160, 9));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("regression: validation loss falls, frozen layers stay, predict reproduces the in-training predictions", async () => {
    const run = join(dir, "reg");
    const r = await cli([...common(run, ["--target", "gc", "--layers", "1", "--epochs", "12", "--lr", "0.003", "--patience", "20"]), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { bestStep: number; bestValidLoss: number; valid: number; train: number };
    expect(summary.valid + summary.train).toBe(160);
    const v = validLosses(run);
    expect(v[0]!.step).toBe(0);
    expect(summary.bestValidLoss).toBeLessThan(0.5 * v[0]!.loss);
    // Layer 0 is frozen: bit for bit the pretrained weights; layer 1 trained.
    const before = (await readSafetensors(join(model, "model.safetensors"))).tensors;
    const after = (await readSafetensors(join(run, "best", "model.safetensors"))).tensors;
    const bytes = (t: { data: unknown }) => {
      const a = t.data as Float32Array;
      return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    };
    const same = (n: string) => bytes(before.get(n)!).equals(bytes(after.get(n)!));
    expect(same("bert.encoder.layer.0.attention.self.query.weight")).toBe(true);
    expect(same("bert.embeddings.word_embeddings.weight")).toBe(true);
    expect(same("bert.encoder.layer.1.attention.self.query.weight")).toBe(false);
    // predict on the validation records gives the predictions logged during training
    const valid = new Map(tsvRows(join(run, "valid_predictions.tsv")).map(([id, , p]) => [id!, Number(p)]));
    const table = readFileSync(join(dir, "gc.tsv"), "utf8").trim().split("\n");
    writeFileSync(
      join(dir, "valid.fa"),
      table
        .slice(1)
        .map((l) => l.split("\t"))
        .filter(([id]) => valid.has(id!))
        .map(([id, sp, s]) => `>${id} species=${sp}\n${s}\n`)
        .join(""),
    );
    const p = await cli(["predict", "--model", run, "-i", join(dir, "valid.fa"), "-o", join(dir, "preds.tsv")]);
    expect(p.code, p.stderr).toBe(0);
    const preds = tsvRows(join(dir, "preds.tsv"));
    expect(preds.length).toBe(valid.size);
    for (const [id, x] of preds) expect(Math.abs(Number(x) - valid.get(id!)!), id).toBeLessThan(1e-5);
    // and the predictions track the target
    const pearson = (a: number[], b: number[]) => {
      const ma = a.reduce((s, x) => s + x, 0) / a.length,
        mb = b.reduce((s, x) => s + x, 0) / b.length;
      let sab = 0,
        saa = 0,
        sbb = 0;
      a.forEach((x, i) => {
        sab += (x - ma) * (b[i]! - mb);
        saa += (x - ma) ** 2;
        sbb += (b[i]! - mb) ** 2;
      });
      return sab / Math.sqrt(saa * sbb);
    };
    const rows = tsvRows(join(run, "valid_predictions.tsv"));
    expect(
      pearson(
        rows.map((x) => Number(x[1])),
        rows.map((x) => Number(x[2])),
      ),
    ).toBeGreaterThan(0.8);
  }, 120_000);

  it("a 0/1 target is fitted by BCE and predicted as a probability; a second run into the same folder, or a resume with other options, is refused", async () => {
    const args = (run: string, epochs: string) => [
      ...common(run, ["--target", "high_gc", "--layers", "0", "--epochs", epochs, "--lr", "0.01", "--patience", "50"]),
    ];
    const full = join(dir, "cls-full");
    expect((await cli(args(full, "4"))).code).toBe(0);
    const meta = JSON.parse(readFileSync(join(full, "best", "finetune.json"), "utf8")) as { task: string };
    expect(meta.task).toBe("classification");
    const probs = tsvRows(join(full, "valid_predictions.tsv")).map((r) => Number(r[2]));
    expect(probs.every((x) => x > 0 && x < 1)).toBe(true);
    const part = join(dir, "cls-part");
    expect((await cli(args(part, "2"))).code).toBe(0);
    const refused = await cli(args(part, "4"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds a checkpoint; pass --resume/);
    const resumed = await cli([...args(part, "4"), "--resume"]);
    expect(resumed.code).toBe(1); // the epochs are part of the run key: a different run is refused, checkpoint untouched
    expect(resumed.stderr).toMatch(/run options differ \(epochs: checkpoint 2, now 4\)/);
  }, 120_000);

  it("--folds: the outer folds of `readout --group` (GroupKFold), out-of-fold predictions that track the target, CPU seconds per fold", async () => {
    const cvRun = join(dir, "cv");
    const r = await cli([
      ...common(cvRun, ["--target", "gc", "--layers", "1", "--epochs", "8", "--lr", "0.003", "--folds", "3", "--bootstrap", "50"]),
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { foldKind: string; metrics: { pearson: number; r2: number }; cpuSeconds: number[]; foldR2: number[] };
    expect(s.foldKind).toBe("GroupKFold");
    expect(s.cpuSeconds.length).toBe(3);
    expect(s.cpuSeconds.every((x) => x > 0)).toBe(true);
    expect(s.metrics.pearson).toBeGreaterThan(0.6);
    // readout of the same table with the fine-tuning's folds (GroupKFold on family)
    const readout = (folds: string, features: string, out: string, extra: string[] = []) =>
      cli([
        "readout",
        "-i",
        join(dir, "gc.tsv"),
        "--target",
        "gc",
        "--group",
        "family",
        "--folds",
        folds,
        "--features",
        features,
        "-o",
        join(dir, out),
        ...extra,
      ]);
    const ro = await readout("3", `gc,finetune:${cvRun}`, "ro", ["--bootstrap", "50", "--json"]);
    expect(ro.code, ro.stderr).toBe(0);
    const folds = (path: string) => tsvRows(path).map((x) => `${x[0]}:${x[1]}`);
    expect(folds(join(cvRun, "cv.predictions.tsv"))).toEqual(folds(join(dir, "ro.predictions.tsv")));
    // finetune:RUN puts the fine-tuning's out-of-fold predictions beside the ridge readout, paired on the same records
    const report = JSON.parse(ro.stdout) as { targets: { sets: { name: string; metrics: { r2: number } }[]; comparisons: { a: string; b: string }[] }[] };
    const sets = report.targets[0]!.sets;
    expect(sets.map((x) => x.name)).toEqual(["gc", "finetune[cv]"]);
    expect(sets[1]!.metrics.r2).toBeCloseTo(s.metrics.r2, 6);
    expect(report.targets[0]!.comparisons.map((c) => `${c.a} vs ${c.b}`)).toEqual(["gc vs finetune[cv]"]);
    const other = await readout("4", `finetune:${cvRun}`, "ro4");
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/was cross-validated on other folds than this readout's; give the same --folds, --seed and --group/);
    expect(existsSync(join(dir, "ro4.html"))).toBe(false);
  }, 180_000);

  it("errors: non-numeric target, too few records, a species the model lacks: one line, exit 1, no run folder", async () => {
    const bad = join(dir, "bad.tsv");
    writeFileSync(bad, "id\tspecies\tsequence\ty\na\talpha\tACGTACGT\t1.5\nb\talpha\tACGTTT\thigh\n");
    const cases: [string, string[], RegExp][] = [
      ["nonnum", ["-i", bad, "--target", "y"], /column "y" must be numeric.*line 3 \(id b: "high"\)/],
      ["few", ["-i", join(dir, "one.tsv"), "--target", "y"], /1 group\(s\); a validation split needs at least 2/],
      ["species", ["-i", join(dir, "sp.tsv"), "--target", "y"], /sp\.tsv: unknown species "gamma".*closest known/],
      ["layers", ["-i", join(dir, "gc.tsv"), "--target", "gc", "--layers", "3"], /--layers must be an integer in \[0, 2\]/],
    ];
    writeFileSync(join(dir, "one.tsv"), "id\tspecies\tsequence\ty\na\talpha\tACGTACGT\t1.5\n");
    writeFileSync(join(dir, "sp.tsv"), "id\tspecies\tsequence\ty\na\talpha\tACGTACGT\t1.5\nb\tgamma\tACGTTT\t2\nc\talpha\tACGTTTA\t2\n");
    for (const [name, args, msg] of cases) {
      const out = join(dir, `err-${name}`);
      const r = await cli(["finetune", "--model", model, ...args, "-o", out]);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toMatch(msg);
      expect(r.stderr.trim().split("\n").length, name).toBe(1);
      expect(existsSync(out), name).toBe(false);
    }
    writeFileSync(join(dir, "one.fa"), ">a species=alpha\nACGTACGT\n");
    const p = await cli(["predict", "--model", join(dir, "model"), "-i", join(dir, "one.fa"), "-o", join(dir, "nope.tsv")]);
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(/is not a fine-tuning run/);
    expect(readdirSync(dir).includes("nope.tsv")).toBe(false);
  });
});
