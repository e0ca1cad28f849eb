import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
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
  ck: { config: BertConfig; vocab: Vocab; weights: ReadonlyMap<string, HostTensor<"float32">>; optimizer: ReadonlyMap<string, HostTensor<"float32">>; state: TrainerState },
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await saveModelFolder(tmp, { config: ck.config, vocab: ck.vocab, weights: ck.weights });
  await writeSafetensors(join(tmp, "optimizer.safetensors"), ck.optimizer, { format: "specieslm-adamw" });
  await writeFileAtomic(join(tmp, "trainer_state.json"), JSON.stringify(ck.state, null, 2) + "\n");
  if (existsSync(dir)) await rename(dir, old);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
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
