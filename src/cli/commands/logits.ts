import { defineCommand } from "citty";
import type { HostTensor } from "../../host-tensor.js";
import { readSequenceInput } from "../../infer/sequence-input.js";
import { writeSafetensors } from "../../model/safetensors.js";
import { inputArgs, intOption, jsonArgs, loadModelFromArgs, modelArgs, outputArgs } from "../args.js";

export default defineCommand({
  meta: { name: "logits", description: "Raw model outputs per record to safetensors: ID.input_ids, ID.logits [tokens, vocab], ID.hidden_states.K" },
  args: {
    ...modelArgs, ...inputArgs, ...outputArgs, ...jsonArgs,
    "hidden-states": { type: "boolean", description: "also write every hidden state", default: false },
  },
  run: async ({ args }) => {
    const model = await loadModelFromArgs(args);
    const variant = args["hidden-states"] ? "logits+hidden" : "logits";
    const tensors = new Map<string, HostTensor>();
    const input = readSequenceInput(args.input, { ...(args.species ? { species: args.species } : {}), agnostic: model.config.conditioning === "none" });
    for await (const r of input) {
      const feeds = model.encode([{ ...r, ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}) }]);
      const out = await model.run(variant, feeds);
      const T = feeds.inputIds.shape[1]!;
      tensors.set(`${r.id}.input_ids`, { dtype: "int64", shape: [T], data: feeds.inputIds.data });
      for (const [name, t] of Object.entries(out)) tensors.set(`${r.id}.${name}`, { ...t, shape: t.shape.slice(1) });
    }
    await writeSafetensors(args.output, tensors, { format: "pt", producer: "specieslm" });
    await model.release();
    if (args.json) process.stdout.write(JSON.stringify({ tensors: tensors.size, output: args.output }) + "\n");
    else process.stderr.write(`wrote ${tensors.size} tensors -> ${args.output}\n`);
  },
});
