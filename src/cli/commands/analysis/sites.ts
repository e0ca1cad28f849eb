import { DEFAULT_MIN_RELATIVE_SCORE } from "../../../pwm/motif-scan.js";
import { basename, resolve } from "node:path";
import { defineCommand } from "citty";
import { loadKmerModel, type SequenceRecord } from "../../../baselines/index.js";
import { InputError } from "../../../errors.js";
import { readSequenceInput } from "../../../infer/sequence-input.js";
import {
  DEFAULT_POSITIVE_LABELS,
  lmSiteScorer,
  predictorSiteScorer,
  readSiteLabels,
  scoreInstances,
  siteAurocs,
  siteInstances,
  siteNotes,
  siteSummary,
  speciesComposition,
  writeSiteReport,
  type InstanceScores,
  type SiteScorer,
} from "../../../readout/index.js";
import type { MaskedLanguageModel } from "../../../runtime/masked-lm.js";
import { floatOption, given, intOption, jsonArgs, listOption as list, loadModelFromArgs, modelArgs, runtimeArgs } from "../../args.js";
import { siteSource } from "../../../analysis/site-source.js";
import { progressBar } from "../../progress.js";

export default defineCommand({
  meta: {
    name: "sites",
    description: "Reconstruction of motif instances by models and k-mer tables; with labels (bound/unbound) the AUROC with DeLong CIs",
  },
  args: {
    input: { type: "string", alias: "i", description: "FASTA (species=NAME) or TSV with id, species, sequence", required: true },
    species: { type: "string", description: "species for records that name none" },
    sites: { type: "string", description: "sites TSV: id, family, start (0-based), end or site, optional label" },
    motifs: { type: "string", description: "motif file (MEME, TRANSFAC, consensus list) scanned for instances instead" },
    "min-score": { type: "string", description: "relative PWM score threshold for --motifs", default: String(DEFAULT_MIN_RELATIVE_SCORE) },
    labels: { type: "string", description: "TSV with id and a label column: every instance on a record takes the record's label" },
    "label-column": { type: "string", description: "label column of --labels", default: "label" },
    positive: {
      type: "string",
      description: "labels of the positive class, comma-separated (others are negative)",
      default: DEFAULT_POSITIVE_LABELS.join(","),
    },
    model: { type: "string", description: "model folder(s) or Hub names (ORG/NAME[@REV], specieslm-3p, ...), comma-separated" },
    revision: modelArgs.revision,
    names: { type: "string", description: "report names of the models, comma-separated" },
    "species-proxy": { type: "string", description: "species proxies for species a model lacks, comma-separated: one scorer per proxy" },
    baseline: { type: "string", description: "k-mer baseline folder(s) from 'baseline fit', comma-separated" },
    "baseline-names": { type: "string", description: "report names of the baselines, comma-separated (default: markov-L-R)" },
    "batch-size": { type: "string", description: "masked rows per forward pass (default 64 up to 512 positions, fewer for longer models)" },
    ...runtimeArgs,
    output: {
      type: "string",
      alias: "o",
      description: "report prefix: PREFIX.tsv (per instance), PREFIX.json, PREFIX.html",
      required: true,
    },
    title: { type: "string", description: "report title" },
    ...jsonArgs,
  },
  run: async ({ args }) => {
    if (!args.sites && !args.motifs) throw new InputError("give --sites (a sites table) or --motifs (a motif file to scan)");
    const prefix = args.output.replace(/\.(tsv|json|html)$/i, "");
    const inputs = [args.input, args.sites, args.labels].filter((x): x is string => !!x).map((x) => resolve(x));
    if ([".tsv", ".json", ".html"].some((e) => inputs.includes(resolve(prefix + e))))
      throw new InputError(`-o ${args.output} would overwrite an input file; choose another report prefix`);
    const batchSize = intOption(args["batch-size"], "batch-size", 1, 4096);
    const records: SequenceRecord[] = [];
    for await (const r of readSequenceInput(args.input, args.species ? { species: args.species } : {}))
      records.push({ id: r.id, species: r.species!, sequence: r.sequence });
    const { sites, motifSource } = await siteSource(args.sites, args.motifs, floatOption(args["min-score"], "min-score", 0, 1));
    const labels = args.labels ? await readSiteLabels(args.labels, args["label-column"]) : undefined;
    const instances = siteInstances(records, sites, { labels, positive: list(args.positive), source: args.sites });
    if (!instances.length) throw new InputError(`no motif instances in ${args.input} (sites: ${motifSource}); check the ids or the motif`);
    const scorers: SiteScorer[] = [];
    const baselines = list(args.baseline),
      baselineNames = list(args["baseline-names"]);
    if (baselineNames.length && baselineNames.length !== baselines.length)
      throw new InputError(`--baseline-names gives ${baselineNames.length} names for ${baselines.length} baselines`);
    for (const [i, dir] of baselines.entries()) scorers.push(predictorSiteScorer((await loadKmerModel(dir)).asPredictor(baselineNames[i])));
    const dirs = list(args.model),
      names = list(args.names),
      proxies = list(args["species-proxy"]);
    if (names.length && names.length !== dirs.length) throw new InputError(`--names gives ${names.length} names for ${dirs.length} models`);
    const models: MaskedLanguageModel[] = [];
    const bar = progressBar("sites", 1, { quiet: args.json, unit: "rows" });
    for (const [i, dir] of dirs.entries()) {
      const model = await loadModelFromArgs({ ...args, model: dir });
      models.push(model);
      const name = names[i] ?? basename(dir.replace(/\/checkpoint\/?$/, ""));
      const told = model.config.conditioning === "none" || !proxies.length ? [undefined] : proxies;
      for (const proxy of told) {
        scorers.push(
          lmSiteScorer(model, {
            name: proxy ? `${name}@${proxy}` : name,
            ...given("batchSize", batchSize),
            ...(proxy ? { speciesProxy: proxy } : {}),
            onProgress: (d, t) => bar.update(d, t),
          }),
        );
      }
    }
    if (!scorers.length) throw new InputError("nothing to score with: give --model and/or --baseline");
    const background = speciesComposition(records);
    const scores: InstanceScores[] = [];
    for (const s of scorers) scores.push(await scoreInstances(s, records, instances, background));
    bar.stop();
    for (const m of models) await m.release();
    const { aurocs, paired } = siteAurocs(instances, scores);
    const labelled = instances.filter((i) => i.positive !== undefined).length;
    const notes = siteNotes(records, instances, { labelled: labels !== undefined, aurocs: aurocs.length, sites, input: args.input });
    const report = {
      title: args.title ?? `Motif instances in ${args.input}`,
      createdAt: new Date().toISOString(),
      siteSource: motifSource,
      records,
      instances,
      scores,
      aurocs,
      paired,
      notes,
    };
    const paths = await writeSiteReport(report, prefix);
    if (args.json) {
      process.stdout.write(
        JSON.stringify({ ...siteSummary(report), files: paths }, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n",
      );
      return;
    }
    process.stdout.write(`${instances.length} instances (${labelled} labelled)\n`);
    for (const a of aurocs)
      process.stdout.write(
        `  ${a.family}\t${a.scorer}\tAUROC mean p_ref ${a.meanPRef.auroc.toFixed(3)} [${a.meanPRef.ci95.map((v) => v.toFixed(3)).join(", ")}]\tcontribution ${a.contribution.auroc.toFixed(3)}\n`,
      );
    process.stdout.write(`report: ${paths.html}\n`);
  },
});
