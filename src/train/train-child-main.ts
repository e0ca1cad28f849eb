// Child-process entry of trainInChild (train-in-child.ts): one training, options in, log entries out.
import { SpeciesLmError } from "../errors.js";
import type { ChildMessage } from "./train-in-child.js";
import type { TrainOptions } from "./train-options.js";
import { train } from "./trainer.js";

const send = (m: ChildMessage) => new Promise<void>((done) => process.send!(m, () => done()));

process.once("message", async (options: TrainOptions) => {
  try {
    const result = await train({ ...options, onLog: (entry) => void send({ kind: "log", entry }) });
    await send({ kind: "done", result });
  } catch (err) {
    await send({ kind: "error", code: err instanceof SpeciesLmError ? err.code : undefined, message: (err as Error).message });
  }
  process.disconnect();
});
