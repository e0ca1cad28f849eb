import { spawn } from "node:child_process";
import { cpSync, existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../src/rng.js";
import { type TrainOptions, train } from "../src/train/trainer.js";
import { readRunLog, makeToyCorpus, stopAt, toyTrainOptions } from "./helpers/toy-corpus.js";

const CLI = "dist/cli/main.js";
const stepLosses = (dir: string) =>
  readRunLog(dir)
    .filter((e) => e.kind === "step")
    .map((e) => [e.step, e.loss]);
/** Steps logged so far by a run that may be writing (or have been killed writing) its last line. */
const stepsLogged = (dir: string) => {
  try {
    return existsSync(join(dir, "train_log.jsonl")) ? stepLosses(dir).length : 0;
  } catch {
    return 0;
  }
};

describe("train survives being killed", () => {
  let root = "";
  let corpus = "";
  let whole = "";
  // The default single-nucleotide recipe (two stages, kept AdamW state), small enough for seconds.
  const base = (out: string, over: Partial<TrainOptions> = {}): TrainOptions => toyTrainOptions(corpus, out, { steps: 24, validEvery: 2, ...over });

  beforeAll(async () => {
    ({ root, corpus } = await makeToyCorpus("specieslm-crash-"));
    whole = join(root, "whole");
    await train(base(whole));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ["the new checkpoint complete, not yet renamed into place", true, 6],
    ["the new checkpoint half written", false, 4],
  ])("resumes loss for loss after a death between saveCheckpoint's renames: %s", async (_what, newComplete, resumedFrom) => {
    const out = join(root, `window-${resumedFrom}`);
    const ck = join(out, "checkpoint");
    await train({ ...base(out), ...stopAt(4) });
    cpSync(ck, join(root, `step4-${resumedFrom}`), { recursive: true });
    await train({ ...base(out, { resume: true }), ...stopAt(6) });
    // What a SIGKILL after `rename(dir, old)` leaves: no checkpoint, the old one and the new one aside.
    renameSync(ck, `${ck}.tmp-999`);
    renameSync(join(root, `step4-${resumedFrom}`), `${ck}.old-999`);
    if (!newComplete) rmSync(join(`${ck}.tmp-999`, "trainer_state.json"));
    const ran: number[] = [];
    const res = await train({
      ...base(out, { resume: true }),
      onLog: (e) => {
        if (e.kind === "step") ran.push(e.step);
      },
    });
    expect(res.steps).toBe(24);
    expect(ran[0], "it resumed from the checkpoint that was put back, not from scratch").toBe(resumedFrom + 1);
    expect(stepLosses(out)).toEqual(stepLosses(whole));
    expect(readdirSync(out).filter((f) => f.startsWith("checkpoint."))).toEqual([]);
  });

  it.skipIf(!existsSync(CLI))(
    "resumes loss for loss after SIGKILLs at random moments (built CLI)",
    async () => {
      const out = join(root, "killed");
      const args = [
        "train",
        "--corpus",
        corpus,
        "--out",
        out,
        "--config",
        "tiny",
        "--steps",
        "24",
        "--batch-size",
        "8",
        "--warmup",
        "2",
        "--seed",
        "3",
        "--valid-every",
        "2",
        "--valid-per-species",
        "4",
        "--threads",
        "1",
        "--resume",
      ];
      const rng = mulberry32(11);
      let kills = 0;
      let midRun = 0;
      for (let attempt = 0; attempt < 30; attempt++) {
        const child = spawn(process.execPath, [CLI, ...args], { stdio: "ignore" });
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        // Kill a random time (0-40 ms: inside a step, a validation or a checkpoint write) after the log
        // reaches a random step; a run that gets there first exits 0 and ends the loop.
        const done = stepsLogged(out);
        const target = done + 1 + Math.floor(rng.next() * Math.min(4, 24 - done));
        const delay = rng.next() * 40;
        const poll = setInterval(() => {
          if (stepsLogged(out) >= target) {
            clearInterval(poll);
            setTimeout(() => child.kill("SIGKILL"), delay);
          }
        }, 2);
        const code = await exited;
        clearInterval(poll);
        if (code === 0) break;
        kills++;
        if (stepsLogged(out) > 0) midRun++;
      }
      expect(stepLosses(out)).toEqual(stepLosses(whole));
      expect(kills, "the run was never killed: nothing was tested").toBeGreaterThan(0);
      expect(midRun, "no kill landed after the first step").toBeGreaterThan(0);
      console.log(`train-crash: ${kills} SIGKILLs, ${midRun} after the first step`);
    },
    120_000,
  );
});
