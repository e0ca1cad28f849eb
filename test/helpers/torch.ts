import { spawnSync } from "node:child_process";

/** Debian's Python with PyTorch (the PATH python3 may be a pyenv without it). */
export const TORCH_PYTHON = "/usr/bin/python3";

/** True when /usr/bin/python3 imports torch and numpy; tests that run the PyTorch reference skip otherwise. */
export const HAS_TORCH = spawnSync(TORCH_PYTHON, ["-c", "import torch, numpy"], { stdio: "ignore" }).status === 0;
export const NO_TORCH_REASON =
  "/usr/bin/python3 cannot import torch and numpy (apt-get install python3-torch python3-numpy libopenblas0-pthread): PyTorch parity tests skipped";

/** Runs a Python script with a JSON request on stdin and parses its JSON stdout. */
export function runTorchScript<T>(script: string, request: unknown): T {
  const r = spawnSync(TORCH_PYTHON, [script], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
