import type { CommandDef } from "citty";

/** Lazy loader map: a command's module (and its heavy imports, e.g. ONNX Runtime) loads only when run. */
type Lazy = () => Promise<CommandDef>;
// Each command's args type is its own; the map only needs "something citty can run".
const lazy = (load: () => Promise<{ default: unknown }>): Lazy => () => load().then((m) => m.default as CommandDef);

export const commands: Record<string, Lazy> = {
  // one line per command, alphabetical
  baseline: lazy(() => import("./baseline.js")),
  corpus: lazy(() => import("./corpus.js")),
  demo: lazy(() => import("./demo.js")),
  embed: lazy(() => import("./embed.js")),
  evaluate: lazy(() => import("./evaluate.js")),
  "export-onnx": lazy(() => import("./export-onnx.js")),
  extract: lazy(() => import("./extract.js")),
  logits: lazy(() => import("./logits.js")),
  reconstruct: lazy(() => import("./reconstruct.js")),
  "species-map": lazy(() => import("./species-map.js")),
  "species-swap": lazy(() => import("./species-swap.js")),
  train: lazy(() => import("./train.js")),
};
