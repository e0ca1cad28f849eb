import { defineCommand } from "citty";
import { embedSequences } from "../../infer/embed.js";
import { readSequenceInput } from "../../infer/sequence-input.js";
import { withAtomicWriter } from "../../io/atomic-write.js";
import { inputArgs, intOption, jsonArgs, loadModelFromArgs, modelArgs, outputArgs } from "../args.js";

export default defineCommand({
  meta: { name: "embed", description: "Sequence embeddings (mean over tokens of the mean of hidden_states[K:]) as TSV: id then one column per dimension" },
  args: {
    ...modelArgs, ...inputArgs, ...outputArgs, ...jsonArgs,
    "from-layer": { type: "string", description: "first hidden state K of the mean (default floor(2 * layers / 3))" },
  },
  run: async ({ args }) => {
    const model = await loadModelFromArgs(args);
    const L = model.config.numHiddenLayers;
    const fromLayer = intOption(args["from-layer"], "from-layer", 0, L);
    const records = readSequenceInput(args.input, { ...(args.species ? { species: args.species } : {}), agnostic: model.config.conditioning === "none" });
    let n = 0;
    await withAtomicWriter(args.output, async (w) => {
      await w.write(["id", ...Array.from({ length: model.config.hiddenSize }, (_, i) => `dim${i}`)].join("\t") + "\n");
      for await (const { id, embedding } of embedSequences(model, records, {
        ...(fromLayer !== undefined ? { fromLayer } : {}),
        batchSize: intOption(args["batch-size"], "batch-size", 1, 4096) ?? 16,
        ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}),
      })) {
        await w.write(`${id}\t${Array.from(embedding, (x) => x.toPrecision(7)).join("\t")}\n`);
        n++;
      }
    });
    await model.release();
    if (args.json) process.stdout.write(JSON.stringify({ records: n, dimensions: model.config.hiddenSize, output: args.output }) + "\n");
    else process.stderr.write(`embedded ${n} records -> ${args.output}\n`);
  },
});
