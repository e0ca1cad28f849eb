import { defineCommand } from "citty";
import { f32, type HostTensor } from "../../../host-tensor.js";
import { writeFileAtomic } from "../../../io/atomic-write.js";
import { writeSafetensors } from "../../../model/safetensors.js";
import { dependencyHeatmapSvg } from "../../../variants/dependency-svg.js";
import { dependencyMap } from "../../../variants/unmasked.js";
import { given, inputItems, inputArgs, intOption, jsonArgs, loadModelFromArgs, modelArgs } from "../../args.js";
import { progressBar } from "../../progress.js";

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_");

export default defineCommand({
  meta: {
    name: "dependency-map",
    description:
      "Nucleotide dependency map of each sequence (L x L: max |log-odds change| at j when i is substituted) as " +
      "PREFIX.safetensors (<id>.dependency [L,L], <id>.influence [L,4], <id>.probs [L,4]) and an SVG heatmap per sequence",
  },
  args: {
    ...modelArgs,
    ...inputArgs,
    ...jsonArgs,
    output: { type: "string", alias: "o", description: "output prefix: PREFIX.safetensors, PREFIX.<id>.svg", required: true },
    "batch-size": { type: "string", description: "mutant rows per forward pass, a multiple of 3 (default 30 up to 512 positions, fewer for longer models)" },
  },
  run: async ({ args }) => {
    const model = await loadModelFromArgs(args);
    const items = await inputItems(model, args);
    const batchSize = intOption(args["batch-size"], "batch-size", 3, 3000);
    const bar = progressBar(
      "dependency-map",
      items.reduce((s, it) => s + it.sequence.length, 0),
      { quiet: args.json, unit: "positions" },
    );
    const started = Date.now();
    const tensors = new Map<string, HostTensor>();
    const svgs: [string, string][] = [];
    let before = 0;
    for (const it of items) {
      const L = it.sequence.length;
      const dep = await dependencyMap(model, it, { ...given("batchSize", batchSize), onProgress: (done) => bar.update(before + done) });
      before += L;
      tensors.set(`${it.id}.dependency`, f32([L, L], dep.map));
      tensors.set(`${it.id}.influence`, f32([L, 4], dep.influence));
      tensors.set(`${it.id}.probs`, f32([L, 4], dep.probs));
      svgs.push([`${args.output}.${safe(it.id)}.svg`, dependencyHeatmapSvg(dep.map, it.sequence, `Nucleotide dependencies: ${it.id}`)]);
    }
    bar.stop();
    await model.release();
    const files = [`${args.output}.safetensors`, ...svgs.map(([p]) => p)];
    await writeSafetensors(files[0]!, tensors, {
      sequences: JSON.stringify(items.map((it) => ({ id: it.id, species: it.species, sequence: it.sequence }))),
      format: "specieslm-dependency-map",
    });
    for (const [p, svg] of svgs) await writeFileAtomic(p, svg);
    const summary = { sequences: items.length, seconds: (Date.now() - started) / 1000, files };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else process.stderr.write(`dependency maps of ${items.length} sequences in ${summary.seconds.toFixed(1)} s -> ${files.join(", ")}\n`);
  },
});
