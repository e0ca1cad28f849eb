import { defineCommand } from "citty";
import { embedSequences } from "../../../infer/embed.js";
import { openSequenceStream } from "../../../infer/sharded-input.js";
import { withAtomicWriter } from "../../../io/atomic-write.js";
import { parseShardOption, shardLabel } from "../../../io/shard.js";
import { given, inputArgs, intOption, jsonArgs, loadModelFromArgs, modelArgs, outputArgs, shardArgs } from "../../args.js";
import { progressBar } from "../../progress.js";

export default defineCommand({
  meta: {
    name: "embed",
    description: "Sequence embeddings (mean over tokens of the mean of hidden_states[K:]) as TSV: id then one column per dimension",
  },
  args: {
    ...modelArgs,
    ...inputArgs,
    ...outputArgs,
    ...shardArgs,
    ...jsonArgs,
    "from-layer": { type: "string", description: "first hidden state K of the mean (default floor(2 * layers / 3))" },
  },
  run: async ({ args }) => {
    const shard = parseShardOption(args.shard);
    const batchSize = intOption(args["batch-size"], "batch-size", 1, 4096);
    const model = await loadModelFromArgs(args);
    const L = model.config.numHiddenLayers;
    const fromLayer = intOption(args["from-layer"], "from-layer", 0, L);
    const showBar = !args.json && process.stderr.isTTY;
    // embedSequences streams batch by batch, so memory stays at one batch whatever the input size.
    const input = await openSequenceStream(
      args.input,
      { ...(args.species ? { species: args.species } : {}), agnostic: model.config.conditioning === "none" },
      { shard, count: showBar, model },
    );
    const bar = progressBar("embed", input.total ?? 1, { quiet: args.json, unit: "records" });
    let n = 0;
    await withAtomicWriter(args.output, async (w) => {
      await w.write(["id", ...Array.from({ length: model.config.hiddenSize }, (_, i) => `dim${i}`)].join("\t") + "\n");
      for await (const { id, embedding } of embedSequences(model, input.records, {
        ...(fromLayer !== undefined ? { fromLayer } : {}),
        ...given("batchSize", batchSize),
        ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}),
      })) {
        await w.write(`${id}\t${Array.from(embedding, (x) => x.toPrecision(7)).join("\t")}\n`);
        bar.update(++n);
      }
    });
    bar.stop();
    await model.release();
    if (args.json)
      process.stdout.write(
        JSON.stringify({
          records: n,
          dimensions: model.config.hiddenSize,
          output: args.output,
          ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
        }) + "\n",
      );
    else process.stderr.write(`embedded ${n} records (${shardLabel(shard)}) -> ${args.output}\n`);
  },
});
