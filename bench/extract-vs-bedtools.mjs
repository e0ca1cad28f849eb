// Benchmark: 3' region extraction (stop codon + 297 nt) from the 10 shared strain genomes, our code vs
// `bedtools getfasta -s -nameOnly` on the same intervals. Sequences must be identical.
//
// Usage (from the repo root):
//   npm run build && node bench/extract-vs-bedtools.mjs [DATA_DIR] [BEDTOOLS]
// DATA_DIR defaults to ../shared/data/strains, BEDTOOLS to /usr/bin/bedtools.
//
// Our timing covers reading the .fa.gz (gunzip + parse into memory), reading the GFF and extracting.
// bedtools cannot read plain gzip, so each genome is first decompressed to a temp dir; that time is
// reported separately, as is bedtools' own run (which also builds the .fai on first use).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { extractRegions, loadGeneModels, loadGenome } from "../dist/index.js";

const dataDir = resolve(process.argv[2] ?? "../shared/data/strains");
const bedtools = process.argv[3] ?? "/usr/bin/bedtools";
const strains = readdirSync(join(dataDir, "genome"))
  .filter((f) => f.endsWith(".genome.fa.gz"))
  .map((f) => f.replace(".genome.fa.gz", ""))
  .sort();
const tmp = mkdtempSync(join(tmpdir(), "slm-bench-"));
const ms = (t0) => performance.now() - t0;
const totals = { ours: 0, decompress: 0, bedtools: 0, regions: 0, mismatches: 0 };

console.log("strain\tregions\tgenome_ms\tgff_ms\textract_ms\tours_ms\tdecompress_ms\tbedtools_ms\tidentical");
for (const strain of strains) {
  let t0 = performance.now();
  const genome = await loadGenome(join(dataDir, "genome", `${strain}.genome.fa.gz`));
  const load = ms(t0);
  const models = await loadGeneModels(join(dataDir, "gff", `${strain}.all_feature.gff.gz`));
  const gff = ms(t0) - load;
  const { regions } = await extractRegions(genome, models, { species: strain, region: "three_prime" });
  const ours = ms(t0);

  t0 = performance.now();
  const fa = join(tmp, `${strain}.fa`);
  writeFileSync(fa, gunzipSync(readFileSync(join(dataDir, "genome", `${strain}.genome.fa.gz`))));
  const decompress = ms(t0);

  const bed = join(tmp, `${strain}.bed`);
  writeFileSync(bed, regions.map((r) => `${r.contig}\t${r.start}\t${r.end}\t${r.geneId}\t0\t${r.strand}\n`).join(""));
  const out = join(tmp, `${strain}.out.fa`);
  t0 = performance.now();
  execFileSync(bedtools, ["getfasta", "-fi", fa, "-bed", bed, "-s", "-nameOnly", "-fo", out], { stdio: "pipe" });
  const bt = ms(t0);

  // bedtools -nameOnly -s appends "(+)"/"(-)" to the name.
  const theirs = new Map();
  const lines = readFileSync(out, "utf8").split("\n");
  for (let i = 0; i + 1 < lines.length; i += 2) theirs.set(lines[i].slice(1).replace(/\([+-]\)$/, ""), lines[i + 1].toUpperCase());
  let mismatches = 0;
  for (const r of regions) if (theirs.get(r.geneId) !== Buffer.from(r.sequence).toString("latin1")) mismatches++;
  if (theirs.size !== regions.length) mismatches += Math.abs(theirs.size - regions.length);

  console.log(
    `${strain}\t${regions.length}\t${load.toFixed(0)}\t${gff.toFixed(0)}\t${(ours - load - gff).toFixed(0)}\t${ours.toFixed(0)}\t${decompress.toFixed(0)}\t${bt.toFixed(0)}\t${mismatches === 0 ? "yes" : `NO (${mismatches})`}`,
  );
  Object.assign(totals, {
    ours: totals.ours + ours,
    decompress: totals.decompress + decompress,
    bedtools: totals.bedtools + bt,
    regions: totals.regions + regions.length,
    mismatches: totals.mismatches + mismatches,
  });
}
rmSync(tmp, { recursive: true, force: true });
console.log(
  `total\t${totals.regions}\t\t\t\t${totals.ours.toFixed(0)}\t${totals.decompress.toFixed(0)}\t${totals.bedtools.toFixed(0)}\t${totals.mismatches === 0 ? "yes" : `NO (${totals.mismatches})`}`,
);
console.log(
  `time ratio ours / bedtools getfasta: ${(totals.ours / totals.bedtools).toFixed(2)}; ` +
    `ours / (decompress + bedtools): ${(totals.ours / (totals.decompress + totals.bedtools)).toFixed(2)}`,
);
if (totals.mismatches > 0) process.exitCode = 1;
