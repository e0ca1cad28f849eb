import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { LogEntry } from "./train-options.js";

/** Appends one entry to a run's log (and passes it to the caller's onLog first). */
export type RunLogger = (entry: LogEntry) => Promise<void>;

/**
 * Opens `OUT/train_log.jsonl`: a resume at step `resumedAt` keeps what its checkpoint had seen
 * (trimRunLog), a fresh run starts it empty (one that died before its first checkpoint left steps in it).
 */
export async function openRunLog(out: string, resumedAt: number | undefined, onLog?: (entry: LogEntry) => void): Promise<RunLogger> {
  await mkdir(out, { recursive: true });
  const path = join(out, "train_log.jsonl");
  if (resumedAt !== undefined) await trimRunLog(path, resumedAt);
  else await writeFileAtomic(path, "");
  return async (e) => {
    onLog?.(e);
    await appendFile(path, JSON.stringify(e) + "\n");
  };
}

/**
 * Cuts a run's train_log.jsonl back to what the checkpoint at `step` had seen, so that a resumed run
 * logs every step once: a process killed after its last checkpoint logged steps that the resume redoes.
 * Keeps entries before `step` and the step, validation and checkpoint entries at it (a stage entry at
 * `step` is logged again when the loop re-enters it); drops a line cut off mid-write.
 */
export async function trimRunLog(path: string, step: number): Promise<void> {
  if (!existsSync(path)) return;
  const kept: string[] = [];
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    let e: { kind?: unknown; step?: unknown };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      continue;
    }
    if (typeof e.step !== "number") continue;
    if (e.step < step || (e.step === step && e.kind !== "stage")) kept.push(line);
  }
  await writeFileAtomic(path, kept.map((l) => l + "\n").join(""));
}
