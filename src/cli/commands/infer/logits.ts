import { defineCommand } from "citty";
import { openSequenceStream } from "../../../infer/sharded-input.js";
import { type HostTensor, numel } from "../../../host-tensor.js";
import { SafetensorsStreamWriter } from "../../../model/safetensors-stream.js";
import { leftPadding } from "../../../runtime/sequence-window.js";
import { inputArgs, jsonArgs, loadModelFromArgs, modelArgs, outputArgs } from "../../args.js";

export default defineCommand({
  meta: {
    name: "logits",
    description:
      "Raw model outputs per record to safetensors: ID.input_ids, ID.logits [tokens, vocab], ID.hidden_states.K (a 5' model's left fill is read, its tokens not written)",
  },
  args: {
    ...modelArgs,
    ...inputArgs,
    ...outputArgs,
    ...jsonArgs,
    "hidden-states": { type: "boolean", description: "also write every hidden state", default: false },
  },
  run: async ({ args }) => {
    const model = await loadModelFromArgs(args);
    const variant = args["hidden-states"] ? "logits+hidden" : "logits";
    const input = await openSequenceStream(
      args.input,
      { ...(args.species ? { species: args.species } : {}), agnostic: model.config.conditioning === "none" },
      { model },
    );
    // Tensors go to a spool file as they are computed; only their names and shapes stay in memory.
    const out = await SafetensorsStreamWriter.open(args.output);
    try {
      for await (const r of input.records) {
        const feeds = model.encode([{ ...r, ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}) }]);
        const res = await model.run(variant, feeds);
        // A five_prime model reads a short record left-padded: the tokens of k-mers starting in the fill are left out.
        const drop = { from: model.config.conditioning === "token" ? 2 : 1, count: leftPadding(model, r.sequence.length) };
        await out.add(`${r.id}.input_ids`, withoutTokens(feeds.inputIds, drop));
        for (const [name, t] of Object.entries(res)) await out.add(`${r.id}.${name}`, withoutTokens(t, drop));
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

interface Slab {
  slice(a: number, b: number): Slab;
  subarray(a: number, b: number): Slab;
  set(src: Slab, at: number): void;
}

/** Row 0 of a [1, T, ...] tensor as [T', ...], without tokens from..from+count-1. */
function withoutTokens(t: HostTensor, drop: { from: number; count: number }): HostTensor {
  const [, T = 0, ...rest] = t.shape;
  const w = numel(rest);
  const src = t.data as unknown as Slab;
  const data = src.slice(0, (T - drop.count) * w); // same typed-array kind, the kept length
  data.set(src.subarray((drop.from + drop.count) * w, T * w), drop.from * w);
  return { ...t, shape: [T - drop.count, ...rest], data: data as unknown as HostTensor["data"] };
}
