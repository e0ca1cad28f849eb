import { basename } from "node:path";
import { defineCommand } from "citty";
import { crossValidateFinetune, finetune, type FinetuneLogEntry, type FinetuneOptions, defaultFinetuneLr, parseLayers } from "../../../finetune/index.js";
import { readReadoutTable } from "../../../readout/readout-table.js";
import { floatOption, intOption, jsonArgs, loadModelFromArgs, modelArgs, providersFor, tableArgs, transformOption } from "../../args.js";
import { progressBar } from "../../progress.js";

export default defineCommand({
  meta: {
    name: "finetune",
    description:
      "Fine-tune a pretrained model on a measurement (expression, half-life): a linear head on the mean-pooled last hidden state, trained with the last --layers encoder layers; early stopping on a held-out 10% (by group)",
  },
  args: {
    ...modelArgs,
    ...tableArgs,
    layers: {
      type: "string",
      description: "encoder layers that train, from the top: N (0 = the head only) or all (embeddings included)",
      default: "2",
    },
    epochs: { type: "string", description: "passes over the training records", default: "10" },
    "batch-size": { type: "string", description: "records per step", default: "16" },
    lr: { type: "string", description: "peak learning rate (linear warmup, then linear decay to 0; default 3e-3 with --layers 0, else 1e-4)" },
    warmup: { type: "string", description: "warmup as a fraction of all steps", default: "0.1" },
    "weight-decay": { type: "string", description: "AdamW decoupled weight decay", default: "0.01" },
    dropout: {
      type: "string",
      description: "dropout in the trained encoder layers and on the pooled state (frozen layers run as at inference)",
      default: "0.1",
    },
    "max-grad-norm": { type: "string", description: "global gradient-norm clip", default: "1" },
    seed: { type: "string", description: "seed of the validation split, batch order, head and dropout", default: "1" },
    "valid-fraction": { type: "string", description: "share of records (whole groups) held out for early stopping", default: "0.1" },
    "valid-every": { type: "string", description: "steps between validations (default: one epoch)" },
    patience: { type: "string", description: "stop after this many validations without a lower validation loss", default: "3" },
    folds: {
      type: "string",
      description:
        "cross-validate instead: K outer folds as `readout` makes them (GroupKFold with --group, else KFold by --seed), one fine-tuning per fold; report OUT/cv.{tsv,json,html,predictions.tsv}",
    },
    bootstrap: { type: "string", description: "bootstrap resamples for the --folds intervals", default: "1000" },
    resume: { type: "boolean", description: "continue the run in -o from its last checkpoint", default: false },
    output: {
      type: "string",
      alias: "o",
      description: "run folder: train_log.jsonl, valid_predictions.tsv, best/, checkpoint/",
      required: true,
    },
    ...jsonArgs,
  },
  run: async ({ args }) => {
    const transform = transformOption(args["target-transform"]);
    const epochs = intOption(args.epochs, "epochs", 1, 100_000)!;
    const batchSize = intOption(args["batch-size"], "batch-size", 1, 4096)!;
    const warmup = floatOption(args.warmup, "warmup", 0, 1)!;
    const weightDecay = floatOption(args["weight-decay"], "weight-decay", 0, 1)!;
    const dropout = floatOption(args.dropout, "dropout", 0, 0.9)!;
    const maxGradNorm = floatOption(args["max-grad-norm"], "max-grad-norm", 1e-6, 1e6)!;
    const seed = intOption(args.seed, "seed", 0, 2 ** 31)!;
    const validFraction = floatOption(args["valid-fraction"], "valid-fraction", 0.01, 0.5)!;
    const validEvery = intOption(args["valid-every"], "valid-every", 1);
    const patience = intOption(args.patience, "patience", 1, 100_000)!;
    const table = await readReadoutTable(args.input, {
      id: args.id,
      sequence: args.sequence,
      speciesColumn: args["species-column"],
      ...(args.species ? { species: args.species } : {}),
      targets: [args.target],
      ...(args.group ? { group: args.group } : {}),
      dropMissing: args["drop-missing"],
      transform,
    });
    const model = await loadModelFromArgs(args);
    const layers = parseLayers(args.layers, model.config.numHiddenLayers);
    const lr = floatOption(args.lr, "lr", 1e-9, 0.999) ?? defaultFinetuneLr(layers);
    const threads = intOption(args.threads, "threads", 1, 256);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    let bar: ReturnType<typeof progressBar> | undefined;
    const onLog = (e: FinetuneLogEntry) => {
      if (e.kind === "start") {
        bar = progressBar("finetune", e.totalSteps, { quiet: args.json, unit: "steps" });
        bar.update(e.step);
      }
      if (e.kind === "step") bar?.update(e.step);
      if (e.kind === "valid" && !args.json)
        process.stderr.write(
          `\nstep ${e.step}: validation loss ${e.loss.toFixed(4)}, r2 ${e.r2.toFixed(3)}, pearson ${e.pearson.toFixed(3)}${e.best ? " (best)" : ""}\n`,
        );
    };
    const folds = intOption(args.folds, "folds", 3, 1000);
    const bootstrap = intOption(args.bootstrap, "bootstrap", 1, 100_000)!;
    try {
      const options: FinetuneOptions = {
        model,
        modelName: basename(args.model.replace(/\/+$/, "")),
        table,
        target: args.target,
        out: args.output,
        layers,
        transform,
        epochs,
        batchSize,
        lr,
        warmup,
        weightDecay,
        dropout,
        maxGradNorm,
        seed,
        validFraction,
        patience,
        resume: args.resume,
        ...(validEvery !== undefined ? { validEvery } : {}),
        ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}),
        ...(threads ? { threads } : {}),
        providers: providersFor(args.device),
        signal: controller.signal,
        onLog,
      };
      if (folds !== undefined) {
        const cv = await crossValidateFinetune({
          ...options,
          folds,
          bootstrapSamples: bootstrap,
          ...(args.group ? { groupColumn: args.group } : {}),
          onFold: (f, secs) => {
            bar?.stop();
            if (!args.json) process.stderr.write(`fold ${f + 1}/${folds}: ${secs.toFixed(1)} CPU s\n`);
          },
        });
        const s = cv.report.targets[0]!.sets[0]!;
        if (args.json)
          process.stdout.write(
            JSON.stringify(
              {
                folds,
                foldKind: cv.report.foldKind,
                metrics: s.metrics,
                ci95: s.ci95,
                foldR2: s.foldR2,
                cpuSeconds: cv.cpuSeconds,
                frozenCpuSeconds: cv.frozenCpuSeconds,
                files: cv.paths,
              },
              null,
              2,
            ) + "\n",
          );
        else
          process.stdout.write(
            `${args.target}: finetune r2 ${s.metrics.r2.toFixed(3)} [${s.ci95.r2.map((v) => v.toFixed(3)).join(", ")}]  pearson ${s.metrics.pearson.toFixed(3)}  spearman ${s.metrics.spearman.toFixed(3)}\nreport: ${cv.paths.html}\n`,
          );
        return;
      }
      const r = await finetune(options);
      bar?.stop();
      const summary = {
        steps: r.steps,
        totalSteps: r.totalSteps,
        bestStep: r.bestStep,
        bestValidLoss: r.bestLoss,
        stoppedEarly: r.stoppedEarly,
        interrupted: r.interrupted,
        train: r.train.length,
        valid: r.valid.length,
        best: r.bestDir,
        checkpoint: r.checkpoint,
      };
      if (args.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
      else
        process.stderr.write(
          `${r.interrupted ? "interrupted" : r.stoppedEarly ? "stopped early" : "done"} at step ${r.steps}/${r.totalSteps}; best validation loss ${r.bestLoss.toFixed(4)} at step ${r.bestStep} -> ${r.bestDir}\n`,
        );
    } finally {
      process.off("SIGINT", onSigint);
      await model.release();
    }
  },
});
