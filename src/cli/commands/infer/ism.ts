import { defineCommand } from "citty";
import { InputError } from "../../../errors.js";
import { withAtomicWriter } from "../../../io/atomic-write.js";
import { ismMatrices, type IsmScore } from "../../../variants/ism.js";
import { formatScore } from "../../../variants/variant-output.js";
import { given, inputItems, inputArgs, intOption, jsonArgs, loadModelFromArgs, modelArgs, outputArgs } from "../../args.js";
import { progressBar } from "../../progress.js";

export default defineCommand({
  meta: {
    name: "ism",
    description: "In-silico mutagenesis: the L x 4 matrix of every substitution's score (llr by the rolling mask, or influence) as TSV: id pos ref A C G T",
  },
  args: {
    ...modelArgs,
    ...inputArgs,
    ...outputArgs,
    ...jsonArgs,
    score: { type: "string", description: "llr (ln P(base) - ln P(ref), masked) or influence (unmasked dependency)", default: "llr" },
    "batch-size": { type: "string", description: "rows per forward pass (default 30 up to 512 positions, fewer for longer models)" },
  },
  run: async ({ args }) => {
    if (args.score !== "llr" && args.score !== "influence") throw new InputError(`--score must be llr or influence, got "${args.score}"`);
    const model = await loadModelFromArgs(args);
    const items = await inputItems(model, args);
    const bar = progressBar("ism", items.length, { quiet: args.json, unit: "sequences" });
    const started = Date.now();
    const mats = await ismMatrices(model, items, {
      score: args.score as IsmScore,
      ...given("batchSize", intOption(args["batch-size"], "batch-size", 3, 4096)),
      onProgress: (d) => bar.update(d),
    });
    bar.stop();
    await model.release();
    await withAtomicWriter(args.output, async (w) => {
      await w.write("id\tpos\tref\tA\tC\tG\tT\n");
      for (const [n, it] of items.entries()) {
        const m = mats[n]!;
        const lines = Array.from(it.sequence, (ref, p) => `${it.id}\t${p}\t${ref}\t${[0, 1, 2, 3].map((c) => formatScore(m[p * 4 + c]!)).join("\t")}`);
        await w.write(lines.join("\n") + "\n");
      }
    });
    const summary = { sequences: items.length, score: args.score, seconds: (Date.now() - started) / 1000, output: args.output };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else process.stderr.write(`ism (${args.score}) of ${items.length} sequences in ${summary.seconds.toFixed(1)} s -> ${args.output}\n`);
  },
});
