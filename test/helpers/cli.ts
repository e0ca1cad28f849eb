import { execFileSync, spawn, spawnSync } from "node:child_process";
import { resolve as resolvePath } from "node:path";

/** Runs the built CLI (dist/cli/main.js, from the repository root) and returns its exit code and output. */
export function cli(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["dist/cli/main.js", ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `train` of the tiny config for a few steps on one thread: the arguments the CLI training tests add their flags to. */
export function tinyTrainArgs(corpus: string, out: string, steps = 2, batchSize = 8): string[] {
  return ["train", "--corpus", corpus, "--out", out, "--config", "tiny", "--steps", String(steps), "--batch-size", String(batchSize), "--threads", "1"];
}

/**
 * Runs the built CLI without blocking the event loop (tests that serve HTTP in-process need it),
 * with extra environment variables; killed after `timeoutMs`.
 */
export function cliAsync(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 60_000,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [resolvePath("dist/cli/main.js"), ...args], {
      ...(cwd ? { cwd } : {}),
      env: Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)),
    });
    let stdout = "",
      stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/**
 * Runs the built CLI with inputs that can be read only once: `stdin` as its standard input, and each
 * `fifos` entry a named pipe (made here with mkfifo) that a background `cat` fills from a file.
 */
export function cliPiped(
  args: readonly string[],
  o: { stdin?: Uint8Array; fifos?: Readonly<Record<string, string>> },
): { code: number; stdout: string; stderr: string } {
  const feeds = Object.entries(o.fifos ?? {}).map(([fifo], i) => {
    execFileSync("mkfifo", [fifo]);
    return `timeout 120 cat "$F${i}" > "$P${i}" &`;
  });
  const env: Record<string, string> = { ...process.env } as Record<string, string>;
  Object.entries(o.fifos ?? {}).forEach(([fifo, source], i) => {
    env[`P${i}`] = fifo;
    env[`F${i}`] = source;
  });
  // The feeders are killed if the CLI exits without opening its pipe, so none is left blocked.
  const script = `${feeds.join("\n")}\n"$0" dist/cli/main.js "$@"\nrc=$?\nkill $(jobs -p) 2>/dev/null\nexit $rc`;
  const r = spawnSync("bash", ["-c", script, process.execPath, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
    env,
    ...(o.stdin ? { input: o.stdin } : {}),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
