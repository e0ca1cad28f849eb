import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { type ErrorCode, SpeciesLmError } from "../errors.js";
import type { LogEntry, TrainOptions, TrainResult } from "./train-options.js";

/** What the child (train-child-main.ts) sends back: log entries, then the result or the error. */
export type ChildMessage =
  | { kind: "log"; entry: LogEntry }
  | { kind: "done"; result: TrainResult }
  | { kind: "error"; code: ErrorCode | undefined; message: string };

/**
 * Runs `train()` in a child Node process. onnxruntime-node runs a session on the calling thread, so
 * trainings started side by side in one process take turns; in child processes they run at once
 * (docs/decisions/demo-6mers.md). Options travel by structured clone, log entries come back to onLog.
 */
export function trainInChild(options: TrainOptions): Promise<TrainResult> {
  const { onLog, ...rest } = options;
  const child = fork(fileURLToPath(new URL("./train-child-main.js", import.meta.url)), [], { serialization: "advanced", stdio: "inherit" });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on("message", (m: ChildMessage) => {
      if (m.kind === "log") onLog?.(m.entry);
      else {
        settled = true;
        if (m.kind === "done") resolve(m.result);
        else reject(new SpeciesLmError(m.code ?? "RUNTIME", m.message));
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (!settled) reject(new SpeciesLmError("RUNTIME", `training of ${rest.out} stopped (${signal ?? `exit ${code}`}) before it finished`));
    });
    child.send(rest);
  });
}

/** Trains several runs at once, each in its own process with an equal share of the cores. */
export function trainSideBySide(runs: readonly TrainOptions[]): Promise<TrainResult[]> {
  const share = Math.max(1, Math.floor(availableParallelism() / runs.length));
  return Promise.all(runs.map((o) => trainInChild({ threads: share, ...o })));
}
