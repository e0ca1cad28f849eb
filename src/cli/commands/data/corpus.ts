import { defineCommand } from "citty";
import { parseShardOption } from "../../../io/shard.js";
import { intOption, regionOption } from "../../args.js";
import { buildCorpusPart, mergeCorpusParts } from "../../../corpus/corpus-part.js";
import { buildCorpus } from "../../../corpus/build-corpus.js";
import { corpusFromTable } from "../../../corpus/corpus-from-table.js";
import { parseSplitFractions } from "../../../corpus/split.js";
import type { ManifestSource } from "../../../corpus/manifest.js";
import type { Corpus } from "../../../corpus/types.js";
import type { ExtractSummary } from "../../../sequence/extract-regions.js";

function report(corpus: Corpus, dir: string, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ output: dir, ...corpus }, null, 2) + "\n");
    return;
  }
  const t = corpus.totals;
  const lines = [
    `wrote corpus ${dir}: ${t.train} train, ${t.valid} valid, ${t.test} test; ${t.duplicatesRemoved} duplicate and ${t.tooShortRemoved ?? 0} too-short sequences removed`,
  ];
  for (const s of corpus.species) {
    lines.push(
      `  ${s.name}: ${s.counts.train}/${s.counts.valid}/${s.counts.test} (train/valid/test), ${s.duplicatesRemoved} duplicates, ${s.tooShortRemoved ?? 0} too short`,
    );
  }
  process.stderr.write(lines.join("\n") + "\n");
}

const common = {
  output: { type: "string", alias: "o", description: "output corpus folder", required: true },
  seed: { type: "string", description: "seed for the gene-key hash split", default: "42" },
  split: { type: "string", description: "train,valid,test fractions", default: "0.8,0.1,0.1" },
  json: { type: "boolean", description: "print corpus.json contents on stdout", default: false },
} as const;

const build = defineCommand({
  meta: { name: "build", description: "Build a corpus from a manifest TSV (species + genome/annotation or fasta columns)" },
  args: {
    manifest: { type: "string", description: "manifest TSV; relative paths resolve against its folder", required: true },
    region: { type: "string", description: "region for rows without a region column", default: "three_prime" },
    shard: {
      type: "string",
      description:
        "i/n: build only the i-th of n contiguous blocks of manifest rows (0-based) as a part folder; 'corpus merge' makes the corpus from all n parts",
    },
    ...common,
  },
  async run({ args }) {
    const shard = parseShardOption(args.shard);
    const options = {
      manifest: args.manifest,
      outDir: args.output,
      seed: intOption(args.seed, "seed", 0, Number.MAX_SAFE_INTEGER)!,
      splitFractions: parseSplitFractions(args.split),
      region: regionOption(args.region),
      onSource: (src: ManifestSource, n: number, s: ExtractSummary | undefined) => {
        if (!args.json)
          process.stderr.write(
            `  ${src.species}: ${n} regions${s ? ` (${s.skipped.offContig} off contig, ${s.skipped.unknownContig} on unknown contigs)` : ""}\n`,
          );
      },
    };
    if (shard) {
      const { part } = await buildCorpusPart({ ...options, shard });
      if (args.json) process.stdout.write(JSON.stringify({ output: args.output, ...part }, null, 2) + "\n");
      else
        process.stderr.write(
          `wrote corpus part ${shard.index}/${shard.count} (${part.sources.length} manifest rows, ${part.records} records) to ${args.output}; merge all parts with 'specieslm corpus merge'\n`,
        );
      return;
    }
    const { corpus } = await buildCorpus(options);
    report(corpus, args.output, args.json);
  },
});

const merge = defineCommand({
  meta: {
    name: "merge",
    description: "Merge the part folders of 'corpus build --shard i/n' (all n, any order) into the corpus the unsharded build writes",
  },
  args: {
    parts: { type: "positional", description: "part folders", required: true },
    output: common.output,
    json: common.json,
  },
  async run({ args }) {
    const corpus = await mergeCorpusParts(args._, args.output);
    report(corpus, args.output, args.json);
  },
});

const fromTable = defineCommand({
  meta: { name: "from-table", description: "Build a corpus from a TSV with columns species id sequence [split] [gene]" },
  args: {
    table: { type: "positional", description: "sequence table TSV (plain or gzip)", required: true },
    region: { type: "string", description: "region type to record in corpus.json" },
    ...common,
  },
  async run({ args }) {
    const corpus = await corpusFromTable({
      table: args.table,
      outDir: args.output,
      seed: intOption(args.seed, "seed", 0, Number.MAX_SAFE_INTEGER)!,
      splitFractions: parseSplitFractions(args.split),
      region: args.region,
    });
    report(corpus, args.output, args.json);
  },
});

export default defineCommand({
  meta: { name: "corpus", description: "Build multi-species training corpora (train/valid/test split by orthologous gene)" },
  subCommands: { build, "from-table": fromTable, merge },
});
