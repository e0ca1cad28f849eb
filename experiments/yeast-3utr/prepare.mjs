// Builds the inputs of the real-yeast experiment from ../shared/data (nothing is copied into the repo):
//   OUT/spombe_3prime.fa   S. pombe: stop codon (end of the CDS) + 3'UTR, cut to 300 nt
//   OUT/manifest.tsv       S. paradoxus strains, S. cerevisiae strains other than S288C (genome + GFF),
//                          C. albicans 200 nt after the stop codon, S. pombe (above)
// Usage: node experiments/yeast-3utr/prepare.mjs OUT
import { createReadStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";

const out = resolve(process.argv[2] ?? "runs/yeast-3utr");
const data = resolve(new URL("../../../shared/data", import.meta.url).pathname);
await mkdir(out, { recursive: true });

const lines = createInterface({ input: createReadStream(join(data, "spombe/transcription_units_halflife.tsv.gz")).pipe(createGunzip()) });
let header = null;
const fasta = [];
for await (const line of lines) {
  const f = line.split("\t");
  if (!header) {
    header = f;
    continue;
  }
  const col = (name) => f[header.indexOf(name)];
  const cds = col("cds_seqs"),
    utr = col("UTR3_seq"),
    id = col("gene_id");
  if (!cds || cds === "NA" || !utr || utr === "NA" || !/^T(AA|AG|GA)$/.test(cds.slice(-3))) continue;
  fasta.push(`>${id} species=schizosaccharomyces_pombe region=three_prime\n${(cds.slice(-3) + utr).slice(0, 300)}`);
}
await writeFile(join(out, "spombe_3prime.fa"), fasta.join("\n") + "\n");

const strains = {
  saccharomyces_paradoxus: ["CBS432", "N44", "UWOPS919171"],
  saccharomyces_cerevisiae: ["DBVPG6044", "DBVPG6765", "SK1", "Y12", "YPS128", "UWOPS034614"],
};
const rows = ["species\tgenome\tannotation\tfasta\tregion"];
for (const [species, names] of Object.entries(strains)) {
  for (const s of names) rows.push(`${species}\t${data}/strains/genome/${s}.genome.fa.gz\t${data}/strains/gff/${s}.all_feature.gff.gz\t\tthree_prime`);
}
rows.push(`candida_albicans\t\t\t${data}/calbicans/SC5314_stop_downstream_200nt.fa.gz\tthree_prime`);
rows.push(`schizosaccharomyces_pombe\t\t\t${join(out, "spombe_3prime.fa")}\tthree_prime`);
await writeFile(join(out, "manifest.tsv"), rows.join("\n") + "\n");
console.error(`S. pombe: ${fasta.length} regions; manifest with ${rows.length - 1} sources -> ${out}`);
