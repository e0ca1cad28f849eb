import type { CommandDef } from "citty";

/** Lazy loader map: a command's module (and its heavy imports, e.g. ONNX Runtime) loads only when run. */
type Lazy = () => Promise<CommandDef>;
const lazy = (load: () => Promise<{ default: CommandDef }>): Lazy => () => load().then((m) => m.default);

export const commands: Record<string, Lazy> = {
  // one line per command, alphabetical
};
