import { DEFAULT_MIN_RELATIVE_SCORE } from "../../../pwm/motif-scan.js";
import { defineCommand } from "citty";
import { evaluatePredictors } from "../../../analysis/index.js";
import { writeReport } from "../../../report/index.js";
import { loadKmerModel, loadMarkovCeiling, type NucleotidePredictor } from "../../../baselines/index.js";
import { InputError } from "../../../errors.js";
import { loadEvaluationRecords } from "../../../infer/evaluation-records.js";
import { lmPredictor } from "../../../infer/lm-predictor.js";
import type { MaskedLanguageModel } from "../../../runtime/masked-lm.js";
import { floatOption, given, intOption, jsonArgs, listOption as list, loadModelFromArgs, revisionArgs, runtimeArgs } from "../../args.js";
import { formatTable, summarise } from "../../evaluation-output.js";
import { siteSource } from "../../../analysis/site-source.js";
import { progressBar } from "../../progress.js";

/**
 * Models in one comparison must know the same species, or a told species means different things; their
 * tokens may differ (a 6-mer and a single-nucleotide model read the same records).
 */
function checkSameSpecies(models: readonly MaskedLanguageModel[], dirs: readonly string[]): void {
  const ref = models[0]?.tokenizer.vocab.speciesNames;
  models.forEach((m, i) => {
    const s = m.tokenizer.vocab.speciesNames;
    if (ref && (s.length !== ref.length || s.some((x, j) => x !== ref[j]))) {
      throw new InputError(
        `${dirs[i]} knows other species than ${dirs[0]} (${s.length} vs ${ref.length}: ${s.slice(0, 3).join(", ")}... vs ${ref.slice(0, 3).join(", ")}...); compare models trained on one corpus`,
      );
    }
  });
}

export default defineCommand({
  meta: {
    name: "evaluate",
    description: "Held-out per-nucleotide accuracy and cross-entropy of models and baselines: per species, position and motif; TSV, JSON and an HTML report",
  },
  args: {
    model: { type: "string", description: "model folder(s) or Hub names (ORG/NAME[@REV], specieslm-3p, ...), comma-separated" },
    ...revisionArgs,
    names: { type: "string", description: "report names of the models, comma-separated (default: folder names)" },
    baseline: { type: "string", description: "k-mer baseline folder(s) from 'baseline fit', comma-separated" },
    ceiling: { type: "string", description: "sim12-style truth.json: add the exact Markov-chain ceiling" },
    corpus: { type: "string", description: "corpus folder to read records from" },
    split: { type: "string", description: "corpus split", default: "test" },
    input: { type: "string", alias: "i", description: "FASTA (species=NAME) or TSV instead of a corpus" },
    species: { type: "string", description: "species for input records that name none" },
    "only-species": { type: "string", description: "evaluate only these species (comma-separated)" },
    "per-species": { type: "string", description: "at most N records per species (the first N)" },
    "species-proxy": { type: "string", description: "species token for species a model does not know" },
    "tell-species": {
      type: "string",
      description: "tell the models this species for every record (a related species as proxy); comma list aligned with --model, empty = each record's own",
    },
    "spans-per-pass": { type: "string", description: "masked spans per forward pass for models (1 = published recipe)", default: "1" },
    "batch-size": { type: "string", description: "masked rows per forward pass (default 64 up to 512 positions, fewer for longer models)" },
    sites: { type: "string", description: "motif sites TSV (id, family, start, site)" },
    motifs: { type: "string", description: "motif file (MEME, TRANSFAC, consensus list) scanned for sites" },
    "min-score": { type: "string", description: "relative PWM score threshold for --motifs", default: String(DEFAULT_MIN_RELATIVE_SCORE) },
    output: { type: "string", alias: "o", description: "report prefix: PREFIX.tsv, PREFIX.comparisons.tsv, PREFIX.json, PREFIX.html" },
    title: { type: "string", description: "report title" },
    ...runtimeArgs,
    ...jsonArgs,
  },
  run: async ({ args }) => {
    const split = args.split as "train" | "valid" | "test";
    if (!["train", "valid", "test"].includes(split)) throw new InputError(`--split must be train, valid or test, got "${args.split}"`);
    const dirs = list(args.model);
    const names = list(args.names);
    if (names.length && names.length !== dirs.length) throw new InputError(`--names gives ${names.length} names for ${dirs.length} models`);
    const tell = args["tell-species"] === undefined ? [] : args["tell-species"].split(",").map((x) => x.trim());
    if (tell.length > 1 && tell.length !== dirs.length) throw new InputError(`--tell-species gives ${tell.length} species for ${dirs.length} models`);
    const told = (i: number): string | undefined => (tell.length === 1 ? tell[0] : tell[i]);
    const models: MaskedLanguageModel[] = [];
    for (const [i, d] of dirs.entries()) {
      models.push(
        await loadModelFromArgs({
          model: d,
          revision: args.revision,
          threads: args.threads,
          int8: args.int8,
          device: args.device,
          species: args.species,
          "species-proxy": args["species-proxy"],
          "tell-species": told(i),
        }),
      );
    }
    checkSameSpecies(models, dirs);
    const perSpecies = intOption(args["per-species"], "per-species", 1);
    const records = await loadEvaluationRecords({
      ...(args.corpus ? { corpus: args.corpus, split } : {}),
      ...(args.input ? { input: args.input } : {}),
      ...(args.species ? { species: args.species } : {}),
      ...(perSpecies ? { perSpecies } : {}),
      ...(args["only-species"] ? { onlySpecies: list(args["only-species"]) } : {}),
    });
    const bar = progressBar("evaluate", records.length * Math.max(1, models.length), { quiet: args.json, unit: "records" });
    let done = 0;
    const predictors: NucleotidePredictor[] = [];
    if (args.ceiling) predictors.push(await loadMarkovCeiling(args.ceiling));
    for (const d of list(args.baseline)) predictors.push((await loadKmerModel(d)).asPredictor());
    models.forEach((m, i) => {
      const p = lmPredictor(m, {
        ...(names[i] ? { name: names[i] } : {}),
        spansPerPass: intOption(args["spans-per-pass"], "spans-per-pass", 1, 64)!,
        ...given("batchSize", intOption(args["batch-size"], "batch-size", 1, 4096)),
        ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}),
        ...(told(i) ? { tellSpecies: told(i)! } : {}),
      });
      predictors.push({
        ...p,
        predictMany: async (rs) => {
          const out = await p.predictMany!(rs);
          done += rs.length;
          bar.update(done);
          return out;
        },
      });
    });
    if (predictors.length === 0) throw new InputError("nothing to evaluate: give --model, --baseline or --ceiling");
    const { sites, motifSource } = await siteSource(args.sites, args.motifs, floatOption(args["min-score"], "min-score", 0, 1));
    const report = await evaluatePredictors({
      predictors,
      records,
      sites,
      motifSource,
      batchSize: 32,
      title: args.title ?? `Nucleotide reconstruction: ${args.corpus ? `${args.corpus} (${split})` : args.input}`,
    });
    bar.stop();
    for (const m of models) await m.release();
    const paths = args.output ? await writeReport(report, args.output.replace(/\.(tsv|json|html)$/i, "")) : undefined;
    if (args.json) process.stdout.write(JSON.stringify({ ...summarise(report), files: paths }, null, 2) + "\n");
    else process.stdout.write(formatTable(report) + (paths ? `\nreport: ${paths.html}\n` : ""));
  },
});
