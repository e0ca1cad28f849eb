import { DEFAULT_MIN_RELATIVE_SCORE } from "../../../pwm/motif-scan.js";
import { defineCommand } from "citty";
import { evaluatePredictors } from "../../../analysis/index.js";
import { writeReport } from "../../../report/index.js";
import { KmerModel, loadKmerModel, loadMarkovCeiling, saveKmerModel } from "../../../baselines/index.js";
import { readSequenceInput } from "../../../infer/sequence-input.js";
import type { KmerKind, NucleotidePredictor } from "../../../baselines/index.js";
import { InputError } from "../../../errors.js";
import { floatOption, intOption, jsonArgs, oneOf } from "../../args.js";
import { formatTable, summarise } from "../../evaluation-output.js";
import { siteSource } from "../../../analysis/site-source.js";

const KINDS: readonly KmerKind[] = ["markov", "dinucleotide", "composition"];

const inputArg = {
  input: {
    type: "string",
    alias: "i",
    description: "TSV with species, id, sequence[, split] columns (e.g. sim12 sequences.tsv)",
    required: true,
  },
  split: { type: "string", description: "use only rows whose split column has this value (train, valid, test)" },
} as const;

const fit = defineCommand({
  meta: { name: "fit", description: "Fit a k-mer baseline (counts per species, or pooled) and save it to a folder" },
  args: {
    ...inputArg,
    kind: { type: "string", description: "markov | dinucleotide (bidirectional order 1) | composition (order 0)", default: "markov" },
    left: { type: "string", description: "bases of left context, 0..6 (markov)", default: "5" },
    right: { type: "string", description: "bases of right context, 0..6 (markov)", default: "5" },
    pseudocount: { type: "string", description: "pseudocount per base", default: "1" },
    pooled: { type: "boolean", description: "one table for all species (species-agnostic)", default: false },
    output: { type: "string", alias: "o", description: "output folder (baseline.json + counts.bin)", required: true },
    ...jsonArgs,
  },
  async run({ args }) {
    const kind = oneOf(args.kind, KINDS, "kind");
    const started = performance.now();
    const model = await KmerModel.fit(readSequenceInput(args.input, args.split ? { split: args.split } : {}), {
      kind,
      left: intOption(args.left, "left", 0, 6),
      right: intOption(args.right, "right", 0, 6),
      pseudocount: floatOption(args.pseudocount, "pseudocount", 0, 1e6),
      pooled: args.pooled,
    });
    if (model.pooledCounts.positions === 0) throw new InputError(`no nucleotides read from ${args.input}${args.split ? ` with split "${args.split}"` : ""}`);
    await saveKmerModel(model, args.output);
    const summary = {
      output: args.output,
      name: model.name,
      options: model.options,
      species: [...model.perSpecies.keys()],
      sequences: model.pooledCounts.sequences,
      nucleotides: model.pooledCounts.positions,
      seconds: (performance.now() - started) / 1000,
    };
    if (args.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
    else
      process.stderr.write(
        `fitted ${model.name} on ${summary.nucleotides} nt from ${summary.sequences} sequences (${summary.species.length || "pooled"} species) in ${summary.seconds.toFixed(1)} s -> ${args.output}\n`,
      );
  },
});

const evaluate = defineCommand({
  meta: { name: "evaluate", description: "Per-nucleotide reconstruction accuracy and cross-entropy of k-mer baselines, per species" },
  args: {
    ...inputArg,
    baseline: { type: "string", description: "baseline folder(s), comma-separated", required: true },
    ceiling: { type: "string", description: "sim12-style truth.json: add the exact Markov-chain ceiling as a model" },
    sites: { type: "string", description: "motif sites TSV (id, family, start, site|end) for per-motif metrics" },
    motifs: { type: "string", description: "motif file (.meme, .transfac, or a consensus list) scanned to find motif sites" },
    "min-score": { type: "string", description: "relative PWM score threshold for --motifs MEME/TRANSFAC (0..1)", default: String(DEFAULT_MIN_RELATIVE_SCORE) },
    output: {
      type: "string",
      alias: "o",
      description: "report prefix: writes PREFIX.tsv, PREFIX.comparisons.tsv, PREFIX.json, PREFIX.html",
    },
    ...jsonArgs,
  },
  async run({ args }) {
    const predictors: NucleotidePredictor[] = [];
    if (args.ceiling) predictors.push(await loadMarkovCeiling(args.ceiling));
    for (const dir of args.baseline.split(",").filter(Boolean)) predictors.push((await loadKmerModel(dir)).asPredictor());
    const { sites, motifSource } = await siteSource(args.sites, args.motifs, floatOption(args["min-score"], "min-score", 0, 1));
    const report = await evaluatePredictors({
      predictors,
      records: readSequenceInput(args.input, args.split ? { split: args.split } : {}),
      sites,
      motifSource,
      title: `Nucleotide reconstruction: ${args.input}${args.split ? ` (${args.split})` : ""}`,
    });
    const paths = args.output ? await writeReport(report, args.output.replace(/\.(tsv|json|html)$/i, "")) : undefined;
    if (args.json) process.stdout.write(JSON.stringify({ ...summarise(report), files: paths }, null, 2) + "\n");
    else process.stdout.write(formatTable(report) + (paths ? `\nreport: ${paths.html}\n` : ""));
  },
});

export default defineCommand({
  meta: { name: "baseline", description: "k-mer (Markov) reconstruction baselines: fit and evaluate" },
  subCommands: { fit, evaluate },
});
