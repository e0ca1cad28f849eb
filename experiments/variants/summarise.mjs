#!/usr/bin/env node
// Joins the variant table with each model's scores and the k-mer llr, evaluates every score (AUROC with
// DeLong intervals, AUPRC) on all variants and on two subsets (motif variants at offsets where the
// family's consensus differs between species, and where it does not, each against all background
// variants), prints a markdown table and writes the joined TSV and the HTML report.
//
//   node experiments/variants/summarise.mjs --variants variants.tsv --scores embedding=emb.tsv,none=none.tsv
//        --kmer kmer22=kmer.tsv:kmer_2_2_llr,ceiling=kmer.tsv:markov_ceiling_llr -o OUT_PREFIX [--report docs/variants-sim12-report.html]
import { readFileSync, writeFileSync } from "node:fs";
import { evaluateVariantScores } from "../../dist/variants/variant-evaluation.js";
import { renderVariantReportHtml } from "../../dist/variants/variant-report-html.js";

const a = {};
for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].replace(/^-+/, "")] = process.argv[i + 1];
const read = (p) =>
  readFileSync(p, "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split("\t"));
const [vHead, ...vRows] = read(a.variants);
const keep = ["id", "species", "pos", "ref", "alt", "label", "family", "variable"];
const columns = [...keep];
const rows = vRows.map((r) => keep.map((k) => r[vHead.indexOf(k)]));
const scoreCols = [];
for (const spec of (a.scores ?? "").split(",").filter(Boolean)) {
  const [name, path] = spec.split("=");
  const [h, ...rs] = read(path);
  for (const c of ["llr", "influence", "embedding_distance"].filter((c) => h.includes(c))) {
    columns.push(`${name}.${c}`);
    scoreCols.push(`${name}.${c}`);
    rs.forEach((r, i) => {
      if (r[0] !== rows[i][0]) throw new Error(`${path}: row ${i + 1} is ${r[0]}, expected ${rows[i][0]}`);
      rows[i].push(r[h.indexOf(c)]);
    });
  }
}
// --kmer name=path:column,... : baseline llr columns of `specieslm variants --baseline` (kmer_2_2_llr, markov_ceiling_llr)
for (const spec of (a.kmer ?? "").split(",").filter(Boolean)) {
  const [name, rest] = spec.split("=");
  const [path, column = "kmer_2_2_llr"] = rest.split(":");
  const [h, ...rs] = read(path);
  if (!h.includes(column)) throw new Error(`${path}: no column ${column}`);
  columns.push(`${name}.llr`);
  scoreCols.push(`${name}.llr`);
  rs.forEach((r, i) => {
    if (r[0] !== rows[i][0]) throw new Error(`${path}: row ${i + 1} is ${r[0]}, expected ${rows[i][0]}`);
    rows[i].push(r[h.indexOf(column)]);
  });
}
writeFileSync(`${a.o}.tsv`, [columns, ...rows].map((r) => r.join("\t")).join("\n") + "\n");
const at = (r, c) => r[columns.indexOf(c)];
const subsets = {
  all: () => true,
  "variable offsets": (r) => at(r, "label") === "0" || at(r, "variable") === "1",
  "conserved offsets": (r) => at(r, "label") === "0" || at(r, "variable") === "0",
};
const results = {};
for (const [name, keepRow] of Object.entries(subsets)) {
  results[name] = evaluateVariantScores(
    { path: `${a.o}.tsv (${name})`, columns, rows: rows.filter(keepRow) },
    { label: "label", scores: scoreCols, title: `sim12 variants: motif-breaking vs background (${name})` },
  );
}
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : "-");
const names = results.all.scores.map((s) => s.name);
console.log(
  `| score | ${Object.keys(subsets)
    .map((s) => `AUROC ${s} [95% CI] (n+/n-)`)
    .join(" | ")} | AUPRC all |`,
);
console.log(
  `| --- | ${Object.keys(subsets)
    .map(() => "---:")
    .join(" | ")} | ---: |`,
);
for (const n of names) {
  const cells = Object.values(results).map((e) => {
    const s = e.scores.find((x) => x.name === n).auroc;
    return `${f3(s.auroc)} [${f3(s.ci95[0])}, ${f3(s.ci95[1])}] (${s.positives}/${s.negatives})`;
  });
  console.log(`| ${n} | ${cells.join(" | ")} | ${f3(results.all.scores.find((x) => x.name === n).auprc.auprc)} |`);
}
const cmp = (e, x, y) => e.comparisons.find((c) => (c.a === x && c.b === y) || (c.a === y && c.b === x));
for (const [sub, e] of Object.entries(results)) {
  for (const s of ["llr", "influence", "embedding_distance"]) {
    const y = names.find((n) => n.endsWith(`none.${s}`));
    for (const aware of ["embedding", "token"]) {
      const x = names.find((n) => n.endsWith(`${aware}.${s}`));
      const c = x && y ? cmp(e, x, y) : undefined;
      if (c) console.log(`${sub}: ${c.a} vs ${c.b}: dAUROC ${f3(c.difference)}, DeLong p ${c.p.toExponential(1)} (n ${c.n})`);
    }
  }
}
writeFileSync(`${a.o}.json`, JSON.stringify(results, null, 2) + "\n");
if (a.report) writeFileSync(a.report, renderVariantReportHtml(results.all));
