import { defineCommand } from "citty";
import { extractRegionsFromFiles } from "../../../sequence/extract-files.js";
import type { ExtractSummary } from "../../../sequence/extract-regions.js";
import { writeRegionsFasta } from "../../../sequence/region-fasta.js";
import { parseShardOption } from "../../../io/shard.js";
import { intOption, jsonArgs, regionOption, shardArgs } from "../../args.js";

function summaryText(s: ExtractSummary, out: string): string {
  const k = s.skipped;
  return (
    [
      `wrote ${s.written} ${s.region} regions (${s.length} nt, species ${s.species}) to ${out}`,
      `  genes in annotation: ${s.annotationGenes}; truncated kept: ${s.truncatedKept}`,
      `  skipped: ${k.unknownContig} on unknown contigs${s.unmatchedContigs.length ? ` (${s.unmatchedContigs.join(", ")})` : ""}, ` +
        `${k.offContig} running off a contig, ${k.nonCoding} non-coding, ${k.noStrand} without strand`,
      `  codon check (${s.codon.expected}): ${s.codon.withCodon} with, ${s.codon.withoutCodon} without` +
        (s.codon.withoutCodonExamples.length ? ` (e.g. ${s.codon.withoutCodonExamples.slice(0, 5).join(", ")})` : ""),
      `  CDS extended by a stop codon found in the sequence: ${s.stopCodonAddedFromSequence}`,
    ].join("\n") + "\n"
  );
}

export default defineCommand({
  meta: {
    name: "extract",
    description: "Extract 3' (stop codon + downstream) or 5' (upstream + start codon) regions per protein-coding gene",
  },
  args: {
    genome: { type: "string", description: "genome FASTA (plain, gzip or bgzip)", required: true },
    annotation: { type: "string", description: "GFF3 or GTF annotation (plain or gzip)", required: true },
    species: { type: "string", description: "species label written into headers", required: true },
    region: { type: "string", description: "three_prime | five_prime", default: "three_prime" },
    length: { type: "string", description: "total region length (default 300 for three_prime, 1003 for five_prime)" },
    "keep-truncated": { type: "boolean", description: "keep regions running off a contig, shortened", default: false },
    ...shardArgs,
    ...jsonArgs,
    output: { type: "string", alias: "o", description: "output FASTA path", required: true },
  },
  async run({ args }) {
    const shard = parseShardOption(args.shard);
    const result = await extractRegionsFromFiles({
      genome: args.genome,
      annotation: args.annotation,
      species: args.species,
      region: regionOption(args.region),
      length: intOption(args.length, "length", 3),
      keepTruncated: args["keep-truncated"],
      shard,
    });
    await writeRegionsFasta(args.output, result.regions);
    if (args.json) process.stdout.write(JSON.stringify({ output: args.output, ...result.summary }, null, 2) + "\n");
    else process.stderr.write(summaryText(result.summary, args.output));
  },
});
