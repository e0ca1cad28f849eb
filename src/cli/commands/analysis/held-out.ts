import { readFile } from "node:fs/promises";
import { defineCommand } from "citty";
import { evaluateHeldOutSpecies } from "../../../analysis/held-out-species.js";
import { parseNewick, patristicDistances } from "../../../phylo/tree.js";
import { readSequenceInput } from "../../../infer/sequence-input.js";
import { writeFileAtomic } from "../../../io/atomic-write.js";
import { intOption, jsonArgs, loadModelFromArgs, modelArgs } from "../../args.js";

export default defineCommand({
  meta: {
    name: "held-out",
    description:
      "Sequences of a species the model never saw: scored with a proxy species token, the nearest species on a reference tree, the average over all tokens, and each token",
  },
  args: {
    ...modelArgs,
    input: { type: "string", alias: "i", description: "FASTA or TSV of the held-out species' sequences", required: true },
    "held-out": { type: "string", description: "name of the held-out species (a leaf of --reference for 'nearest')", required: true },
    proxy: { type: "string", description: "model species to stand in for it" },
    reference: { type: "string", description: "Newick tree holding the held-out species and the model's species" },
    "spans-per-pass": { type: "string", description: "masked spans per forward pass (1 = the published recipe)", default: "1" },
    "batch-size": { type: "string", description: "masked rows per forward pass" },
    output: { type: "string", alias: "o", description: "TSV of strategy, species, nucleotides, accuracy, cross-entropy" },
    ...jsonArgs,
  },
  run: async ({ args }) => {
    const model = await loadModelFromArgs(args);
    const records = [];
    for await (const r of readSequenceInput(args.input, { agnostic: true })) records.push(r);
    const distances = args.reference ? patristicDistances(parseNewick(await readFile(args.reference, "utf8"), args.reference)) : undefined;
    const batchSize = intOption(args["batch-size"], "batch-size", 1, 4096);
    const res = await evaluateHeldOutSpecies(model, records, {
      heldOut: args["held-out"],
      ...(args.proxy ? { proxy: args.proxy } : {}),
      ...(distances ? { distances } : {}),
      spansPerPass: intOption(args["spans-per-pass"], "spans-per-pass", 1, 64)!,
      ...(batchSize ? { batchSize } : {}),
    });
    await model.release();
    const rows = [...res.strategies, ...res.perToken].map((s) =>
      [s.strategy, s.species ?? "-", s.nucleotides, s.accuracy.toFixed(4), s.crossEntropy.toFixed(4)].join("\t"),
    );
    const tsv = ["strategy\tspecies\tnucleotides\taccuracy\tcross_entropy", ...rows].join("\n") + "\n";
    if (args.output) await writeFileAtomic(args.output, tsv);
    if (args.json) process.stdout.write(JSON.stringify(res, null, 2) + "\n");
    else process.stdout.write(tsv);
  },
});
