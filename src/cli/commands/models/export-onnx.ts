import { defineCommand } from "citty";
import { InputError } from "../../../errors.js";
import { writeFileAtomic } from "../../../io/atomic-write.js";
import type { GraphVariant } from "../../../runtime/masked-lm.js";
import { jsonArgs, loadModelFromArgs, modelArgs, outputArgs } from "../../args.js";

const VARIANTS = ["logits", "logits+hidden", "hidden", "kmer-nucleotides"] as const;

export default defineCommand({
  meta: {
    name: "export-onnx",
    description: "Write the inference graph (weights embedded) as an ONNX file for other runtimes and the browser",
  },
  args: {
    ...modelArgs,
    ...outputArgs,
    ...jsonArgs,
    outputs: { type: "string", description: `graph outputs: ${VARIANTS.join(" | ")} | embedding@K`, default: "logits" },
  },
  run: async ({ args }) => {
    const variant = args.outputs as GraphVariant;
    if (!(VARIANTS as readonly string[]).includes(variant) && !/^embedding@\d+$/.test(variant)) {
      throw new InputError(`--outputs must be one of ${VARIANTS.join(", ")} or embedding@K, got "${args.outputs}"`);
    }
    // A file runs on other machines: int8 weights in the layout that is exact on every CPU.
    const model = await loadModelFromArgs(args, { int8Weights: "u8" });
    const bytes = model.onnxBytes(variant);
    await writeFileAtomic(args.output, bytes);
    if (args.json) process.stdout.write(JSON.stringify({ output: args.output, bytes: bytes.length, variant }) + "\n");
    else process.stderr.write(`wrote ${variant} graph (${(bytes.length / 1e6).toFixed(1)} MB) -> ${args.output}\n`);
  },
});
