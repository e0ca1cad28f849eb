import { defineCommand } from "citty";
import { InputError } from "../../../errors.js";
import type { Conditioning } from "../../../model/config.js";
import type { EmbeddingInit } from "../../../model/init-weights.js";
import type { MaskReplace } from "../../../train/batches.js";
import type { DecayKind } from "../../../train/schedule.js";
import { type Curriculum, readCurriculum } from "../../../train/curriculum.js";
import { defaultRecipe, TRAIN_DEFAULTS as D } from "../../../train/train-defaults.js";
import { checkpointK, DEFAULT_K } from "../../../train/run-state.js";
import { train } from "../../../train/trainer.js";
import { floatOption, intOption, jsonArgs, oneOf, providersFor } from "../../args.js";

const CONDITIONING = ["token", "embedding", "none"] as const;
const DECAY = ["linear", "cosine", "constant"] as const;
const INIT = ["random", "structured"] as const;
const MASK_REPLACE = ["bert", "mask"] as const;

/** "13" or "13,1000": one stride, or a list to draw each sequence's stride from. */
function strideOption(value: string): number | number[] {
  const strides = value.split(",").map((v) => {
    const n = intOption(v.trim(), "mask-stride", 1, 100000);
    if (n === undefined) throw new InputError(`--mask-stride has an empty entry in "${value}"; give integers separated by commas, e.g. 13,1000`);
    return n;
  });
  // One value stays a number: the --resume key of runs from before stride lists stores it that way.
  return strides.length === 1 ? strides[0]! : strides;
}

type RecipeArgs = {
  schedule?: string | undefined;
  warmup?: string | undefined;
  decay?: string | undefined;
  "mask-stride"?: string | undefined;
  "mask-replace"?: string | undefined;
};

/**
 * The run's recipe: --schedule FILE, or one stage when any single-stage option is given, else the
 * built-in curriculum. A warmup longer than the run is clamped with a note, not refused.
 */
async function recipeOf(
  args: RecipeArgs,
  steps: number,
  k: number,
): Promise<
  { schedule: Curriculum; warmup: number; decay: DecayKind } | { warmup: number; decay: DecayKind; maskStride?: number | number[]; maskReplace: MaskReplace }
> {
  const single = (["warmup", "decay", "mask-stride", "mask-replace"] as const).filter((k) => args[k] !== undefined);
  if (args.schedule !== undefined && single.length) {
    throw new InputError(`--schedule sets every stage's recipe; drop ${single.map((k) => `--${k}`).join(", ")} or the schedule`);
  }
  if (!single.length) return args.schedule ? { ...defaultRecipe(k), schedule: await readCurriculum(args.schedule) } : defaultRecipe(k);
  let warmup = intOption(args.warmup ?? String(D.warmup), "warmup", 0)!;
  if (warmup > steps) {
    process.stderr.write(`note: --warmup ${warmup} is longer than the run; using ${steps} (the whole run)\n`);
    warmup = steps;
  }
  return {
    warmup,
    decay: oneOf<DecayKind>(args.decay ?? D.decay, DECAY, "decay"),
    ...(args["mask-stride"] ? { maskStride: strideOption(args["mask-stride"]) } : {}),
    maskReplace: oneOf<MaskReplace>(args["mask-replace"] ?? D.maskReplace, MASK_REPLACE, "mask-replace"),
  };
}

