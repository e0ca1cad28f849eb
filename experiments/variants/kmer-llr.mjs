#!/usr/bin/env node
// llr of a k-mer baseline (`specieslm baseline fit`) for a variant table: ln P(alt | context) -
// ln P(ref | context) from the species' table, the same context the table was fit with (e.g. 2 left, 2 right).
// With --ceiling truth.json instead, the exact conditional of sim12's background chain (the Markov ceiling).
//
//   node experiments/variants/kmer-llr.mjs --baseline DIR | --ceiling truth.json -i variants.tsv -o kmer.tsv
//   (columns id, kmer_llr)
import { readFileSync, writeFileSync } from "node:fs";
import { loadKmerModel } from "../../dist/baselines/kmer-store.js";
import { loadMarkovCeiling } from "../../dist/baselines/markov-ceiling.js";

const a = {};
for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].replace(/^-+/, "")] = process.argv[i + 1];
const predict = a.ceiling
  ? ((m) => (seq, species) => m.predict({ id: "v", species, sequence: seq }))(await loadMarkovCeiling(a.ceiling))
  : ((m) => (seq, species) => m.predictSequence(seq, species))(await loadKmerModel(a.baseline));
const [head, ...rows] = readFileSync(a.i, "utf8").trim().split("\n").map((l) => l.split("\t"));
const col = (n) => head.indexOf(n);
const cache = new Map();
const out = ["id\tkmer_llr"];
for (const r of rows) {
  const [id, species, seq, pos, ref, alt] = ["id", "species", "sequence", "pos", "ref", "alt"].map((n) => r[col(n)]);
  const key = `${species}\t${seq}`;
  if (!cache.has(key)) cache.set(key, predict(seq, species));
  const p = cache.get(key), at = Number(pos) * 4;
  out.push(`${id}\t${Math.log(p[at + "ACGT".indexOf(alt)]) - Math.log(p[at + "ACGT".indexOf(ref)])}`);
}
writeFileSync(a.o, out.join("\n") + "\n");
