import { defineCommand } from "citty";
import { stat } from "node:fs/promises";
import { loadKmerModel } from "../../../baselines/kmer-store.js";
import { readMotifDatabase, readMotifFile } from "../../../pwm/load-motifs.js";
import type { Motif } from "../../../pwm/motif.js";
import { renderMemeMinimal } from "../../../pwm/meme-writer.js";
import { InputError } from "../../../errors.js";
import { readSequenceInput } from "../../../infer/sequence-input.js";
import { writeFileAtomic } from "../../../io/atomic-write.js";
import { contributionTrack } from "../../../motifs/contribution-scores.js";
import { discoverMotifs } from "../../../motifs/discover-motifs.js";
import {
  COLUMN_SCORES,
  CONTRIBUTION_SCORES,
  type ColumnScore,
  type ContributionScore,
  MOTIF_DEFAULTS as D,
  type SeqletNull,
} from "../../../motifs/discovery-defaults.js";
import { renderMotifReportHtml } from "../../../motifs/motif-report-html.js";
import { matchesTsv, patternsTsv, seqletsTsv } from "../../../motifs/motif-tables.js";
import { readReconstructionTsv } from "../../../infer/reconstruction-tsv-reader.js";
import { matchMotifs, type MatchOptions } from "../../../motifs/tomtom.js";
import { floatOption, intOption, jsonArgs, listOption, oneOf } from "../../args.js";

/** The motif files of --db FILE[,FILE] and their motifs. */
async function readDatabase(list: string): Promise<{ files: string[]; motifs: Motif[] }> {
  const files = listOption(list);
  return { files, motifs: await readMotifDatabase(files) };
}

/**
 * Baseline predictions for the vs-baseline score: a k-mer model folder (`specieslm baseline fit`),
 * read under each sequence's species, or a reconstruction TSV of the same ids.
 */
async function baselinePredictions(path: string, species: ReadonlyMap<string, string>): Promise<(id: string, sequence: string) => Float32Array> {
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    const model = await loadKmerModel(path);
    return (id, sequence) => model.predictSequence(sequence, species.get(id) ?? "");
  }
  const byId = new Map((await readReconstructionTsv(path)).map((r) => [r.id, r]));
  return (id, sequence) => {
    const r = byId.get(id);
    if (!r || r.sequence !== sequence.toUpperCase()) throw new InputError(`baseline ${path} has no reconstruction of "${id}" with the same sequence`);
    return r.probs;
  };
}

const matchArgs = {
  "match-score": { type: "string", description: `column score: ${COLUMN_SCORES.join(" | ")}`, default: D.matchScore },
  "min-overlap": { type: "string", description: "fewest overlapping columns of an alignment", default: String(D.minOverlap) },
  "single-strand": {
    type: "boolean",
    description: "only the given strand (strand-specific, e.g. RNA-binding motifs in 3' regions)",
    default: false,
  },
} as const;

function matchOptions(args: { "match-score": string; "min-overlap": string; "single-strand": boolean }): MatchOptions {
  return {
    score: oneOf<ColumnScore>(args["match-score"], COLUMN_SCORES, "match-score"),
    minOverlap: intOption(args["min-overlap"], "min-overlap", 1, 100)!,
    bothStrands: !args["single-strand"],
  };
}

