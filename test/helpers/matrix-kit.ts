import { existsSync, readFileSync } from "node:fs";
import { cliAsync } from "./cli.js";

/** A CLI run's result. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs at most `slots` CLI processes at once (the cells are independent; CI has 2 cores). */
export function limiter(slots: number): (args: readonly string[]) => Promise<CliRun> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (args) => {
    if (running >= slots) await new Promise<void>((r) => queue.push(r));
    running++;
    try {
      // The 5' 6-mer model's ism influence on 1,003 nt is 3,009 passes of 1,024 tokens.
      return await cliAsync(args, { NO_COLOR: "1" }, 450_000);
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

/** The project's typed failure: one `specieslm: error:` line, exit 1, no stack, no ORT log, no output files. */
export function assertCleanError(r: CliRun, pattern: RegExp, outputs: readonly string[]): void {
  const ctx = `exit ${r.code}; stderr: ${r.stderr}`;
  if (r.code !== 1) throw new Error(`expected exit 1 with a typed error, got ${ctx}`);
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  const errors = lines.filter((l) => l.startsWith("specieslm: error: "));
  if (errors.length !== 1) throw new Error(`expected one 'specieslm: error:' line, got ${ctx}`);
  if (/\n\s+at |\[E:onnxruntime|\[W:onnxruntime/.test(r.stderr)) throw new Error(`stack trace or ORT log on stderr: ${ctx}`);
  if (!pattern.test(errors[0]!)) throw new Error(`error line does not match ${pattern}: ${errors[0]}`);
  for (const o of outputs) if (existsSync(o)) throw new Error(`a failed run left ${o}`);
}

/** Exit 0, or a message carrying stderr. */
export function assertOk(r: CliRun): void {
  if (r.code !== 0) throw new Error(`exit ${r.code}; stderr: ${r.stderr}`);
  if (/\[E:onnxruntime|\[W:onnxruntime/.test(r.stderr)) throw new Error(`ORT log on stderr: ${r.stderr}`);
}

/** A TSV as header + rows of strings. */
export function readTsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  return { header: lines[0]!.split("\t"), rows: lines.slice(1).map((l) => l.split("\t")) };
}

/** Throws unless every value is a finite number. */
export function assertFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw new Error(`${what}: value ${i} is ${values[i]}`);
}

/** Throws unless |a - b| <= tol. */
export function assertClose(a: number, b: number, tol: number, what: string): void {
  if (!(Math.abs(a - b) <= tol)) throw new Error(`${what}: ${a} vs ${b} (tolerance ${tol})`);
}
