import type { CommandDef } from "citty";
import { reportAndExit } from "../errors.js";

/** Lazy loader map: a command's module (and its heavy imports, e.g. ONNX Runtime) loads only when run. */
type Lazy = () => Promise<CommandDef>;
/**
 * Each command's args type is its own; the map only needs "something citty can run". Runs are wrapped
 * so our errors print as one line with exit 1 (citty would print the stack of every error); a command
 * with subcommands is wrapped one level down.
 */
const lazy =
  (load: () => Promise<{ default: unknown }>): Lazy =>
  () =>
    load().then((m) => withErrorReport(m.default as CommandDef));

function withErrorReport(cmd: CommandDef): CommandDef {
  const run = cmd.run;
  const subs = cmd.subCommands as Record<string, CommandDef> | undefined;
  return {
    ...cmd,
    ...(run
      ? {
          run: async (ctx) => {
            try {
              return await run(ctx);
            } catch (err) {
              reportAndExit(err);
            }
          },
        }
      : {}),
    ...(subs ? { subCommands: Object.fromEntries(Object.entries(subs).map(([k, v]) => [k, withErrorReport(v)])) } : {}),
  };
}

export const commands: Record<string, Lazy> = {
  // one line per command, alphabetical; the files sit in folders by pipeline stage (data, train, infer, analysis, models)
  baseline: lazy(() => import("./train/baseline.js")),
  corpus: lazy(() => import("./data/corpus.js")),
  demo: lazy(() => import("./analysis/demo.js")),
  "dependency-map": lazy(() => import("./infer/dependency-map.js")),
  embed: lazy(() => import("./infer/embed.js")),
  evaluate: lazy(() => import("./analysis/evaluate.js")),
  "export-onnx": lazy(() => import("./models/export-onnx.js")),
  extract: lazy(() => import("./data/extract.js")),
  finetune: lazy(() => import("./train/finetune.js")),
  gather: lazy(() => import("./data/gather.js")),
  "held-out": lazy(() => import("./analysis/held-out.js")),
  ism: lazy(() => import("./infer/ism.js")),
  logits: lazy(() => import("./infer/logits.js")),
  models: lazy(() => import("./models/models.js")),
  motifs: lazy(() => import("./analysis/motifs.js")),
  predict: lazy(() => import("./infer/predict.js")),
  readout: lazy(() => import("./analysis/readout.js")),
  reconstruct: lazy(() => import("./infer/reconstruct.js")),
  serve: lazy(() => import("./models/serve.js")),
  sites: lazy(() => import("./analysis/sites.js")),
  "species-map": lazy(() => import("./analysis/species-map.js")),
  "species-swap": lazy(() => import("./analysis/species-swap.js")),
  train: lazy(() => import("./train/train.js")),
  variants: lazy(() => import("./analysis/variants.js")),
};
