import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluatePredictors } from "../src/analysis/index.js";
import { lmPredictor } from "../src/infer/lm-predictor.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { initWeights } from "../src/model/init-weights.js";
import { saveModelFolder } from "../src/model/model-folder.js";
import { presetConfig } from "../src/model/presets.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { buildVocab } from "../src/tokenizer/build-vocab.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { FIXTURE, HAS_SHARED, fixtureCases, type FixtureCase } from "./helpers/shared.js";
import { expectOneTable } from "./helpers/tsv.js";

describe.skipIf(!HAS_SHARED)("evaluating a masked LM like a baseline", () => {
  let model: MaskedLanguageModel;
  let cases: FixtureCase[];
  let expected: Map<string, { data: unknown }>;
  let dir = "";
  beforeAll(async () => {
    model = await MaskedLanguageModel.load(`${FIXTURE}model`, { threads: 1 });
    cases = fixtureCases(/^case[01]$/);
    expected = (await readSafetensors(`${FIXTURE}expected.safetensors`)).tensors;
    dir = mkdtempSync(join(tmpdir(), "specieslm-eval-"));
  });
  afterAll(async () => {
    await model.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it("scores the fixture's reference reconstructions: accuracy and cross-entropy recomputed by hand", async () => {
    const records = cases.map((c) => ({ id: c.name, species: c.species!, sequence: c.sequence }));
    const report = await evaluatePredictors({ predictors: [lmPredictor(model, { name: "tiny" })], records });
    let right = 0,
      ce = 0,
      n = 0;
    for (const c of cases) {
      const p = expected.get(`${c.name}.reconstruction`)!.data as Float32Array;
      [...c.sequence].forEach((base, i) => {
        const t = "ACGT".indexOf(base);
        const row = [0, 1, 2, 3].map((j) => p[i * 4 + j]!);
        if (row.indexOf(Math.max(...row)) === t) right++;
        ce -= Math.log(row[t]!);
        n++;
      });
    }
    const m = report.models[0]!;
    expect(m.pooled.n).toBe(n);
    expect(m.pooled.accuracy).toBeCloseTo(right / n, 6);
    expect(m.pooled.crossEntropy).toBeCloseTo(ce / n, 4);
  });

  it("refuses to compare models that know different species", () => {
    const other = join(dir, "other");
    execFileSync("cp", ["-r", `${FIXTURE}model`, other]);
    execFileSync("chmod", ["-R", "u+w", other]);
    for (const f of ["vocab.txt", "special_tokens_map.json", "tokenizer_config.json"]) {
      writeFileSync(join(other, f), readFileSync(join(other, f), "utf8").replace("candida_albicans", "candida_dubliniensis"));
    }
    const fa = join(dir, "in.fa");
    writeFileSync(fa, `>s1 species=candida_glabrata\n${cases[0]!.sequence}\n`);
    expect(existsSync("dist/cli/main.js")).toBe(true);
    let err = "";
    try {
      execFileSync(process.execPath, ["dist/cli/main.js", "evaluate", "--model", `${FIXTURE}model,${other}`, "--input", fa], {
        stdio: "pipe",
      });
    } catch (e) {
      err = String((e as { stderr: Buffer }).stderr);
    }
    expect(err).toMatch(/knows other species than/);
  });

  it("compares a single-nucleotide (k = 1) model with the 6-mer one on the same nucleotides", async () => {
    const species = model.tokenizer.vocab.speciesNames;
    const vocab = buildVocab({ k: 1, species });
    const config = presetConfig("tiny", { vocabSize: vocab.size, kmerSize: 1, species });
    const k1 = join(dir, "k1");
    await saveModelFolder(k1, { config, vocab, weights: initWeights(config, 4, { embeddings: "structured", kmerIds: vocab.kmerIds }) });
    const fa = join(dir, "both.fa");
    const seqs = [cases[1]!.sequence.slice(0, 60), cases[1]!.sequence.slice(60)];
    writeFileSync(fa, seqs.map((q, i) => `>s${i} species=candida_glabrata\n${q}\n`).join(""));
    const out = JSON.parse(
      execFileSync(
        process.execPath,
        [
          "dist/cli/main.js",
          "evaluate",
          "--model",
          `${FIXTURE}model,${k1}`,
          "--names",
          "k6,k1",
          "--threads",
          "1",
          "--input",
          fa,
          "--json",
          "-o",
          join(dir, "cmp"),
        ],
        { encoding: "utf8" },
      ),
    ) as { nucleotides: number; models: { name: string; pooled: { n: number; crossEntropy: number } }[]; files: Record<string, string> };
    // one table per TSV (issue 27 #5): the comparison has its own file, named in the summary and the report
    expect(out.files.comparisons).toBe(join(dir, "cmp.comparisons.tsv"));
    expect(expectOneTable(out.files.tsv!)[0]![0]).toBe("section");
    expect(expectOneTable(out.files.comparisons!).map((r) => r.slice(0, 2))).toEqual([
      ["a", "b"],
      ["k6", "k1"],
    ]);
    expect(readFileSync(out.files.html!, "utf8")).toContain("<code>cmp.comparisons.tsv</code>");
    const n = seqs[0]!.length + seqs[1]!.length;
    expect(out.models.map((m) => [m.name, m.pooled.n])).toEqual([
      ["k6", n],
      ["k1", n],
    ]);
    const k1Model = await MaskedLanguageModel.load(k1, { threads: 1 });
    const probs = await reconstruct(
      k1Model,
      seqs.map((q, i) => ({ id: `s${i}`, sequence: q, species: "candida_glabrata" })),
    );
    await k1Model.release();
    let ce = 0;
    seqs.forEach((q, r) => [...q].forEach((b, i) => (ce -= Math.log(probs[r]![i * 4 + "ACGT".indexOf(b)]!))));
    expect(out.models[1]!.pooled.crossEntropy).toBeCloseTo(ce / n, 4);
  });
});