const discover = defineCommand({
  meta: {
    name: "discover",
    description:
      "Motifs from a reconstruction: seqlets, patterns, logos; writes PREFIX.meme, PREFIX.patterns.tsv, PREFIX.seqlets.tsv, PREFIX.html (and PREFIX.matches.tsv with --db)",
  },
  args: {
    ...jsonArgs,
    ...matchArgs,
    reconstruction: {
      type: "string",
      alias: "r",
      description: "reconstruction TSV (id pos ref A C G T) from specieslm reconstruct",
      required: true,
    },
    output: { type: "string", alias: "o", description: "output prefix", required: true },
    input: {
      type: "string",
      alias: "i",
      description: "the sequences the reconstruction came from (FASTA species=NAME or TSV id, species, sequence): gives each id its species",
    },
    score: {
      type: "string",
      description: `per-nucleotide score: ${CONTRIBUTION_SCORES.join(" | ")} (log-ratio also lights up predictable GC-rich background)`,
      default: D.score,
    },
    baseline: {
      type: "string",
      description:
        "for --score vs-baseline: a k-mer model folder (specieslm baseline fit; species from --input) or a baseline's reconstruction TSV; " +
        `without it, a (${D.selfBaselineLeft},${D.selfBaselineRight}) k-mer table per species is fitted on the analysed sequences (as baseline fit --left ${D.selfBaselineLeft} --right ${D.selfBaselineRight}; sites counting in their own contexts can only lower motif scores a little)`,
    },
    "by-species": { type: "boolean", description: "discover separately in each species' sequences (needs --input)", default: false },
    db: { type: "string", description: "known motifs to match against: FILE[,FILE] (MEME, TRANSFAC, JASPAR or consensus list)" },
    fdr: { type: "string", description: "false discovery rate of seqlet windows", default: String(D.fdr) },
    null: { type: "string", description: "seqlet null: empirical | laplace", default: D.null },
    window: { type: "string", description: "seqlet window (nt)", default: String(D.window) },
    flank: { type: "string", description: "bases added each side of a seqlet window", default: String(D.flank) },
    similarity: {
      type: "string",
      description: "continuous-Jaccard similarity a seqlet needs to join a pattern",
      default: String(D.similarity),
    },
    "min-seqlets": {
      type: "string",
      description: `fewest seqlets per pattern (and at least ${D.minFraction * 100}% of all seqlets)`,
      default: String(D.minSeqlets),
    },
    trim: {
      type: "string",
      description: "trim pattern columns whose contribution is below this fraction of the largest column",
      default: String(D.trim),
    },
    extend: {
      type: "string",
      description: "after trimming, add up to N columns each side where the members' sequences agree (0 = off)",
      default: String(D.extend),
    },
    "extend-bits": {
      type: "string",
      description: "relative entropy (bits, over the base composition) a column needs to be added by --extend",
      default: String(D.extendBits),
    },
    words: {
      type: "boolean",
      description:
        "also take seqlets at the strong occurrences of recurrent words (k-mers whose occurrences score significantly above the null on average): finds motifs the model knows faintly; --no-words turns it off",
      default: D.words,
    },
    "word-quantile": {
      type: "string",
      description: "quantile of the null's word sums that a recurrent word's mean, and each occurrence taken, must reach",
      default: String(D.wordQuantile),
    },
    "min-columns": {
      type: "string",
      description: "fewest pattern columns carrying a tenth of the largest column's contribution (one lone base is a baseline's error, not a motif)",
      default: String(D.minColumns),
    },
    "max-patterns": { type: "string", description: "most patterns per run", default: String(D.maxPatterns) },
    seed: { type: "string", description: "seed of the null's shuffles", default: String(D.seed) },
  },
  run: async ({ args }) => {
    const started = Date.now();
    const score = oneOf<ContributionScore>(args.score, CONTRIBUTION_SCORES, "score");
    const nullKind = oneOf<SeqletNull>(args.null, ["empirical", "laplace"], "null");
    const match = matchOptions(args);
    const opts = {
      fdr: floatOption(args.fdr, "fdr", 1e-6, 0.5)!,
      window: intOption(args.window, "window", 2, 100)!,
      flank: intOption(args.flank, "flank", 0, 100)!,
      similarity: floatOption(args.similarity, "similarity", 0, 1)!,
      minSeqlets: intOption(args["min-seqlets"], "min-seqlets", 2)!,
      trim: floatOption(args.trim, "trim", 0, 1)!,
      extend: intOption(args.extend, "extend", 0, 50)!,
      extendBits: floatOption(args["extend-bits"], "extend-bits", 0, 2)!,
      words: args.words,
      wordQuantile: floatOption(args["word-quantile"], "word-quantile", 0.5, 0.9999)!,
      minColumns: intOption(args["min-columns"], "min-columns", 1, 50)!,
      maxPatterns: intOption(args["max-patterns"], "max-patterns", 1, 1000)!,
      seed: intOption(args.seed, "seed", 0)!,
      null: nullKind,
      bothStrands: match.bothStrands!,
    };
    if (args["by-species"] && !args.input) throw new InputError("--by-species needs --input, the sequence file that names each id's species");
    const db = args.db ? await readDatabase(args.db) : undefined;
    const records = await readReconstructionTsv(args.reconstruction);
    const species = new Map<string, string>();
    if (args.input) for await (const r of readSequenceInput(args.input)) if (r.species !== null) species.set(r.id, r.species);
    if (args.baseline !== undefined && score !== "vs-baseline") throw new InputError(`--baseline goes with --score vs-baseline, not --score ${score}`);
    const baseline = args.baseline ? await baselinePredictions(args.baseline, species) : undefined;
    const track = contributionTrack(records, { score, species, ...(baseline ? { baseline } : {}) });
    const d = discoverMotifs(track, { ...opts, bySpecies: args["by-species"], ...(db ? { database: db.motifs } : {}), match });
    const files = [`${args.output}.meme`, `${args.output}.patterns.tsv`, `${args.output}.seqlets.tsv`, `${args.output}.html`];
    await writeFileAtomic(
      files[0]!,
      renderMemeMinimal(
        d.motifs.map((m) => m.motif),
        undefined,
        args["single-strand"] ? "+" : "+ -",
      ),
    );
    await writeFileAtomic(files[1]!, patternsTsv(d));
    await writeFileAtomic(files[2]!, seqletsTsv(d));
    await writeFileAtomic(
      files[3]!,
      renderMotifReportHtml(d, {
        title: "Motifs discovered from reconstructions",
        input: args.reconstruction,
        score: score === "vs-baseline" && !baseline ? `vs-baseline (self-fitted (${D.selfBaselineLeft},${D.selfBaselineRight}) k-mer table)` : score,
        databases: db?.files ?? [],
        createdAt: new Date().toISOString(),
      }),
    );
    if (db) {
      files.push(`${args.output}.matches.tsv`);
      await writeFileAtomic(files[4]!, matchesTsv(d.motifs.map((m) => m.matches)));
    }
    const summary = {
      sequences: track.ids.length,
      seqlets: d.groups.reduce((s, g) => s + g.seqlets.seq.length, 0),
      patterns: d.motifs.map((m) => ({
        id: m.motif.id,
        family: m.family,
        consensus: m.consensus,
        seqlets: m.support.seqlets,
        sequences: m.support.sequences,
        bestMatch: m.matches[0]
          ? { target: m.matches[0].target.id, name: m.matches[0].target.name, pValue: m.matches[0].pValue, qValue: m.matches[0].qValue }
          : null,
      })),
      seconds: (Date.now() - started) / 1000,
      files,
    };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else {
      for (const p of summary.patterns) {
        const b = p.bestMatch ? `\t${p.bestMatch.name} (${p.bestMatch.target}) q=${p.bestMatch.qValue.toPrecision(2)}` : "";
        process.stderr.write(`${p.id}\t${p.consensus}\t${p.seqlets} seqlets\t${p.sequences} sequences${b}\n`);
      }
      process.stderr.write(
        `${summary.patterns.length} patterns from ${summary.seqlets} seqlets in ${summary.sequences} sequences, ${summary.seconds.toFixed(1)} s -> ${files.join(", ")}\n`,
      );
    }
  },
});

