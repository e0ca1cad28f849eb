import { defineCommand } from "citty";
import type { ReconstructItem } from "../../../infer/reconstruct.js";
import { reconstructStream } from "../../../infer/reconstruct-stream.js";
import { RECONSTRUCTION_TSV_HEADER, reconstructionTsvRows } from "../../../infer/reconstruction-tsv.js";
import { openSequenceStream } from "../../../infer/sharded-input.js";
import { withAtomicWriter } from "../../../io/atomic-write.js";
import { parseShardOption, shardLabel } from "../../../io/shard.js";
import { chunkArgs, given, inputArgs, intOption, jsonArgs, loadModelFromArgs, modelArgs, outputArgs, shardArgs } from "../../args.js";
import { progressBar } from "../../progress.js";
import type { EdgeMasks } from "../../../model/config.js";
import { InputError } from "../../../errors.js";

function edgesOption(value: string): EdgeMasks {
  if (value === "span" || value === "minimal") return value;
  throw new InputError(`--edges must be span or minimal, got "${value}"`);
}

export default defineCommand({
  meta: {
    name: "reconstruct",
    description: "Per-nucleotide P(A,C,G,T) of every base from its context (rolling masks) as TSV: id pos ref A C G T",
  },
  args: {
    ...modelArgs,
    ...inputArgs,
    ...outputArgs,
    ...shardArgs,
    ...chunkArgs,
    ...jsonArgs,
    "spans-per-pass": {
      type: "string",
      description: "masked spans per forward pass (1 = the published recipe; more is faster, approximate)",
    },
    edges: {
      type: "string",
      description:
        "how the first and last k-1 nucleotides are hidden: span (the published recipe) | minimal (only the tokens covering each); default: minimal for models trained on edge spans, else span",
    },
  },
  run: async ({ args }) => {
    // Every option is checked before the model loads or a record is read.
    const shard = parseShardOption(args.shard);
    const batchSize = intOption(args["batch-size"], "batch-size", 1, 4096);
    const spansPerPass = intOption(args["spans-per-pass"], "spans-per-pass", 1, 64) ?? 1;
    const chunkRecords = intOption(args["chunk-size"], "chunk-size", 1, 1_000_000) ?? 256;
    const edges = args.edges !== undefined ? { edges: edgesOption(args.edges) } : {};
    const model = await loadModelFromArgs(args);
    const showBar = !args.json && process.stderr.isTTY;
    const input = await openSequenceStream(
      args.input,
      { ...(args.species ? { species: args.species } : {}), agnostic: model.config.conditioning === "none" },
      { shard, count: showBar, model },
    );
    const proxy = args["species-proxy"];
    const items = async function* (): AsyncGenerator<ReconstructItem> {
      for await (const r of input.records) yield proxy ? { ...r, speciesProxy: proxy } : r;
    };
    const bar = progressBar("reconstruct", input.total ?? 1, { quiet: args.json, unit: "records" });
    const started = Date.now();
    let records = 0;
    let nucleotides = 0;
    await withAtomicWriter(args.output, async (w) => {
      await w.write(RECONSTRUCTION_TSV_HEADER);
      for await (const { item, probs } of reconstructStream(model, items(), {
        ...given("batchSize", batchSize),
        spansPerPass,
        ...edges,
        chunkRecords,
        onRecords: (n) => bar.update(n),
      })) {
        await w.write(reconstructionTsvRows(item.id, item.sequence, probs));
        records++;
        nucleotides += item.sequence.length;
      }
    });
    bar.stop();
    await model.release();
    const summary = {
      records,
      nucleotides,
      seconds: (Date.now() - started) / 1000,
      output: args.output,
      ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
    };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else
      process.stderr.write(
        `reconstructed ${nucleotides} nucleotides of ${records} records (${shardLabel(shard)}) in ${summary.seconds.toFixed(1)} s -> ${args.output}\n`,
      );
  },
});
