import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluatePredictors } from "../src/analysis/index.js";
import { lmPredictor } from "../src/infer/lm-predictor.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { FIXTURE, HAS_SHARED } from "./helpers/shared.js";

interface Case { name: string; sequence: string; species: string | null }

describe.skipIf(!HAS_SHARED)("evaluating a masked LM like a baseline", () => {
  let model: MaskedLanguageModel;
  let cases: Case[];
  let expected: Map<string, { data: unknown }>;
  let dir = "";
  beforeAll(async () => {
    model = await MaskedLanguageModel.load(`${FIXTURE}model`, { threads: 1 });
    cases = (JSON.parse(readFileSync(`${FIXTURE}cases.json`, "utf8")) as { cases: Case[] }).cases.filter((c) => c.name === "case0" || c.name === "case1");
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
    let right = 0, ce = 0, n = 0;
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

  it("refuses to compare models with different vocabularies", () => {
    const other = join(dir, "other");
    execFileSync("cp", ["-r", `${FIXTURE}model`, other]);
    execFileSync("chmod", ["-R", "u+w", other]);
    const vocab = readFileSync(join(other, "vocab.txt"), "utf8").trim().split("\n");
    [vocab[vocab.length - 1], vocab[vocab.length - 2]] = [vocab[vocab.length - 2]!, vocab[vocab.length - 1]!];
    writeFileSync(join(other, "vocab.txt"), vocab.join("\n") + "\n");
    const fa = join(dir, "in.fa");
    writeFileSync(fa, `>s1 species=candida_glabrata\n${cases[0]!.sequence}\n`);
    expect(existsSync("dist/cli/main.js")).toBe(true);
    let err = "";
    try {
      execFileSync(process.execPath, ["dist/cli/main.js", "evaluate", "--model", `${FIXTURE}model,${other}`, "--input", fa], { stdio: "pipe" });
    } catch (e) {
      err = String((e as { stderr: Buffer }).stderr);
    }
    expect(err).toMatch(/different vocabulary/);
  });
});
