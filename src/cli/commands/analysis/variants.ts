import { defineCommand } from "citty";
import { InputError } from "../../../errors.js";
import { writeFileAtomic } from "../../../io/atomic-write.js";
import type { MaskedLanguageModel } from "../../../runtime/masked-lm.js";
import { loadVariantBaseline } from "../../../variants/baseline-scores.js";
import { SCORE_NAMES, type ScoreName, type ScoreOptions, VARIANT_SCORE_DEFAULTS } from "../../../variants/scores.js";
import { variantChange } from "../../../variants/variant.js";
import { placementNote, readVariantInput } from "../../../variants/variant-input.js";
import { scoreVariantInput, variantScoresTsv, vcfInputWithScores } from "../../../variants/variant-run.js";
import { parseColumnMap } from "../../../variants/variant-table.js";
import { given, intOption, jsonArgs, listOption, loadModelFromArgs, modelArgs, regionOption } from "../../args.js";
import { progressBar } from "../../progress.js";
import evaluate from "./variants-evaluate.js";

function scoreList(s: string | undefined): ScoreName[] | undefined {
  if (s === undefined) return undefined;
  const names = listOption(s);
  for (const n of names)
    if (!(SCORE_NAMES as readonly string[]).includes(n)) throw new InputError(`--scores: unknown score "${n}"; choose from ${SCORE_NAMES.join(", ")}`);
  return names as ScoreName[];
}

const tally = (xs: readonly string[]): Record<string, number> => {
  const m: Record<string, number> = {};
  for (const x of xs) m[x] = (m[x] ?? 0) + 1;
  return m;
};

