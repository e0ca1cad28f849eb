import { defineCommand } from "citty";
import { openSequenceStream } from "../../infer/sharded-input.js";
import { SafetensorsStreamWriter } from "../../model/safetensors-stream.js";
import { inputArgs, jsonArgs, loadModelFromArgs, modelArgs, outputArgs } from "../args.js";

export default defineCommand({
  meta: { name: "logits", description: "Raw model outputs per record to safetensors: ID.input_ids, ID.logits [tokens, vocab], ID.hidden_states.K" },
  args: {
    ...modelArgs, ...inputArgs, ...outputArgs, ...jsonArgs,
    "hidden-states": { type: "boolean", description: "also write every hidden state", default: false },
  },
  run: async ({ args }) => {
    const model = await loadModelFromArgs(args);
    const variant = args["hidden-states"] ? "logits+hidden" : "logits";
    const input = await openSequenceStream(args.input, { ...(args.species ? { species: args.species } : {}), agnostic: model.config.conditioning === "none" });
    // Tensors go to a spool file as they are computed; only their names and shapes stay in memory.
    const out = await SafetensorsStreamWriter.open(args.output);
    try {
      for await (const r of input.records) {
        const feeds = model.encode([{ ...r, ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}) }]);
        const res = await model.run(variant, feeds);
        const T = feeds.inputIds.shape[1]!;
        await out.add(`${r.id}.input_ids`, { dtype: "int64", shape: [T], data: feeds.inputIds.data });
        for (const [name, t] of Object.entries(res)) await out.add(`${r.id}.${name}`, { ...t, shape: t.shape.slice(1) });
      }
      await out.commit({ format: "pt", producer: "specieslm" });
    } catch (err) {
      await out.abort();
      throw err;
    }
    await model.release();
    if (args.json) process.stdout.write(JSON.stringify({ tensors: out.tensorCount, output: args.output }) + "\n");
    else process.stderr.write(`wrote ${out.tensorCount} tensors -> ${args.output}\n`);
  },
});
