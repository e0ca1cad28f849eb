import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, InputError } from "../errors.js";
import type { HostTensor } from "../host-tensor.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { BertConfig } from "../model/config.js";
import { loadModelFolder, type ModelFolder } from "../model/model-folder.js";
import { readSafetensors, writeSafetensors } from "../model/safetensors.js";
import type { Vocab } from "../tokenizer/vocab.js";
import { saveCheckpoint, type TrainerState } from "../train/checkpoint.js";
import { HEAD_BIAS, HEAD_WEIGHT, type FinetuneTask, type TargetScale } from "./head.js";

/**
 * A fine-tuning run folder: train_log.jsonl, valid_predictions.tsv, checkpoint/ (the last state, for
 * --resume) and best/ (the lowest validation loss, what `predict` reads). Each checkpoint is a Hugging
 * Face model folder (loadable as the encoder alone) plus head.safetensors, finetune.json,
 * optimizer.safetensors and trainer_state.json, written by train's saveCheckpoint (atomic).
 */
export const HEAD_FILE = "head.safetensors";
export const META_FILE = "finetune.json";

/** What a checkpoint needs besides the weights: the task, the target's units, and early-stopping state. */
export interface FinetuneMeta {
  readonly formatVersion: 1;
  readonly task: FinetuneTask;
  readonly target: string;
  readonly transform: "none" | "log";
  readonly scale: TargetScale;
  readonly layers: number | "all";
  readonly step: number;
  readonly bestStep: number;
  readonly bestLoss: number;
  /** Validations since the best one (early stopping stops at --patience). */
  readonly badEvals: number;
  readonly stopped: boolean;
}

export interface FinetuneCheckpoint {
  readonly config: BertConfig;
  readonly vocab: Vocab;
  /** Encoder and masked-LM parameters (paramLayout) and the head's. */
  readonly weights: ReadonlyMap<string, HostTensor<"float32">>;
  readonly optimizer: ReadonlyMap<string, HostTensor<"float32">>;
  readonly state: TrainerState;
  readonly meta: FinetuneMeta;
}

const isHead = (n: string) => n === HEAD_WEIGHT || n === HEAD_BIAS;

export async function saveFinetuneCheckpoint(dir: string, ck: FinetuneCheckpoint): Promise<void> {
  const encoder = new Map([...ck.weights].filter(([n]) => !isHead(n)));
  const head = new Map([...ck.weights].filter(([n]) => isHead(n)));
  await saveCheckpoint(dir, { config: ck.config, vocab: ck.vocab, weights: encoder, optimizer: ck.optimizer, state: ck.state }, async (tmp) => {
    await writeSafetensors(join(tmp, HEAD_FILE), head, { format: "specieslm-finetune-head" });
    await writeFileAtomic(join(tmp, META_FILE), JSON.stringify(ck.meta, null, 2) + "\n");
  });
}

export interface FinetunedModel {
  readonly dir: string;
  readonly folder: ModelFolder;
  /** Encoder and head weights together, as the prediction graph takes them. */
  readonly weights: ReadonlyMap<string, HostTensor<"float32">>;
  readonly meta: FinetuneMeta;
}

/** The checkpoint folder a --model names: itself (it has finetune.json), else RUN/best, else RUN/checkpoint. */
export function finetunedDir(path: string): string {
  for (const d of [path, join(path, "best"), join(path, "checkpoint")]) if (existsSync(join(d, META_FILE))) return d;
  throw new ConfigError(`${path} is not a fine-tuning run: no ${META_FILE} in it, in best/ or in checkpoint/; give the -o folder of 'specieslm finetune'`);
}

export async function readFinetuneMeta(dir: string): Promise<FinetuneMeta> {
  const meta = JSON.parse(await readFile(join(dir, META_FILE), "utf8")) as FinetuneMeta;
  if (meta.formatVersion !== 1) throw new InputError(`${join(dir, META_FILE)} has format version ${String(meta.formatVersion)}; this specieslm reads 1`);
  return meta;
}

/** Loads a fine-tuned model (a run folder or one of its checkpoints). */
export async function loadFinetuned(path: string): Promise<FinetunedModel> {
  const dir = finetunedDir(path);
  const folder = await loadModelFolder(dir);
  const { tensors } = await readSafetensors(join(dir, HEAD_FILE));
  const weights = new Map(folder.weights as ReadonlyMap<string, HostTensor<"float32">>);
  for (const n of [HEAD_WEIGHT, HEAD_BIAS]) {
    const t = tensors.get(n);
    if (t?.dtype !== "float32") throw new InputError(`${join(dir, HEAD_FILE)}: no float32 tensor ${n}`);
    weights.set(n, t as HostTensor<"float32">);
  }
  return { dir, folder, weights, meta: await readFinetuneMeta(dir) };
}
