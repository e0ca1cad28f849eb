import type { ArgsDef } from "citty";
import { InputError } from "../errors.js";
import { readSequenceInput } from "../infer/sequence-input.js";
import type { ReconstructItem } from "../infer/reconstruct.js";
import { resolveModelSource } from "../model/model-source.js";
import { checkDevice, executionProviders, parseDevice } from "../runtime/device.js";
import { type GraphOptions, MaskedLanguageModel } from "../runtime/masked-lm.js";
import { REGION_TYPES, type RegionType } from "../sequence/region.js";
import { sequenceItems } from "../variants/sequence-items.js";
import { downloadProgress } from "./progress.js";
import { checkSpeciesArgs, type SpeciesArgs } from "./species-args.js";

/** --revision for Hub models named without '@' (a branch, tag or commit; default main). */
export const revisionArgs = {
  revision: { type: "string", description: "Hub revision (branch, tag or commit) of an ORG/NAME --model without @REV (default: main)" },
} as const satisfies ArgsDef;

/** Reusable argument fragments, spread into each command's `args`. */
export const modelArgs = {
  model: {
    type: "string",
    description:
      "model folder (Hugging Face layout: config.json, vocab.txt, weights), a train --out folder (its last checkpoint), a Hub model ORG/NAME[@REVISION], or specieslm-3p | specieslm-3p-agnostic | specieslm-5p | specieslm-5p-agnostic",
    required: true,
  },
  ...revisionArgs,
  threads: { type: "string", description: "ONNX Runtime intra-op threads (default: all cores)" },
  device: {
    type: "string",
    description: "cpu | cuda | webgpu (cuda needs onnxruntime-node's CUDA provider and CUDA 12 libraries; webgpu needs libvulkan1 and a Vulkan driver)",
    default: "cpu",
  },
  int8: {
    type: "boolean",
    description: "int8 dynamic quantisation of the encoder matmuls (faster on CPUs with VNNI; exact on every x86 CPU; probabilities move by ~1e-3)",
    default: false,
  },
} as const satisfies ArgsDef;

/** How a command runs its models (--threads, --int8, --device), for commands that load them their own way. */
export const runtimeArgs = { threads: modelArgs.threads, int8: modelArgs.int8, device: modelArgs.device } as const satisfies ArgsDef;

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
export const listOption = (value: string | undefined): string[] =>
  (value ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** Parses an optional integer option within [min, max]; a clear error names the option otherwise. */
export function intOption(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(`--${name} must be an integer in [${min}, ${max}], got "${value}"`);
  }
  return n;
}

/** `{ [key]: value }` when the option was given, `{}` otherwise, so the library's default applies. */
export function given<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

export function floatOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new InputError(`--${name} must be a number in [${min}, ${max}], got "${value}"`);
  return n;
}

/**
 * The local folder a --model names (a folder, a train run's last checkpoint, or a Hub model fetched
 * into the huggingface_hub cache: src/model/model-source.ts); stderr says when it is not the obvious one.
 */
export async function modelDirFromArgs(model: string, revision?: string): Promise<string> {
  const bar = downloadProgress(`download ${model}`);
  try {
    const r = await resolveModelSource(model, { ...(revision ? { revision } : {}), progress: (done, total) => bar.update(done, total) });
    if (r.fromRun) process.stderr.write(`note: ${model} is a training run; using its last checkpoint ${r.dir}\n`);
    if (r.hub?.snapshot.fromCacheUnreachable)
      process.stderr.write(`note: the Hub cannot be reached; using the cached ${r.hub.spec.repo}@${r.hub.spec.revision} (${r.dir})\n`);
    return r.dir;
  } finally {
    bar.stop();
  }
}

/** Opens --model with the session options every model command shares (--threads, --int8), and checks its species options. */
export async function loadModelFromArgs(
  args: {
    model: string;
    revision?: string | undefined;
    threads?: string | undefined;
    int8?: boolean | undefined;
    device?: string | undefined;
  } & SpeciesArgs,
  graph: GraphOptions = {},
): Promise<MaskedLanguageModel> {
  const threads = intOption(args.threads, "threads", 1, 256);
  const model = await MaskedLanguageModel.load(await modelDirFromArgs(args.model, args.revision), {
    ...graph,
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
  shard: {
    type: "string",
    description:
      "i/n: process only the i-th of n contiguous blocks of records (0-based); the n outputs, gathered in order (specieslm gather), equal the unsharded output",
  },
} as const satisfies ArgsDef;

/** Records per chunk of the streaming model commands: peak memory follows this, not the input size. */
export const chunkArgs = {
  "chunk-size": { type: "string", description: "records read and run per chunk (default 256); output is written chunk by chunk" },
} as const satisfies ArgsDef;

/** The value of a `--name` option that takes one of a fixed set of strings; anything else is an InputError listing them. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`--${name} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

export function regionOption(value: string): RegionType {
  return oneOf(value, REGION_TYPES, "region");
}

/** The measurement-table options of `readout` and `finetune`, with the same names and defaults. */
export const tableArgs = {
  input: {
    type: "string",
    alias: "i",
    description: "TSV (or .csv) with a header: id, sequence, species and target columns (as `readout` reads)",
    required: true,
  },
  target: { type: "string", description: "target column (a 0/1 column is fitted as a classification)", required: true },
  id: { type: "string", description: "id column", default: "id" },
  sequence: { type: "string", description: "sequence column", default: "sequence" },
  "species-column": { type: "string", description: "species column (optional in the table)", default: "species" },
  species: { type: "string", description: "species for records that name none" },
  "species-proxy": { type: "string", description: "known species told for species the model lacks" },
  group: {
    type: "string",
    description: "group column: a group (e.g. a gene family) is never split between train and validation (or folds)",
  },
  "target-transform": { type: "string", description: "none | log (natural log of the target, e.g. half-lives)", default: "none" },
  "drop-missing": { type: "boolean", description: "skip rows whose target is empty or NA instead of stopping", default: false },
} as const satisfies ArgsDef;

/** --target-transform: none or log (natural log of the target). */
export function transformOption(value: string): "none" | "log" {
  if (value !== "none" && value !== "log") throw new InputError(`--target-transform must be none or log, got "${value}"`);
  return value;
}

/** The --input sequences as the model reads them (--species for tables without one, --species-proxy for species it lacks). */
export function inputItems(model: MaskedLanguageModel, args: { input: string; species?: string; "species-proxy"?: string }): Promise<ReconstructItem[]> {
  const records = readSequenceInput(args.input, { ...(args.species ? { species: args.species } : {}), agnostic: model.config.conditioning === "none" });
  return sequenceItems(model, records, args.input, args["species-proxy"]);
}