const matchCmd = defineCommand({
  meta: {
    name: "match",
    description: "Tomtom-style comparison of query motifs with a database: p-, E- and q-values per query and target, as TSV",
  },
  args: {
    ...jsonArgs,
    ...matchArgs,
    query: { type: "string", alias: "q", description: "query motifs (MEME, TRANSFAC, JASPAR or consensus list)", required: true },
    db: { type: "string", description: "database motif files FILE[,FILE...]", required: true },
    output: { type: "string", alias: "o", description: "output TSV (written atomically)", required: true },
    "q-threshold": { type: "string", description: "keep matches with q at or below this", default: "0.5" },
  },
  run: async ({ args }) => {
    const started = Date.now();
    const qMax = floatOption(args["q-threshold"], "q-threshold", 0, 1)!;
    const queries = await readMotifFile(args.query);
    if (queries.length === 0) process.stderr.write(`note: ${args.query} holds no motifs; the matches table is empty\n`);
    const db = await readDatabase(args.db);
    const all = matchMotifs(queries, db.motifs, matchOptions(args));
    const kept = all.map((ms) => ms.filter((m) => m.qValue <= qMax));
    await writeFileAtomic(args.output, matchesTsv(kept));
    const summary = {
      queries: queries.length,
      database: db.motifs.length,
      matches: kept.reduce((s, m) => s + m.length, 0),
      best: all.map((ms) => ({
        query: ms[0]!.query.id,
        target: ms[0]!.target.id,
        name: ms[0]!.target.name,
        pValue: ms[0]!.pValue,
        qValue: ms[0]!.qValue,
      })),
      seconds: (Date.now() - started) / 1000,
      output: args.output,
    };
    if (args.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else {
      for (const b of summary.best)
        process.stderr.write(`${b.query}\tbest ${b.name} (${b.target})\tp=${b.pValue.toPrecision(2)}\tq=${b.qValue.toPrecision(2)}\n`);
      process.stderr.write(
        `${summary.matches} matches with q <= ${qMax} for ${summary.queries} queries against ${summary.database} motifs -> ${args.output}\n`,
      );
    }
  },
});

export default defineCommand({
  meta: {
    name: "motifs",
    description: "Motif discovery from reconstructions (discover) and Tomtom-style matching to known motifs (match)",
  },
  subCommands: { discover, match: matchCmd },
});
