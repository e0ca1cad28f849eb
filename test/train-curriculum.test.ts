import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModelFolder } from "../src/model/model-folder.js";
import { mulberry32 } from "../src/rng.js";
import { KMER_CURRICULUM, parseCurriculum, placeStages, readCurriculum } from "../src/train/curriculum.js";
import { type TrainOptions, train } from "../src/train/trainer.js";
import { once } from "./helpers/once.js";
import { cli, tinyTrainArgs } from "./helpers/cli.js";
import { makeToyCorpus, stepLosses, stopAt, toyTrainOptions } from "./helpers/toy-corpus.js";

/** Two species of uniform random bases (nothing species-specific to learn), 40 of 48 nt each. */
function writeUniformTable(path: string): void {
  const rng = mulberry32(7);
  const lines = ["species\tid\tsequence"];
  for (const sp of ["alpha", "beta"]) {
    for (let i = 0; i < 40; i++) lines.push(`${sp}\t${sp}_${i}\t${Array.from({ length: 48 }, () => "ACGT"[rng.int(4)]).join("")}`);
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

type Entry = { kind: string; step: number; loss: number; lr: number; name?: string };
const readLog = (dir: string) =>
  readFileSync(join(dir, "train_log.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Entry);

describe("training curriculum (schedule as data)", () => {
  it("places stages by share, with warmups as a share of each stage, and at least a step per stage", () => {
    const p = placeStages(KMER_CURRICULUM, 100);
    expect(p.map((s) => [s.start, s.end, s.warmupSteps])).toEqual([
      [0, 70, 4],
      [70, 100, 2],
    ]);
    expect(placeStages(KMER_CURRICULUM, 2).map((s) => [s.start, s.end])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(() => placeStages(KMER_CURRICULUM, 1)).toThrow(/fewer than the 2 stages/);
  });

  it("parses a schedule file and names what is wrong with a bad one", async () => {
    const ok = parseCurriculum(
      {
        stages: [
          { name: "a", share: 0.5, lrScale: 1, maskStride: 13 },
          { name: "b", share: 0.5, lrScale: 0.2, maskStride: [13, 1000], maskReplace: "mask", edges: 0.5 },
        ],
      },
      "s.json",
    );
    expect(ok.stages[1]).toEqual({
      name: "b",
      share: 0.5,
      lrScale: 0.2,
      warmup: 0.05,
      decay: "linear",
      maskStride: [13, 1000],
      maskReplace: "mask",
      edges: 0.5,
    });
    expect(ok.stages[0]!.edges).toBe(0);
    const bad = (json: unknown) => () => parseCurriculum(json, "s.json");
    expect(bad({ stages: [{ name: "a", share: 1, lrScale: 1, maskstride: 13 }] })).toThrow(/s\.json: stage 1 has unknown field "maskstride"/);
    expect(
      bad({
        stages: [
          { name: "a", share: 0.6, lrScale: 1 },
          { name: "b", share: 0.6, lrScale: 1 },
        ],
      }),
    ).toThrow(/shares sum to 1\.2000/);
    expect(bad({ stages: [{ name: "a", share: 1, lrScale: 1, decay: "step" }] })).toThrow(/stage 1\.decay must be linear \| cosine \| constant/);
    expect(bad({ stages: [{ name: "a", share: 1, lrScale: 1, maskStride: "13" }] })).toThrow(/stage 1\.maskStride/);
    expect(bad({ stages: [] })).toThrow(/no stages/);
    expect(bad({ stages: [{ name: "a", share: 1, lrScale: 1 }], lr: 3 })).toThrow(/unknown field "lr" at the top level/);
    const dir = mkdtempSync(join(tmpdir(), "specieslm-sched-"));
    writeFileSync(join(dir, "broken.json"), "{ stages: [");
    await expect(readCurriculum(join(dir, "broken.json"))).rejects.toThrow(/broken\.json: not valid JSON/);
    rmSync(dir, { recursive: true, force: true });
  });

  describe("a run over the default curriculum", () => {
    let root = "";
    let corpus = "";
    const base = (out: string, over: Partial<TrainOptions> = {}): TrainOptions =>
      toyTrainOptions(corpus, out, { conditioning: "embedding", steps: 10, warmup: 0, validEvery: 5, schedule: KMER_CURRICULUM, k: 6, ...over });
    beforeAll(async () => {
      ({ root, corpus } = await makeToyCorpus("specieslm-curriculum-", writeUniformTable));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    // The uninterrupted run: checked stage by stage, and the losses a resumed run must repeat.
    const wholeRun = once(() => train(base(join(root, "run"))));

    it("runs its stages in one log, with each stage's learning rate, a checkpoint per stage and minimal edge masks", async () => {
      const out = join(root, "run");
      const res = await wholeRun();
      expect(res.steps).toBe(10);
      const log = readLog(out);
      expect(log.filter((e) => e.kind === "stage").map((e) => [e.step, e.name])).toEqual([
        [0, "strided"],
        [7, "all-mask"],
      ]);
      const steps = log.filter((e) => e.kind === "step");
      expect(steps).toHaveLength(10);
      // Stage 1: 7 steps, warmup round(0.35) = 0, linear decay from 2e-3; stage 2: 3 steps from 1e-3.
      expect(steps[0]!.lr).toBeCloseTo(2e-3, 9);
      expect(steps[7]!.lr).toBeCloseTo(1e-3, 9);
      expect(steps[9]!.lr).toBeLessThan(steps[8]!.lr);
      expect(existsSync(join(out, "stage-1-strided", "model.safetensors"))).toBe(true);
      const folder = await loadModelFolder(out); // a run folder stands for its last checkpoint
      expect(folder.config.edgeMasks).toBe("minimal");
      expect(folder.dir).toBe(join(out, "checkpoint"));
    });

    it("a stage that keeps the AdamW state and continues the decay trains exactly as one stage would; a fresh state does not", async () => {
      const one = { name: "s", share: 0.7, lrScale: 1, warmup: 0, decay: "linear", maskStride: 13, maskReplace: "bert", edges: 0 } as const;
      const two = (optimizer: "keep" | "fresh") => ({
        stages: [
          { ...one, lrEnd: 0.3 },
          { ...one, share: 0.3, lrScale: 0.3, optimizer },
        ],
      });
      await train(base(join(root, "single"), { schedule: undefined, maskStride: 13, maskReplace: "bert" }));
      await train(base(join(root, "keep"), { schedule: two("keep") }));
      await train(base(join(root, "fresh"), { schedule: two("fresh") }));
      const steps = (run: string) => readLog(join(root, run)).filter((e) => e.kind === "step");
      const [single, keep, fresh] = [steps("single"), steps("keep"), steps("fresh")];
      expect(keep).toHaveLength(10);
      keep.forEach((e, i) => {
        expect(e.lr).toBeCloseTo(single[i]!.lr, 9);
        expect(e.loss).toBeCloseTo(single[i]!.loss, 5);
      });
      expect(fresh[6]!.loss).toBeCloseTo(single[6]!.loss, 5);
      expect(Math.abs(fresh[8]!.loss - single[8]!.loss)).toBeGreaterThan(1e-4);
      expect(() => parseCurriculum({ stages: [{ ...one, share: 1, optimizer: "keep" }] }, "k.json")).toThrow(
        /stage 1\.optimizer is "keep", but there is no earlier stage/,
      );
      expect(() => parseCurriculum(two("fresh"), "k.json")).not.toThrow();
      expect(() => parseCurriculum({ stages: [{ ...one, share: 1, optimizer: "reuse" }] }, "k.json")).toThrow(/stage 1\.optimizer must be fresh \| keep/);
    });

    it("resumes across a stage boundary to the same losses, and refuses another schedule naming the field", async () => {
      const split = join(root, "split");
      await train(base(split, stopAt(5)));
      const other = { stages: KMER_CURRICULUM.stages.map((s, i) => (i === 1 ? { ...s, lrScale: 0.25 } : s)) };
      await expect(train({ ...base(split), schedule: other, resume: true })).rejects.toThrow(/run options differ.*stage2\.lrScale: checkpoint 0\.5, now 0\.25/);
      await expect(train({ ...base(split), schedule: undefined, resume: true })).rejects.toThrow(/run options differ/);
      await train({ ...base(split), resume: true });
      await wholeRun();
      const a = stepLosses(join(root, "run"));
      const b = stepLosses(split);
      expect(b).toHaveLength(10);
      b.forEach((x, i) => expect(x).toBeCloseTo(a[i]!, 5));
    });

    it("on the command line: the default recipe with no flags, a clamped warmup with a note, and a clear error for a bad schedule", () => {
      // Short runs with no validation split.
      const quick = (run: string, steps = 2) => [...tinyTrainArgs(corpus, join(root, run), steps), "--valid-per-species", "0"];
      let r = cli([...quick("cli-default"), "--json"]);
      expect(r.code).toBe(0);
      expect(readLog(join(root, "cli-default")).filter((e) => e.kind === "stage")).toHaveLength(2);
      // A new model is single-nucleotide by default; a 6-mer run resumed without --k stays 6-mer (and keeps its recipe).
      const kOf = (run: string) =>
        (JSON.parse(readFileSync(join(root, run, "checkpoint", "config.json"), "utf8")) as { specieslm_kmer_size?: number }).specieslm_kmer_size;
      expect(kOf("cli-default")).toBe(1);
      const six = [...quick("cli-six"), "--json"];
      expect(cli([...six, "--k", "6"]).code).toBe(0);
      r = cli([...six, "--resume"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(kOf("cli-six")).toBe(6);
      r = cli([...quick("cli-single", 3), "--mask-stride", "13"]);
      expect(r.code).toBe(0);
      r = cli([...quick("cli-warm"), "--warmup", "100", "--json"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/--warmup 100 is longer than the run; using 2/);
      writeFileSync(join(root, "bad.json"), JSON.stringify({ stages: [{ name: "a", share: 1, lrScale: 1, edge: 0.5 }] }));
      r = cli(["train", "--corpus", corpus, "--out", join(root, "cli-bad"), "--config", "tiny", "--steps", "2", "--schedule", join(root, "bad.json")]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/bad\.json: stage 1 has unknown field "edge"/);
      expect(existsSync(join(root, "cli-bad"))).toBe(false);
      r = cli([
        "train",
        "--corpus",
        corpus,
        "--out",
        join(root, "cli-both"),
        "--config",
        "tiny",
        "--steps",
        "2",
        "--schedule",
        join(root, "bad.json"),
        "--mask-stride",
        "13",
      ]);
      expect(r.stderr).toMatch(/--schedule sets every stage's recipe; drop --mask-stride/);
    });
  });
});
