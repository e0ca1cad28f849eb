import { defineCommand } from "citty";
import { InputError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { SCORE_NAMES, scoreColumns, scoreVariants, type ScoreName, type ScoreOptions, type VariantScores } from "../../variants/scores.js";
import { checkVariant, fitToModel, type Variant } from "../../variants/variant.js";
import { tableScoresTsv, vcfScoresTsv, vcfWithScores } from "../../variants/variant-output.js";
import { readVariantTable } from "../../variants/variant-table.js";
import { openVariantInput, placeVcfVariants, type VcfPlacementSummary } from "../../variants/vcf-variants.js";
import { intOption, jsonArgs, listOption, loadModelFromArgs, modelArgs, regionOption } from "../args.js";
import { progressBar } from "../progress.js";
import evaluate from "./variants-evaluate.js";

function scoreList(s: string | undefined): ScoreName[] | undefined {
  if (s === undefined) return undefined;
  const names = listOption(s);
  for (const n of names) if (!(SCORE_NAMES as readonly string[]).includes(n)) throw new InputError(`--scores: unknown score "${n}"; choose from ${SCORE_NAMES.join(", ")}`);
  return names as ScoreName[];
}

function outsideNote(s: VcfPlacementSummary): string {
  return `${s.records} records, ${s.alleles} alleles: ${s.placedAlleles} SNVs in ${s.placements} region placements ` +
    `(${Object.entries(s.regions).map(([r, n]) => `${r} ${n}`).join(", ") || "none"}), ${s.outsideRegions} SNVs outside every region, ${s.notSnv} not SNVs (not scored)`;
}

export default defineCommand({
  meta: {
    name: "variants",
    description: "Zero-shot scores of single-nucleotide variants (llr, influence, embedding_distance, delta_prob) from a TSV " +
      "(id species sequence pos ref alt) or a VCF placed in the genes' 3'/5' regions; `variants evaluate` scores them against labels",
  },
  args: {
    ...modelArgs, ...jsonArgs,
    model: { ...modelArgs.model, required: false },
    input: { type: "string", alias: "i", description: "TSV with id, species, sequence, pos (0-based), ref, alt (other columns are copied), or a VCF (.vcf, .vcf.gz)" },
    output: { type: "string", alias: "o", description: "scores TSV (written atomically)" },
    genome: { type: "string", description: "VCF input: genome FASTA the VCF was called against" },
    annotation: { type: "string", description: "VCF input: GFF3/GTF annotation; variants are placed in the regions `extract` defines" },
    region: { type: "string", description: "VCF input: three_prime, five_prime or both (comma-separated)", default: "three_prime,five_prime" },
    species: { type: "string", description: "species of the genome (VCF) or of table rows without a species column" },
    "species-proxy": { type: "string", description: "known species to use for species the model does not know" },
    scores: { type: "string", description: `comma-separated scores: ${SCORE_NAMES.join(", ")}`, default: "llr,influence,embedding_distance" },
    "rc-average": { type: "boolean", description: "average each score with the variant read on the reverse-complement strand (strand-free models)", default: false },
    calibrate: { type: "boolean", description: "add llr_calibrated: llr minus the mean llr of the same central 5-mer and alt over the input sequences (reconstructs them whole)", default: false },
    "influence-exclude": { type: "string", description: "influence leaves out N positions either side of the variant (k-1 = those read from tokens holding it)", default: "0" },
    "delta-window": { type: "string", description: "delta_prob reads this many nt either side of the variant", default: "10" },
    "embedding-layer": { type: "string", description: "first hidden layer of the embedding mean (default two thirds down)" },
    "batch-size": { type: "string", description: "rows per forward pass", default: "32" },
    "vcf-out": { type: "string", description: "VCF input: also write the input VCF with the scores as INFO fields (SLM_LLR, ...)" },
  },
  subCommands: { evaluate },
  run: async ({ args }) => {
    if (args._.length > 0) return; // a subcommand ran (citty also calls the parent's run)
    if (!args.model || !args.input || !args.output) throw new InputError("variants needs --model, --input and --output (or the subcommand: specieslm variants evaluate)");
    const opts: ScoreOptions = {
      ...(args.scores ? { scores: scoreList(args.scores)! } : {}),
      rcAverage: args["rc-average"], calibrate: args.calibrate,
      deltaWindow: intOption(args["delta-window"], "delta-window", 1, 500)!,
      influenceExclude: intOption(args["influence-exclude"], "influence-exclude", 0, 500)!,
      batchSize: intOption(args["batch-size"], "batch-size", 1, 4096)!,
      ...(args["embedding-layer"] ? { embeddingLayer: intOption(args["embedding-layer"], "embedding-layer", 0, 1000)! } : {}),
    };
    const cols = scoreColumns(opts);
    const input = await openVariantInput(args.input);
    if (args["vcf-out"] && !input.vcf) throw new InputError("--vcf-out needs a VCF --input");
    const model = await loadModelFromArgs({ ...args, model: args.model });
    const started = Date.now();
    let variants: Variant[];
    let write: (scores: VariantScores[]) => Promise<string[]>;
    let note = "";
    if (input.vcf) {
      if (!args.genome || !args.annotation || !args.species) throw new InputError("VCF input needs --genome, --annotation and --species (the genome's species)");
      const placed = await placeVcfVariants({ vcf: args.input, ...(input.lines ? { lines: input.lines } : {}), genome: args.genome, annotation: args.annotation, species: args.species, regions: listOption(args.region).map(regionOption) });
      const fitted = placed.variants.map((v) => fitToModel(model, args["species-proxy"] ? { ...v, speciesProxy: args["species-proxy"] } : v));
      fitted.forEach((v) => checkVariant(model, v, `${args.input} record ${v.record + 1}`));
      variants = fitted;
      note = outsideNote(placed.summary);
      write = async (scores) => {
        await writeFileAtomic(args.output!, vcfScoresTsv(fitted, cols, scores));
        if (!args["vcf-out"]) return [args.output!];
        await writeFileAtomic(args["vcf-out"], vcfWithScores(placed.headerLines, placed.dataLines, fitted, cols, scores, args.model!));
        return [args.output!, args["vcf-out"]];
      };
    } else {
      const table = await readVariantTable(args.input, { ...(args.species ? { species: args.species } : {}), ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}) }, input.lines);
      table.variants.forEach((v) => checkVariant(model, v, v.where));
      variants = table.variants;
      write = async (scores) => {
        await writeFileAtomic(args.output!, tableScoresTsv(table.variants, table.extraColumns, cols, scores));
        return [args.output!];
      };
    }
    const bar = progressBar("variants", cols.length * (opts.rcAverage ? 2 : 1), { quiet: args.json, unit: "scores" });
    let stage = 0;
    const scores = variants.length ? await scoreVariants(model, variants, { ...opts, onProgress: () => bar.update(stage++) }) : [];
    bar.stop();
    await model.release();
    const files = await write(scores);
    const summary = { variants: variants.length, scores: cols, seconds: (Date.now() - started) / 1000, files, ...(note ? { placement: note } : {}) };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else process.stderr.write(`${note ? `${note}\n` : ""}scored ${variants.length} variants (${cols.join(", ")}) in ${summary.seconds.toFixed(1)} s -> ${files.join(", ")}\n`);
  },
});
