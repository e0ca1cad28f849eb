import { basename, resolve } from "node:path";
import { defineCommand } from "citty";
import type { Matrix } from "ml-matrix";
import { InputError } from "../../../errors.js";
import {
  covariateColumns,
  embeddingMatrix,
  expandEmbeddings,
  speciesToldNote,
  FEATURE_SYNTAX,
  parseFeatureSets,
  readoutSummary,
  readReadoutTable,
  readTableHeader,
  runReadout,
  writeReadoutReport,
  type EmbeddingSource,
} from "../../../readout/index.js";
import { tableArgs, given, intOption, jsonArgs, listOption as list, loadModelFromArgs, modelArgs, transformOption, runtimeArgs } from "../../args.js";
import { progressBar } from "../../progress.js";
import { type FinetunedPredictions, readFinetunedPredictions } from "../../../readout/finetuned-predictions.js";

export default defineCommand({
  meta: {
    name: "readout",
    description: "Cross-validated ridge readout of measurements (half-life, expression) from sequence features and model embeddings; TSV, JSON, HTML",
  },
  args: {
    input: {
      type: "string",
      alias: "i",
      description: "TSV (or .csv) with a header: id, sequence, species, target and covariate columns",
      required: true,
    },
    target: { type: "string", description: "target column(s), comma-separated", required: true },
    features: { type: "string", description: FEATURE_SYNTAX, default: "kmer3+gc+length" },
    id: tableArgs.id,
    sequence: tableArgs.sequence,
    "species-column": tableArgs["species-column"],
    species: tableArgs.species,
    group: { type: "string", description: "group column (GroupKFold: a group, e.g. a gene family, stays in one fold)" },
    folds: { type: "string", description: "outer cross-validation folds", default: "10" },
    seed: { type: "string", description: "seed of the fold shuffle and the bootstrap", default: "1" },
    bootstrap: { type: "string", description: "bootstrap resamples for the intervals", default: "1000" },
    "target-transform": tableArgs["target-transform"],
    "drop-missing": tableArgs["drop-missing"],
    model: {
      type: "string",
      description: "model folder(s) or Hub names (ORG/NAME[@REV], specieslm-3p, ...) for embed features, comma-separated",
    },
    revision: modelArgs.revision,
    names: { type: "string", description: "report names of the models, comma-separated (default: folder names)" },
    "from-layer": { type: "string", description: "first hidden state K of the embedding mean (default floor(2 * layers / 3))" },
    "species-proxy": {
      type: "string",
      description: "species proxies for species a model lacks, comma-separated: one embed set per proxy, compared in one report",
    },
    "batch-size": { type: "string", description: "sequences per forward pass (default 16 up to 512 positions, fewer for longer models)" },
    ...runtimeArgs,
    output: {
      type: "string",
      alias: "o",
      description: "report prefix: PREFIX.tsv, PREFIX.comparisons.tsv, PREFIX.json, PREFIX.html, PREFIX.predictions.tsv",
      required: true,
    },
    title: { type: "string", description: "report title" },
    ...jsonArgs,
  },
  run: async ({ args }) => {
    const transform = transformOption(args["target-transform"]);
    const folds = intOption(args.folds, "folds", 3, 1000)!;
    const seed = intOption(args.seed, "seed", 0, 2 ** 31)!;
    const bootstrap = intOption(args.bootstrap, "bootstrap", 1, 100_000)!;
    const batchSize = intOption(args["batch-size"], "batch-size", 1, 4096);
    const fromLayer = intOption(args["from-layer"], "from-layer", 0, 1000);
    const prefix = args.output.replace(/\.(tsv|json|html)$/i, "");
    const outputs = [".tsv", ".comparisons.tsv", ".json", ".html", ".predictions.tsv"].map((e) => resolve(prefix + e));
    if (outputs.includes(resolve(args.input)))
      throw new InputError(`-o ${args.output} would overwrite the input table ${args.input}; choose another report prefix`);
    const header = await readTableHeader(args.input);
    const parsed = parseFeatureSets(args.features, header);
    const table = await readReadoutTable(args.input, {
      id: args.id,
      sequence: args.sequence,
      speciesColumn: args["species-column"],
      ...(args.species ? { species: args.species } : {}),
      targets: list(args.target),
      ...(args.group ? { group: args.group } : {}),
      numeric: covariateColumns(parsed),
      dropMissing: args["drop-missing"],
      transform,
    });
    const dirs = list(args.model);
    const names = list(args.names);
    if (names.length && names.length !== dirs.length) throw new InputError(`--names gives ${names.length} names for ${dirs.length} models`);
    const wantsEmbed = parsed.some((s) => s.blocks.some((b) => b.kind === "embed"));
    const proxies = list(args["species-proxy"]);
    const sources: EmbeddingSource[] = [];
    if (wantsEmbed) {
      for (const [i, dir] of dirs.entries()) {
        const model = await loadModelFromArgs({ ...args, model: dir });
        if (fromLayer !== undefined && fromLayer > model.config.numHiddenLayers) {
          throw new InputError(`--from-layer ${fromLayer} is past ${dir}'s ${model.config.numHiddenLayers} layers; give 0..${model.config.numHiddenLayers}`);
        }
        const name = names[i] ?? basename(dir.replace(/\/checkpoint\/?$/, ""));
        // an agnostic model is told no species, so proxies would only repeat it
        for (const proxy of proxies.length && model.config.conditioning !== "none" ? proxies : [undefined]) {
          sources.push({
            name: proxy ? `${name}@${proxy}` : name,
            model,
            ...(proxy ? { speciesProxy: proxy } : {}),
            ...(fromLayer !== undefined ? { fromLayer } : {}),
          });
        }
      }
    }
    const sets = expandEmbeddings(
      parsed,
      sources.map((s) => s.name),
    );
    const bar = progressBar("readout", sources.length * table.ids.length + sets.length * table.targets.size, {
      quiet: args.json,
      unit: "steps",
    });
    let done = 0;
    const embeddings = new Map<string, Matrix>();
    for (const s of sources) {
      const start = done;
      embeddings.set(
        s.name,
        await embeddingMatrix(s, table, {
          ...given("batchSize", batchSize),
          onProgress: (n) => {
            done = start + n;
            bar.update(done);
          },
        }),
      );
    }
    for (const m of new Set(sources.map((s) => s.model))) await m.release();
    const notes = [
      ...(table.dropped ? [`${table.dropped} row(s) with a missing target were skipped (--drop-missing)`] : []),
      ...(transform === "log" ? ["targets are natural logs of the table's values"] : []),
      ...sources.map((s) => `embed[${s.name}]: mean of hidden states from layer ${s.fromLayer ?? "default (2/3 down)"}${speciesToldNote(s, table.species)}`),
    ];
    const finetuned = new Map<string, FinetunedPredictions>();
    for (const b of sets.flatMap((x) => x.blocks))
      if (b.kind === "finetune" && !finetuned.has(b.run)) finetuned.set(b.run, await readFinetunedPredictions(b.run, table.ids, [...table.targets.keys()]));
    const report = runReadout(
      { ids: table.ids, sequences: table.sequences, numeric: table.numeric, embeddings },
      table.targets,
      sets,
      {
        folds,
        seed,
        bootstrapSamples: bootstrap,
        title: args.title ?? `Readout: ${list(args.target).join(", ")} from ${args.input}`,
        ...(table.groups ? { groups: { column: args.group!, values: table.groups } } : {}),
        onSetDone: () => bar.update(++done),
        finetuned,
      },
      notes,
    );
    bar.stop();
    const paths = await writeReadoutReport(report, prefix);
    if (args.json) {
      process.stdout.write(
        JSON.stringify({ ...readoutSummary(report), files: paths }, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n",
      );
      return;
    }
    for (const t of report.targets) {
      process.stdout.write(
        `${t.target}\n` +
          t.sets
            .map(
              (s) =>
                `  ${s.name.padEnd(28)} r2 ${s.metrics.r2.toFixed(3)} [${s.ci95.r2.map((v) => v.toFixed(3)).join(", ")}]  pearson ${s.metrics.pearson.toFixed(3)}  spearman ${s.metrics.spearman.toFixed(3)}`,
            )
            .join("\n") +
          "\n",
      );
      for (const c of t.comparisons)
        process.stdout.write(`  ${c.a} vs ${c.b}: dr2 ${c.r2Difference.toFixed(3)}, Wilcoxon p ${c.wilcoxon.p.toExponential(2)}\n`);
    }
    process.stdout.write(`report: ${paths.html}\n`);
  },
});
