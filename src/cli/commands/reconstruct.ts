import { defineCommand } from "citty";
import { reconstruct, type ReconstructItem } from "../../infer/reconstruct.js";
import { readSequenceInput } from "../../infer/sequence-input.js";
import { withAtomicWriter } from "../../io/atomic-write.js";
import { inputArgs, intOption, jsonArgs, loadModelFromArgs, modelArgs, outputArgs } from "../args.js";
import { progressBar } from "../progress.js";
import type { EdgeMasks } from "../../model/config.js";
import { InputError } from "../../errors.js";

function edgesOption(value: string): EdgeMasks {
  if (value === "span" || value === "minimal") return value;
  throw new InputError(`--edges must be span or minimal, got "${value}"`);
}

export default defineCommand({
  meta: { name: "reconstruct", description: "Per-nucleotide P(A,C,G,T) of every base from its context (rolling masks) as TSV: id pos ref A C G T" },
  args: {
    ...modelArgs, ...inputArgs, ...outputArgs, ...jsonArgs,
    "spans-per-pass": { type: "string", description: "masked spans per forward pass (1 = the published recipe; more is faster, approximate)" },
    edges: { type: "string", description: "how the first and last k-1 nucleotides are hidden: span (the published recipe) | minimal (only the tokens covering each); default: minimal for models trained on edge spans, else span" },
  },
  run: async ({ args }) => {
    const model = await loadModelFromArgs(args);
    const opts = { ...(args.species ? { species: args.species } : {}), agnostic: model.config.conditioning === "none" };
    const records: ReconstructItem[] = [];
    for await (const r of readSequenceInput(args.input, opts)) records.push(args["species-proxy"] ? { ...r, speciesProxy: args["species-proxy"] } : r);
    const bar = progressBar("reconstruct", 1, { quiet: args.json, unit: "passes" });
    const started = Date.now();
    const probs = await reconstruct(model, records, {
      batchSize: intOption(args["batch-size"], "batch-size", 1, 4096) ?? 64,
      spansPerPass: intOption(args["spans-per-pass"], "spans-per-pass", 1, 64) ?? 1,
      ...(args.edges !== undefined ? { edges: edgesOption(args.edges) } : {}),
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    let nucleotides = 0;
    await withAtomicWriter(args.output, async (w) => {
      await w.write("id\tpos\tref\tA\tC\tG\tT\n");
      for (let i = 0; i < records.length; i++) {
        const { id, sequence } = records[i]!;
        const p = probs[i]!;
        const lines: string[] = [];
        for (let pos = 0; pos < sequence.length; pos++) {
          lines.push(`${id}\t${pos}\t${sequence[pos]}\t${p[pos * 4]!.toPrecision(6)}\t${p[pos * 4 + 1]!.toPrecision(6)}\t${p[pos * 4 + 2]!.toPrecision(6)}\t${p[pos * 4 + 3]!.toPrecision(6)}`);
        }
        nucleotides += sequence.length;
        await w.write(lines.join("\n") + "\n");
      }
    });
    await model.release();
    const summary = { records: records.length, nucleotides, seconds: (Date.now() - started) / 1000, output: args.output };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else process.stderr.write(`reconstructed ${nucleotides} nucleotides of ${records.length} records in ${summary.seconds.toFixed(1)} s -> ${args.output}\n`);
  },
});
