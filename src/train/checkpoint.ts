import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.js";
import type { HostTensor } from "../host-tensor.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { BertConfig } from "../model/config.js";
import { saveModelFolder } from "../model/model-folder.js";
import { readSafetensors, writeSafetensors } from "../model/safetensors.js";
import type { Vocab } from "../tokenizer/vocab.js";

/** What a checkpoint needs beyond the Hugging Face folder to continue the run exactly. */
export interface TrainerState {
  readonly formatVersion: 1;
  /** Steps completed. */
  readonly step: number;
  /** The options that define the run; a resume with different ones is refused. */
  readonly run: Readonly<Record<string, string | number | boolean>>;
  readonly species: readonly string[];
}

export interface Checkpoint {
  readonly state: TrainerState;
  readonly weights: Map<string, HostTensor<"float32">>;
  /** AdamW moments, `m.NAME` and `v.NAME`. */
  readonly optimizer: Map<string, HostTensor<"float32">>;
}

/**
 * Writes `dir` as a loadable Hugging Face model folder plus `optimizer.safetensors` and
 * `trainer_state.json`. The folder is filled under a temporary name and renamed into place, and the
 * previous checkpoint is only removed after that: a crash leaves the old checkpoint or the new one.
 */
export async function saveCheckpoint(
  dir: string,
  ck: {
    config: BertConfig;
    vocab: Vocab;
    weights: ReadonlyMap<string, HostTensor<"float32">>;
    optimizer: ReadonlyMap<string, HostTensor<"float32">>;
    state: TrainerState;
  },
  /** Writes more files into the folder before it is renamed into place (e.g. a fine-tuning head). */
  extra?: (tmpDir: string) => Promise<void>,
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await saveModelFolder(tmp, { config: ck.config, vocab: ck.vocab, weights: ck.weights });
  await writeSafetensors(join(tmp, "optimizer.safetensors"), ck.optimizer, { format: "specieslm-adamw" });
  await extra?.(tmp);
  await writeFileAtomic(join(tmp, "trainer_state.json"), JSON.stringify(ck.state, null, 2) + "\n");
  if (existsSync(dir)) await rename(dir, old);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

/**
 * Puts a checkpoint back in place after a process died inside saveCheckpoint, and removes what such
 * deaths left. Killed between its two renames, a run leaves no `dir` but a complete `dir.tmp-PID` (its
 * trainer_state.json is written last, atomically) and the previous `dir.old-PID`: the newer wins.
 */
export async function recoverCheckpoint(dir: string): Promise<void> {
  const parent = dirname(dir);
  if (!existsSync(parent)) return;
  const name = basename(dir);
  const leftovers = (await readdir(parent)).filter((f) => f.startsWith(`${name}.tmp-`) || f.startsWith(`${name}.old-`)).map((f) => join(parent, f));
  if (!existsSync(join(dir, "trainer_state.json"))) {
    const complete = leftovers.filter((d) => existsSync(join(d, "trainer_state.json")));
    const newest = complete.sort((a, b) => stepOf(b) - stepOf(a))[0];
    if (newest !== undefined) {
      await rm(dir, { recursive: true, force: true });
      await rename(newest, dir);
    }
  }
  for (const d of leftovers) await rm(d, { recursive: true, force: true });
}

function stepOf(dir: string): number {
  try {
    return (JSON.parse(readFileSync(join(dir, "trainer_state.json"), "utf8")) as TrainerState).step;
  } catch {
    return -1;
  }
}

export async function readTrainerState(dir: string): Promise<TrainerState> {
  const path = join(dir, "trainer_state.json");
  if (!existsSync(path)) throw new InputError(`cannot resume: ${path} is missing; --resume needs a checkpoint folder written by 'specieslm train'`);
  const state = JSON.parse(await readFile(path, "utf8")) as TrainerState;
  if (state.formatVersion !== 1) throw new InputError(`cannot resume: ${path} has format version ${String(state.formatVersion)}`);
  return state;
}

export async function readOptimizerState(dir: string): Promise<Map<string, HostTensor<"float32">>> {
  const { tensors } = await readSafetensors(join(dir, "optimizer.safetensors"));
  return tensors as Map<string, HostTensor<"float32">>;
}

/** Names the run options that differ between a checkpoint and this invocation (empty when they agree). */
export function runMismatches(saved: TrainerState["run"], now: TrainerState["run"]): string[] {
  const keys = new Set([...Object.keys(saved), ...Object.keys(now)]);
  return [...keys].filter((k) => saved[k] !== now[k]).map((k) => `${k}: checkpoint ${String(saved[k])}, now ${String(now[k])}`);
}
