import { spawnSync } from "node:child_process";

/** Runs the built CLI (dist/cli/main.js, from the repository root) and returns its exit code and output. */
export function cli(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["dist/cli/main.js", ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