export default defineCommand({
  meta: {
    name: "train",
    description:
      "Train a species-aware (token | embedding) or agnostic (none) masked LM on a corpus.\n" +
      "Default recipe, one run: 70% of --steps with one base in 3 masked (80/10/10) at --lr, then 30% with every masked token [MASK], one base in 3 or in 8 or one per sequence; one linear decay through both.\n" +
      "With --k 6: a span of 6 tokens every 13 instead of one base in 3, and edge spans throughout.\n" +
      "--schedule FILE replaces it (JSON stages); --mask-stride/--mask-replace/--warmup/--decay train one stage instead.",
  },
  args: {
    corpus: { type: "string", description: "corpus folder (specieslm corpus build | from-table)", required: true },
    out: { type: "string", description: "run folder: checkpoint/ (Hugging Face layout) and train_log.jsonl", required: true },
    conditioning: { type: "string", description: "token | embedding | none", default: D.conditioning },
    config: { type: "string", description: "tiny | mini | small | base | path to config.json", default: D.config },
    steps: { type: "string", description: "optimizer steps", default: String(D.steps) },
    "batch-size": { type: "string", description: "sequences per step", default: String(D.batchSize) },
    lr: { type: "string", description: "peak learning rate (stages scale it)", default: D.lr.toExponential() },
    schedule: {
      type: "string",
      description:
        'JSON file of training stages ({"stages": [{name, share, lrScale, lrEnd, warmup, decay, optimizer, maskStride, maskReplace, edges}]}); default: the built-in recipe',
    },
    warmup: { type: "string", description: `single-stage run: linear warmup steps (default ${D.warmup}, at most --steps)` },
    decay: { type: "string", description: `single-stage run: ${DECAY.join(" | ")} after warmup (default ${D.decay})` },
    seed: { type: "string", description: "seed of initialisation, batch order and masking", default: String(D.seed) },
    "valid-every": { type: "string", description: "validate and checkpoint every N steps", default: String(D.validEvery) },
    "valid-per-species": { type: "string", description: "validation sequences per species", default: String(D.validPerSpecies) },
    dropout: { type: "string", description: "hidden and attention dropout (0 keeps --resume exact)", default: String(D.dropout) },
    "weight-decay": { type: "string", description: "AdamW decoupled weight decay", default: String(D.weightDecay) },
    "max-grad-norm": { type: "string", description: "global gradient-norm clip", default: String(D.maxGradNorm) },
    "mask-stride": {
      type: "string",
      description:
        "single-stage run: mask a span of k tokens every N tokens (N > k; each hides one nucleotide) instead of 15% random spans: ~3x the scored nucleotides per step at N = 13. A list (13,1000) draws N per sequence; N above the length masks one span",
    },
    "mask-replace": {
      type: "string",
      description:
        "single-stage run: masked tokens become bert (80% [MASK], 10% random, 10% kept, per token, as published; default) | mask (always [MASK], as reconstruction reads them: with bert only 26% of k-token spans are all [MASK])",
    },
    init: {
      type: "string",
      description:
        "start: structured (k-mer rows from per-base parts, heads on the tokens at -1, +1, -k, +k: leaves the unigram plateau early; docs/decisions/structured-init.md) | random (as Hugging Face)",
      default: D.init,
    },
    k: {
      type: "string",
      description:
        "tokens of a new model: 1 (single nucleotides, as the newer SpeciesLM checkpoints; default: it learns more per CPU second, docs/decisions/k1-default.md) | 6 (overlapping 6-mers, as the published SpeciesLM). A --resume keeps the checkpoint's",
    },
    "init-from": {
      type: "string",
      description:
        "start from this checkpoint's weights (same --config, --conditioning and species) with a fresh optimizer and schedule: continued pre-training",
    },
    resume: {
      type: "boolean",
      description: "continue the run in --out from its checkpoint (a run killed before its first checkpoint starts over)",
      default: false,
    },
    threads: { type: "string", description: "ONNX Runtime intra-op threads" },
    device: { type: "string", description: "cpu | cuda | webgpu (see specieslm reconstruct --help)", default: "cpu" },
    ...jsonArgs,
  },
  run: async ({ args }) => {
    const steps = intOption(args.steps, "steps", 1)!;
    const k = args.k !== undefined ? Number(oneOf(args.k, ["1", "6"], "k")) : args.resume ? await checkpointK(args.out) : DEFAULT_K;
    const recipe = await recipeOf(args, steps, k);
    const controller = new AbortController();
    const onSigint = () => {
      process.stderr.write("\ninterrupted: writing a checkpoint at the current step (Ctrl-C again to abort without it)\n");
      controller.abort();
      process.once("SIGINT", () => process.exit(130));
    };
    process.once("SIGINT", onSigint);
    const quiet = args.json || !process.stderr.isTTY;
    const started = Date.now();
    const result = await train({
      corpus: args.corpus,
      out: args.out,
      config: args.config,
      conditioning: oneOf<Conditioning>(args.conditioning, CONDITIONING, "conditioning"),
      steps,
      batchSize: intOption(args["batch-size"], "batch-size", 1, 4096)!,
      lr: floatOption(args.lr, "lr", 1e-8, 1)!,
      seed: intOption(args.seed, "seed", 0, 2 ** 31)!,
      validEvery: intOption(args["valid-every"], "valid-every", 1)!,
      validPerSpecies: intOption(args["valid-per-species"], "valid-per-species", 0, 100000)!,
      dropout: floatOption(args.dropout, "dropout", 0, 0.9)!,
      weightDecay: floatOption(args["weight-decay"], "weight-decay", 0, 1)!,
      maxGradNorm: floatOption(args["max-grad-norm"], "max-grad-norm", 1e-6, 1e6)!,
      ...recipe,
      init: oneOf<EmbeddingInit>(args.init, INIT, "init"),
      ...(args["init-from"] ? { initFrom: args["init-from"] } : {}),
      k,
      resume: args.resume,
      ...(args.threads ? { threads: intOption(args.threads, "threads", 1, 256)! } : {}),
      providers: providersFor(args.device),
      signal: controller.signal,
      onLog: (e) => {
        if (quiet) return;
        if (e.kind === "step") {
          const eta = ((Date.now() - started) / 1000 / Math.max(1, e.step)) * (steps - e.step);
          process.stderr.write(
            `\rstep ${e.step}/${steps} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} ${Math.round(e.tokensPerSecond)} tok/s ETA ${Math.round(eta)} s   `,
          );
        } else if (e.kind === "valid") {
          process.stderr.write(
            `\nvalid @${e.step}: loss ${e.loss.toFixed(4)}, nucleotide accuracy ${(100 * e.meanAccuracy).toFixed(2)}%, CE ${e.meanCrossEntropy.toFixed(4)} nats\n`,
          );
        }
      },
    });
    process.removeListener("SIGINT", onSigint);
    if (args.json) process.stdout.write(JSON.stringify(result) + "\n");
    else process.stderr.write(`\n${result.interrupted ? "stopped" : "finished"} at step ${result.steps}; checkpoint in ${result.checkpoint}\n`);
  },
});
