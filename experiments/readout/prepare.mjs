// Builds the readout tables of experiments/readout/run.sh from ../shared/data (nothing is copied into the
// repository): S. cerevisiae R64 3' regions (stop + 297 nt, from `specieslm extract`) joined with the Sun
// 2013 wild-type half-lives, codon counts and the Cheng et al. 2017 features; the six-dataset half-life
// table; S. pombe 3' regions (stop codon + the first 297 nt of the annotated 3'UTR: no genome is staged)
// with half-lives and codon counts; the DREAM MPRA with ids; and the Puf3 labels from the deletion strains.
// usage: node experiments/readout/prepare.mjs OUT   (after OUT/r64_3prime.fa exists)
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

const OUT = process.argv[2];
const DATA = "../shared/data";
const tsv = (path) => {
  const raw = path.endsWith(".gz") ? gunzipSync(readFileSync(path)).toString("utf8") : readFileSync(path, "utf8");
  const [head, ...rows] = raw
    .trimEnd()
    .split("\n")
    .map((l) => l.split("\t"));
  return { head, rows, col: (name) => head.indexOf(name) };
};
const fasta = (path) => {
  const out = new Map();
  for (const block of readFileSync(path, "utf8").split(">").slice(1)) {
    const [h, ...seq] = block.split("\n");
    out.set(h.split(/\s/)[0], seq.join("").toUpperCase());
  }
  return out;
};
const codonCols = (t) => t.head.slice(t.col("TTT"), t.col("GGG") + 1);
const write = (name, head, rows) => {
  writeFileSync(`${OUT}/${name}`, [head.join("\t"), ...rows.map((r) => r.join("\t"))].join("\n") + "\n");
  process.stderr.write(`${name}: ${rows.length} records\n`);
};

// S. cerevisiae: R64 3' regions + Sun 2013 (wild-type half-life, codon counts, Cheng features)
const r64 = fasta(`${OUT}/r64_3prime.fa`);
const sun = tsv(`${DATA}/halflife/scer_sun2013_utrs.tsv.gz`);
const cheng = [
  "UTR5_length",
  "UTR3_length",
  "CDS_length",
  "GC_content_UTR3",
  "GC_content_CDS",
  "GC3_content_CDS",
  "tAI",
  "num_uAUG",
  "num_uORF",
  "TGTAAATA",
  "TGCAT",
  "ATATATGC",
  "AAACAAA",
  "TTTTTTA",
  "ATATTC",
  "UTR3_deltaG",
  "UTR5_deltaG",
];
const scerHead = ["id", "species", "sequence", "halflife", ...codonCols(sun), ...cheng];
let noRegion = 0,
  missing = 0;
const scerRows = [];
for (const r of sun.rows) {
  const seq = r64.get(r[sun.col("genename")]);
  if (!seq) {
    noRegion++;
    continue;
  }
  const vals = scerHead.slice(3).map((c) => r[sun.col(c === "halflife" ? "hlt.wt" : c)]);
  if (vals.some((v) => v === "NA" || v === "" || v === undefined)) {
    missing++;
    continue;
  }
  scerRows.push([r[sun.col("genename")], "saccharomyces_cerevisiae", seq, ...vals]);
}
process.stderr.write(`scer: ${noRegion} genes without an R64 3' region, ${missing} with a missing feature\n`);
write("scer_sun2013.tsv", scerHead, scerRows);

// the six-dataset table (Miller, Presnyak, Geisberg, Sun, Gupta, Neymotin), same R64 regions, with the
// codon counts of the Sun 2013 table for the genes in both
const six = tsv(`${DATA}/halflife/scer_3utr_halflife_6datasets.tsv.gz`);
const sets = ["Miller", "Presnyak", "Geisberg", "Sun", "Gupta", "Neymotin"];
const codonsOf = new Map(sun.rows.map((r) => [r[sun.col("genename")], codonCols(sun).map((c) => r[sun.col(c)])]));
write(
  "scer_6datasets.tsv",
  ["id", "species", "sequence", ...sets, ...codonCols(sun)],
  six.rows
    .filter((r) => r64.has(r[six.col("genename")]) && codonsOf.has(r[six.col("genename")]))
    .map((r) => [
      r[six.col("genename")],
      "saccharomyces_cerevisiae",
      r64.get(r[six.col("genename")]),
      ...sets.map((s) => r[six.col(s)]),
      ...codonsOf.get(r[six.col("genename")]),
    ]),
);

// S. pombe: stop codon + 3'UTR (up to 297 nt)
const pombe = tsv(`${DATA}/spombe/transcription_units_halflife.tsv.gz`);
const pombeRows = [];
for (const r of pombe.rows) {
  const cds = r[pombe.col("cds_seqs")],
    utr = r[pombe.col("UTR3_seq")];
  const stop = cds.slice(-3).toUpperCase();
  if (!/^(TAA|TAG|TGA)$/.test(stop) || !utr || utr === "NA") continue;
  pombeRows.push([
    r[pombe.col("gene_id")],
    "schizosaccharomyces_pombe",
    stop + utr.slice(0, 297).toUpperCase(),
    r[pombe.col("half.life")],
    ...codonCols(pombe).map((c) => r[pombe.col(c)]),
  ]);
}
write("spombe.tsv", ["id", "species", "sequence", "halflife", ...codonCols(pombe)], pombeRows);

// DREAM random-promoter MPRA: sequence, expression (no header, no ids)
const mpra = readFileSync(`${DATA}/mpra/dream2022_random_promoters_train.txt`, "utf8")
  .trimEnd()
  .split("\n")
  .map((l) => l.split("\t"));
write(
  "mpra.tsv",
  ["id", "species", "sequence", "expression"],
  mpra.map(([s, e], i) => [`m${i}`, "saccharomyces_cerevisiae", s, e]),
);

// Puf3: genes stabilised in puf3-delta (log2 half-life ratio to wild type above the 95th percentile of genes
// with no TGTAAATA in their 3'UTR, i.e. a 5% false-positive rate among genes Puf3 cannot bind there)
const del = tsv(`${DATA}/halflife/scer_sun2013_deletion_strains.tsv.gz`);
const ratio = del.rows
  .map((r) => ({
    id: r[del.col("genename")],
    lfc: Math.log2(Number(r[del.col("PUF3")]) / Number(r[del.col("WILD")])),
    utr: r[del.col("UTR3_seq")] ?? "",
  }))
  .filter((g) => Number.isFinite(g.lfc));
const noSite = ratio
  .filter((g) => !g.utr.includes("TGTAAATA"))
  .map((g) => g.lfc)
  .sort((a, b) => a - b);
const cut = noSite[Math.ceil(0.95 * noSite.length) - 1];
const labelled = ratio.filter((g) => r64.has(g.id));
write(
  "puf3_labels.tsv",
  ["id", "label", "log2_puf3_over_wt"],
  labelled.map((g) => [g.id, g.lfc > cut ? "bound" : "unbound", g.lfc.toFixed(4)]),
);
process.stderr.write(
  `puf3: threshold log2(puf3/wt) > ${cut.toFixed(3)} (95th percentile of ${noSite.length} genes without TGTAAATA in the 3'UTR); ` +
    `${labelled.filter((g) => g.lfc > cut).length} of ${labelled.length} genes stabilised\n`,
);
writeFileSync(`${OUT}/puf3_threshold.txt`, `${cut}\n`);
