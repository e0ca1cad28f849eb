import { readFile } from "node:fs/promises";
import { defineCommand } from "citty";
import {
  buildSpeciesMap,
  checkReferenceLeaves,
  compareWithReference,
  modelSpecies,
  distanceMatrixTsv,
  type ProbeSequence,
  type SpeciesMapMethod,
} from "../../../phylo/species-map.js";
import { parseNewick, writeNewick } from "../../../phylo/tree.js";
import { InputError } from "../../../errors.js";
import { readSequenceInput } from "../../../infer/sequence-input.js";
import { writeFileAtomic } from "../../../io/atomic-write.js";
import { intOption, jsonArgs, loadModelFromArgs, modelArgs } from "../../args.js";
import { progressBar } from "../../progress.js";

async function readProbes(path: string, limit: number | undefined): Promise<ProbeSequence[]> {
  const out: ProbeSequence[] = [];
  for await (const r of readSequenceInput(path, { agnostic: true })) {
    out.push({ id: r.id, sequence: r.sequence.toUpperCase() });
    if (limit !== undefined && out.length >= limit) break;
  }
  return out;
}

export default defineCommand({
  meta: {
    name: "species-map",
    description:
      "Distances between the model's species (behaviour: mean per-nucleotide Jensen-Shannon divergence of reconstructions " +
      "told A vs B; rows: cosine distance of species vectors), UPGMA and NJ trees, RF distance to a reference tree. " +
      "Writes PREFIX.distances.tsv, PREFIX.upgma.nwk, PREFIX.nj.nwk",
  },
  args: {
    ...modelArgs,
    ...jsonArgs,
    method: { type: "string", description: "behaviour (default) or rows", default: "behaviour" },
    probe: {
      type: "string",
      description: "probe sequences for behaviour (FASTA or TSV; species ignored); default 12 random 150-nt sequences",
    },
    probes: { type: "string", description: "use at most this many probe sequences from --probe" },
    reference: { type: "string", description: "reference tree (Newick) whose leaves are model species names" },
    output: { type: "string", alias: "o", description: "output prefix", required: true },
    "spans-per-pass": { type: "string", description: "masked spans per forward pass for behaviour (default 8; 1 = the published recipe)" },
    "batch-size": { type: "string", description: "masked rows per forward pass" },
  },
  run: async ({ args }) => {
    const method = args.method as SpeciesMapMethod;
    if (method !== "rows" && method !== "behaviour") throw new InputError(`--method must be "rows" or "behaviour", got "${args.method}"`);
    const reference = args.reference ? parseNewick(await readFile(args.reference, "utf8"), args.reference) : undefined;
    const probes = args.probe ? await readProbes(args.probe, intOption(args.probes, "probes", 1)) : undefined;
    const model = await loadModelFromArgs(args);
    if (reference) checkReferenceLeaves(modelSpecies(model), reference, args.reference);
    const started = Date.now();
    const bar = progressBar("species-map", model.tokenizer.vocab.speciesNames.length, {
      quiet: args.json || method === "rows",
      unit: "species",
    });
    const batchSize = intOption(args["batch-size"], "batch-size", 1, 4096);
    const map = await buildSpeciesMap(model, {
      method,
      ...(probes ? { probes } : {}),
      spansPerPass: intOption(args["spans-per-pass"], "spans-per-pass", 1, 64) ?? 8,
      ...(batchSize !== undefined ? { batchSize } : {}),
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    await model.release();
    const comparison = reference ? compareWithReference(map, reference, args.reference) : undefined;
    const files = [`${args.output}.distances.tsv`, `${args.output}.upgma.nwk`, `${args.output}.nj.nwk`];
    await writeFileAtomic(files[0]!, distanceMatrixTsv(map.distances));
    await writeFileAtomic(files[1]!, writeNewick(map.upgma) + "\n");
    await writeFileAtomic(files[2]!, writeNewick(map.nj) + "\n");
    const summary = {
      method,
      species: map.species.length,
      nucleotides: map.nucleotides,
      upgma: writeNewick(map.upgma),
      nj: writeNewick(map.nj),
      ...(comparison
        ? {
            reference: {
              leaves: comparison.leaves.length,
              notInReference: comparison.notInReference,
              rfUpgma: comparison.upgma,
              rfNj: comparison.nj,
            },
          }
        : {}),
      seconds: (Date.now() - started) / 1000,
      files,
    };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else {
      if (comparison) {
        process.stderr.write(
          `RF to ${args.reference} over ${comparison.leaves.length} leaves: UPGMA ${comparison.upgma.distance}/${comparison.upgma.max} ` +
            `(${comparison.upgma.normalised.toFixed(3)}), NJ ${comparison.nj.distance}/${comparison.nj.max} (${comparison.nj.normalised.toFixed(3)})\n`,
        );
        if (comparison.notInReference.length) process.stderr.write(`not in the reference (pruned): ${comparison.notInReference.join(", ")}\n`);
      }
      process.stderr.write(`species map (${method}) of ${map.species.length} species in ${summary.seconds.toFixed(1)} s -> ${files.join(", ")}\n`);
    }
  },
});
