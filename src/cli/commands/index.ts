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
  // one line per command, alphabetical
  baseline: lazy(() => import("./baseline.js")),
  corpus: lazy(() => import("./corpus.js")),
  demo: lazy(() => import("./demo.js")),
  "dependency-map": lazy(() => import("./dependency-map.js")),
  embed: lazy(() => import("./embed.js")),
  evaluate: lazy(() => import("./evaluate.js")),
  "export-onnx": lazy(() => import("./export-onnx.js")),
  extract: lazy(() => import("./extract.js")),
  finetune: lazy(() => import("./finetune.js")),
  gather: lazy(() => import("./gather.js")),
  "held-out": lazy(() => import("./held-out.js")),
  ism: lazy(() => import("./ism.js")),
  logits: lazy(() => import("./logits.js")),
  models: lazy(() => import("./models.js")),
  motifs: lazy(() => import("./motifs.js")),
  predict: lazy(() => import("./predict.js")),
  readout: lazy(() => import("./readout.js")),
  reconstruct: lazy(() => import("./reconstruct.js")),
  serve: lazy(() => import("./serve.js")),
  sites: lazy(() => import("./sites.js")),
  "species-map": lazy(() => import("./species-map.js")),
  "species-swap": lazy(() => import("./species-swap.js")),
  train: lazy(() => import("./train.js")),
  variants: lazy(() => import("./variants.js")),
};
