import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../src/rng.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";

const CLI = "dist/cli/main.js";
const MODEL = `${FIXTURE}model`;

function randomDna(n: number, rng: { next(): number }): string {
  let s = "";
  for (let i = 0; i < n; i++) s += "ACGT"[Math.floor(rng.next() * 4)];
  return s;
}

/** Runs the CLI to the end; resolves with its wall time in ms. */
async function timedRun(args: readonly string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: "ignore" });
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  expect(code).toBe(0);
  return performance.now() - t0;
}

/**
 * Runs the CLI and SIGKILLs it `halfway` ms after the start or, without it, as soon as its hidden temp
 * output (`.NAME.PID.HEX.tmp`, io/atomic-write.ts) holds data. Resolves with whether the kill landed
 * before the command ended.
 */
async function killMidway(args: readonly string[], dir: string, name: string, halfway: number | undefined): Promise<boolean> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const kill = () => {
    clearInterval(poll);
    clearTimeout(timer);
    child.kill("SIGKILL");
  };
  const poll = setInterval(() => {
    if (halfway !== undefined) return;
    const tmp = readdirSync(dir).find((f) => f.startsWith(`.${name}.`) && f.endsWith(".tmp"));
    if (tmp !== undefined && existsSync(join(dir, tmp)) && statSync(join(dir, tmp)).size > 0) kill();
  }, 5);
  const timer = setTimeout(kill, halfway ?? 600_000);
  const code = await exited;
  clearInterval(poll);
  clearTimeout(timer);
  return code === null;
}

describe.skipIf(!HAS_SHARED || !existsSync(CLI))("outputs of a killed command", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let dir = "";
  const at = (f: string) => join(dir, f);
  const PREVIOUS = "an earlier run's output\n";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "slm-output-crash-"));
    const species = readFileSync(join(MODEL, "vocab.txt"), "utf8").trim().split("\n").at(-1)!;
    const rng = mulberry32(7);
    // 300 records of 300 nt, streamed in chunks of 16: the first chunk lands long before the last.
    const seqs = Array.from({ length: 300 }, () => randomDna(300, rng));
    writeFileSync(at("in.fa"), seqs.map((s, i) => `>r${i} species=${species}\n${s}\n`).join(""));
    writeFileSync(
      at("in.tsv"),
      ["id\tspecies\tsequence\tpos\tref\talt", ...seqs.map((s, i) => `v${i}\t${species}\t${s}\t150\t${s[150]}\t${s[150] === "A" ? "C" : "A"}`)].join("\n") +
        "\n",
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // reconstruct streams (killed once its temp output holds the first chunk); variants writes at the end
  // (killed half-way through a timed full run).
  it.each([
    ["reconstruct", false, (out: string) => ["reconstruct", "--model", MODEL, "-i", at("in.fa"), "-o", out, "--chunk-size", "16", "--threads", "1"]],
    ["variants", true, (out: string) => ["variants", "--model", MODEL, "-i", at("in.tsv"), "-o", out, "--scores", "llr", "--threads", "1"]],
  ])(
    "%s killed mid-way leaves the previous output intact, and no output where there was none",
    async (name, timed, argsFor) => {
      const halfway = timed ? (await timedRun(argsFor(at(`${name}.full.tsv`)))) / 2 : undefined;
      writeFileSync(at(`${name}.prev.tsv`), PREVIOUS);
      expect(await killMidway(argsFor(at(`${name}.prev.tsv`)), dir, `${name}.prev.tsv`, halfway), "the kill landed before the end").toBe(true);
      expect(readFileSync(at(`${name}.prev.tsv`), "utf8")).toBe(PREVIOUS);
      expect(await killMidway(argsFor(at(`${name}.new.tsv`)), dir, `${name}.new.tsv`, halfway)).toBe(true);
      expect(existsSync(at(`${name}.new.tsv`))).toBe(false);
    },
    60_000,
  );
});