export default defineCommand({
  meta: {
    name: "variants",
    description:
      "Zero-shot scores of SNVs, MNVs and indels (llr, influence, embedding_distance, delta_prob; k-mer baselines with --baseline) " +
      "from a sequence table (id species sequence pos ref alt), a genomic table (id chrom pos ref alt [gene]) or a VCF, both placed in the genes' " +
      "3'/5' regions. SNV llr: ln P(alt) - ln P(ref) with the base masked; indel/MNV llr: sum of ln P(base | rest) over the changed bases and " +
      "--pll-window nt either side, alt minus ref; influence: mean |log-odds change| over the unchanged positions, aligned across the length change; " +
      "delta_prob: NA for indels; unscorable variants (symbolic alleles, N, off the region) get NA and are counted. See docs/variant-scores.md. " +
      "`variants evaluate` scores them against labels",
  },
  args: {
    ...modelArgs,
    ...jsonArgs,
    model: { ...modelArgs.model, required: false, description: `${modelArgs.model.description}; may be left out when --baseline is given` },
    input: {
      type: "string",
      alias: "i",
      description:
        "sequence table TSV (id, sequence, pos 0-based, ref, alt, [species]), genomic table TSV (id, chrom, pos 1-based, ref, alt on the + strand, [gene]; other columns are copied) or a VCF (.vcf, .vcf.gz)",
    },
    output: { type: "string", alias: "o", description: "scores TSV (written atomically)" },
    columns: { type: "string", description: "table header names of the columns read, NAME=HEADER,... (e.g. id=variant_id)" },
    genome: { type: "string", description: "VCF / genomic table: genome FASTA the variants were called against" },
    annotation: {
      type: "string",
      description: "VCF / genomic table: GFF3/GTF annotation; variants are placed in the regions `extract` defines (GFF chrI = FASTA I)",
    },
    region: {
      type: "string",
      description: "VCF / genomic table: three_prime, five_prime or both (comma-separated)",
      default: "three_prime,five_prime",
    },
    species: { type: "string", description: "species of the genome (VCF, genomic table) or of table rows without a species column" },
    "species-proxy": { type: "string", description: "known species to use for species the model does not know" },
    scores: {
      type: "string",
      description: `comma-separated LM scores: ${SCORE_NAMES.join(", ")}`,
      default: "llr,influence,embedding_distance",
    },
    baseline: {
      type: "string",
      description: "k-mer baselines (folders `specieslm baseline fit` wrote, or a sim12 truth.json), comma-separated: one llr column each, e.g. kmer_2_2_llr",
    },
    "pll-window": {
      type: "string",
      description: "indel/MNV llr: W nt either side of the changed bases (default the model's k + 5; k-mer baselines use max(W, their context))",
    },
    "rc-average": {
      type: "boolean",
      description: "average each score with the variant read on the reverse-complement strand (strand-free models)",
      default: false,
    },
    calibrate: {
      type: "boolean",
      description: "add llr_calibrated (SNVs): llr minus the mean llr of the same central 5-mer and alt over the input sequences (reconstructs them whole)",
      default: false,
    },
    "influence-exclude": {
      type: "string",
      description: "influence leaves out N positions either side of the changed bases (k-1 = those read from tokens holding them)",
      default: String(VARIANT_SCORE_DEFAULTS.influenceExclude),
    },
    "delta-window": {
      type: "string",
      description: "delta_prob reads this many nt either side of the variant",
      default: String(VARIANT_SCORE_DEFAULTS.deltaWindow),
    },
    "embedding-layer": { type: "string", description: "first hidden layer of the embedding mean (default two thirds down)" },
    "batch-size": { type: "string", description: "rows per forward pass (default 32 up to 512 positions, fewer for longer models)" },
    "vcf-out": { type: "string", description: "VCF input: also write the input VCF with the scores as INFO fields (SLM_LLR, ...)" },
  },
  subCommands: { evaluate },
  run: async ({ args }) => {
    if (args._.length > 0) return; // a subcommand ran (citty also calls the parent's run)
    const baselinePaths = listOption(args.baseline);
    if ((!args.model && baselinePaths.length === 0) || !args.input || !args.output) {
      throw new InputError("variants needs --model (or --baseline), --input and --output (or the subcommand: specieslm variants evaluate)");
    }
    const opts: ScoreOptions = {
      ...(args.scores ? { scores: scoreList(args.scores)! } : {}),
      rcAverage: args["rc-average"],
      calibrate: args.calibrate,
      deltaWindow: intOption(args["delta-window"], "delta-window", 1, 500)!,
      influenceExclude: intOption(args["influence-exclude"], "influence-exclude", 0, 500)!,
      ...given("batchSize", intOption(args["batch-size"], "batch-size", 1, 4096)),
      ...(args["embedding-layer"] ? { embeddingLayer: intOption(args["embedding-layer"], "embedding-layer", 0, 1000)! } : {}),
    };
    const baselines = await Promise.all(baselinePaths.map(loadVariantBaseline));
    const dup = baselines.find((b, i) => baselines.findIndex((c) => c.column === b.column) !== i);
    if (dup) throw new InputError(`--baseline: two baselines give the same column ${dup.column}`);
    const started = Date.now();
    const model: MaskedLanguageModel | null = args.model ? await loadModelFromArgs({ ...args, model: args.model }) : null;
    // A species-agnostic model reads no species: its regions only need a label, not --species.
    const species = args.species ?? (model?.config.conditioning === "none" ? "unspecified" : undefined);
    const input = await readVariantInput({
      input: args.input,
      regions: listOption(args.region).map(regionOption),
      columns: parseColumnMap(args.columns),
      ...(args.genome ? { genome: args.genome } : {}),
      ...(args.annotation ? { annotation: args.annotation } : {}),
      ...(species !== undefined ? { species } : {}),
      ...(args["species-proxy"] ? { speciesProxy: args["species-proxy"] } : {}),
    });
    if (args["vcf-out"] && input.kind !== "vcf") throw new InputError("--vcf-out needs a VCF --input");
    const bar = progressBar("variants", 1, { quiet: args.json, unit: "scores" });
    const run = await scoreVariantInput({
      input,
      path: args.input,
      model,
      baselines,
      scores: opts,
      speciesProxy: args["species-proxy"],
      pllWindow: intOption(args["pll-window"], "pll-window", 0, 1000),
      onProgress: (done, total) => bar.update(done, total),
    }).finally(() => bar.stop());
    await model?.release();
    const { variants, reasons, columns: cols, pllWindow: window } = run;

    await writeFileAtomic(args.output, variantScoresTsv(input, run));
    const files = [args.output];
    if (input.kind === "vcf" && args["vcf-out"]) {
      await writeFileAtomic(args["vcf-out"], vcfInputWithScores(input, run, args.model ?? baselinePaths.join(",")));
      files.push(args["vcf-out"]);
    }
    const scorable = variants.filter((_, i) => reasons[i] === null);
    const summary = {
      variants: variants.length,
      scored: scorable.length,
      kinds: tally(variants.map((v) => variantChange(v).kind)),
      unscorable: tally(reasons.filter((r): r is string => r !== null)),
      na: Object.fromEntries(
        cols.map((c) => [c, run.scores.filter((s, i) => reasons[i] === null && !Number.isFinite(s[c] ?? NaN)).length]).filter(([, n]) => n),
      ),
      scores: cols,
      pllWindow: window,
      seconds: (Date.now() - started) / 1000,
      files,
      ...(input.kind !== "sequence" ? { placement: input.summary } : {}),
    };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else {
      const list = (m: Record<string, number>) =>
        Object.entries(m)
          .map(([k, n]) => `${k} ${n}`)
          .join(", ");
      process.stderr.write(
        [
          ...(input.kind !== "sequence" ? [placementNote(input.summary)] : []),
          `scored ${scorable.length} of ${variants.length} variants (${list(summary.kinds) || "none"}; ${cols.join(", ")}; PLL window ${window} nt) in ${summary.seconds.toFixed(1)} s -> ${files.join(", ")}`,
          ...(scorable.length < variants.length ? [`not scored (NA): ${list(summary.unscorable)}`] : []),
          ...(Object.keys(summary.na).length ? [`NA among the scored (score undefined, e.g. delta_prob for indels): ${list(summary.na)}`] : []),
        ].join("\n") + "\n",
      );
    }
  },
});
