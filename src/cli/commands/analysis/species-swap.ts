import { defineCommand } from "citty";
import { speciesSwap, swapCellsTsv, swapHeatmap, swapPreferencesTsv, type SwapRecord } from "../../../analysis/species-swap.js";
import { readMotifVariants } from "../../../analysis/species-swap-variants.js";
import { InputError } from "../../../errors.js";
import { readSequenceInput } from "../../../infer/sequence-input.js";
import { writeFileAtomic } from "../../../io/atomic-write.js";
import { intOption, jsonArgs, listOption, loadModelFromArgs, modelArgs } from "../../args.js";
import { progressBar } from "../../progress.js";

/** Family names become file name parts: keep them readable but safe. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_");

export default defineCommand({
  meta: {
    name: "species-swap",
    description:
      "Motif-variant preference: P(own variant's bases) in each species' sequences with the model told each listed species; " +
      "writes PREFIX.cells.tsv, PREFIX.preference.tsv and PREFIX.<family>.svg heatmaps",
  },
  args: {
    ...modelArgs,
    ...jsonArgs,
    input: {
      type: "string",
      alias: "i",
      description: "FASTA (species=NAME in headers) or TSV with id, species, sequence: the species each sequence comes from",
      required: true,
    },
    species: {
      type: "string",
      description: "comma-separated species to tell the model (model species names); ignored for agnostic models",
      required: true,
    },
    motifs: { type: "string", description: "variants TSV (family, variant, species) or a sim12 truth.json", required: true },
    output: { type: "string", alias: "o", description: "output prefix", required: true },
    "spans-per-pass": {
      type: "string",
      description: "whole-sequence passes with N masked spans each (default: only the rows serving motif positions, exact recipe)",
    },
    "max-per-species": { type: "string", description: "at most this many sequences with instances per sequence species" },
    "batch-size": { type: "string", description: "masked rows per forward pass" },
  },
  run: async ({ args }) => {
    const told = listOption(args.species);
    const variants = await readMotifVariants(args.motifs);
    const model = await loadModelFromArgs(args);
    const records: SwapRecord[] = [];
    for await (const r of readSequenceInput(args.input)) {
      if (r.species === null) throw new InputError(`${args.input}: record ${r.id} names no species`);
      records.push({ id: r.id, species: r.species, sequence: r.sequence.toUpperCase() });
    }
    const bar = progressBar("species-swap", told.length, { quiet: args.json, unit: "told species" });
    const started = Date.now();
    const maxPer = intOption(args["max-per-species"], "max-per-species", 1);
    const batchSize = intOption(args["batch-size"], "batch-size", 1, 4096);
    const result = await speciesSwap(model, records, {
      told,
      variants,
      ...(args["spans-per-pass"] ? { spansPerPass: intOption(args["spans-per-pass"], "spans-per-pass", 1, 64)! } : {}),
      ...(maxPer !== undefined ? { maxSequencesPerSpecies: maxPer } : {}),
      ...(batchSize !== undefined ? { batchSize } : {}),
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    await model.release();
    const files = [`${args.output}.cells.tsv`, `${args.output}.preference.tsv`];
    await writeFileAtomic(files[0]!, swapCellsTsv(result));
    await writeFileAtomic(files[1]!, swapPreferencesTsv(result));
    for (const family of result.families) {
      if (!result.cells.some((c) => c.family === family)) continue;
      files.push(`${args.output}.${safe(family)}.svg`);
      await writeFileAtomic(files[files.length - 1]!, swapHeatmap(result, family));
    }
    const summary = {
      conditioning: result.conditioning,
      told: result.told,
      records: result.records,
      instances: result.instances,
      preferences: result.preferences,
      skipped: result.skipped,
      seconds: (Date.now() - started) / 1000,
      files,
    };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else {
      for (const p of result.preferences)
        process.stderr.write(
          `${p.family}\t${p.sequenceSpecies}\tn=${p.instances}\town ${p.own.toFixed(4)}\tother ${p.other.toFixed(4)}\tpreference ${p.preference >= 0 ? "+" : ""}${p.preference.toFixed(4)}\n`,
        );
      process.stderr.write(
        `${result.instances} instances in ${result.records} sequences, ${result.told.length} told species, ${summary.seconds.toFixed(1)} s -> ${files.join(", ")}\n`,
      );
    }
  },
});
