import { defineCommand } from "citty";
import { loadFinetuned, predictFinetuned } from "../../../finetune/index.js";
import { readSequenceInput } from "../../../infer/sequence-input.js";
import { writeFileAtomic } from "../../../io/atomic-write.js";
import { given, inputArgs, intOption, jsonArgs, outputArgs, providersFor } from "../../args.js";

export default defineCommand({
  meta: {
    name: "predict",
    description:
      "Predictions of a fine-tuned model (a `specieslm finetune` run folder: its best checkpoint) as TSV: id, prediction (target units; a probability for a 0/1 target)",
  },
  args: {
    model: {
      type: "string",
      description: "a `specieslm finetune -o` run folder (its best/ checkpoint), or one of its checkpoint folders",
      required: true,
    },
    ...inputArgs,
    ...outputArgs,
    ...jsonArgs,
    threads: { type: "string", description: "ONNX Runtime intra-op threads (default: all cores)" },
    device: { type: "string", description: "cpu | cuda | webgpu", default: "cpu" },
  },
  run: async ({ args }) => {
    const batchSize = intOption(args["batch-size"], "batch-size", 1, 4096);
    const threads = intOption(args.threads, "threads", 1, 256);
    const providers = providersFor(args.device);
    const m = await loadFinetuned(args.model);
    const records = [];
    for await (const r of readSequenceInput(args.input, {
      ...(args.species ? { species: args.species } : {}),
      agnostic: m.folder.config.conditioning === "none",
    }))
      records.push(r);
    const pred = await predictFinetuned(
      m,
      {
        path: args.input,
        ids: records.map((r) => r.id),
        sequences: records.map((r) => r.sequence.toUpperCase()),
        species: records.map((r) => r.species),
      },
      {
        ...given("batchSize", batchSize),
        providers,
        ...(threads ? { threads } : {}),
        ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}),
      },
    );
    const unit = m.meta.task === "classification" ? `P(${m.meta.target} = 1)` : m.meta.transform === "log" ? `log ${m.meta.target}` : m.meta.target;
    await writeFileAtomic(args.output, "id\tprediction\n" + records.map((r, i) => `${r.id}\t${pred[i]}\n`).join(""));
    if (args.json) process.stdout.write(JSON.stringify({ records: records.length, model: m.dir, unit, output: args.output }) + "\n");
    else process.stderr.write(`predicted ${records.length} records (${unit}) with ${m.dir} -> ${args.output}\n`);
  },
});
