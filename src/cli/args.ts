import type { ArgsDef } from "citty";
import { InputError } from "../errors.js";
import { resolveModelDir } from "../model/model-folder.js";
import { checkDevice, executionProviders, parseDevice } from "../runtime/device.js";
import { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { REGION_TYPES, type RegionType } from "../sequence/region.js";
import { checkSpeciesArgs, type SpeciesArgs } from "./species-args.js";

/** Reusable argument fragments, spread into each command's `args`. */
export const modelArgs = {
  model: { type: "string", description: "model folder (Hugging Face layout: config.json, vocab.txt, weights), or a train --out folder (its last checkpoint)", required: true },
  threads: { type: "string", description: "ONNX Runtime intra-op threads (default: all cores)" },
  device: { type: "string", description: "cpu | cuda | webgpu (cuda needs onnxruntime-node's CUDA provider and CUDA 12 libraries; webgpu needs libvulkan1 and a Vulkan driver)", default: "cpu" },
  int8: { type: "boolean", description: "int8 dynamic quantisation of the encoder matmuls (~2.7x faster; probabilities move by ~1e-3)", default: false },
} as const satisfies ArgsDef;

export const inputArgs = {
  input: { type: "string", alias: "i", description: "FASTA (species=NAME in headers) or TSV with id, species, sequence", required: true },
  species: { type: "string", description: "species for records that name none" },
  "species-proxy": { type: "string", description: "known species to use for species the model does not know" },
  "batch-size": { type: "string", description: "sequences (or masked rows) per forward pass" },
} as const satisfies ArgsDef;

export const outputArgs = {
  output: { type: "string", alias: "o", description: "output file (written atomically)", required: true },
} as const satisfies ArgsDef;

export const jsonArgs = {
  json: { type: "boolean", description: "print a machine-readable summary on stdout", default: false },
} as const satisfies ArgsDef;

/** A comma-separated option as trimmed, non-empty items ("" or undefined: none). */
export const listOption = (value: string | undefined): string[] => (value ?? "").split(",").map((x) => x.trim()).filter(Boolean);

/** Parses an optional integer option within [min, max]; a clear error names the option otherwise. */
export function intOption(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(`--${name} must be an integer in [${min}, ${max}], got "${value}"`);
  }
  return n;
}

export function floatOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new InputError(`--${name} must be a number in [${min}, ${max}], got "${value}"`);
  return n;
}

/** A --model folder as loaded; a train run folder stands for its last checkpoint, and stderr says so. */
export function modelDirFromArgs(model: string): string {
  const { dir, fromRun } = resolveModelDir(model);
  if (fromRun) process.stderr.write(`note: ${model} is a training run; using its last checkpoint ${dir}\n`);
  return dir;
}

/** Opens --model with the session options every model command shares (--threads, --int8), and checks its species options. */
export async function loadModelFromArgs(
  args: { model: string; threads?: string | undefined; int8?: boolean | undefined; device?: string | undefined } & SpeciesArgs,
): Promise<MaskedLanguageModel> {
  const threads = intOption(args.threads, "threads", 1, 256);
  const model = await MaskedLanguageModel.load(modelDirFromArgs(args.model), {
    ...(threads ? { threads } : {}),
    ...(args.int8 ? { quantize: "int8" as const } : {}),
    providers: providersFor(args.device),
  });
  try {
    checkSpeciesArgs(model, args, args.model);
  } catch (err) {
    await model.release();
    throw err;
  }
  return model;
}

/** Execution providers for --device: the GPU's first with CPU as the fallback for ops it lacks. */
export function providersFor(device: string | undefined): string[] {
  const d = parseDevice(device);
  checkDevice(d);
  return executionProviders(d);
}

/** `--shard i/n`: one contiguous block of the input records (see src/io/shard.ts). */
export const shardArgs = {
  shard: { type: "string", description: "i/n: process only the i-th of n contiguous blocks of records (0-based); the n outputs, gathered in order (specieslm gather), equal the unsharded output" },
} as const satisfies ArgsDef;

/** Records per chunk of the streaming model commands: peak memory follows this, not the input size. */
export const chunkArgs = {
  "chunk-size": { type: "string", description: "records read and run per chunk (default 256); output is written chunk by chunk" },
} as const satisfies ArgsDef;

export function regionOption(value: string): RegionType {
  if ((REGION_TYPES as readonly string[]).includes(value)) return value as RegionType;
  throw new InputError(`--region must be one of ${REGION_TYPES.join(", ")}, got "${value}"`);
}
