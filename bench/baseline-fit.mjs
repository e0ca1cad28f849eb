// Throughput of k-mer baseline fitting and prediction on sim12 train (run `npm run build` first).
// Usage: node bench/baseline-fit.mjs [path/to/sequences.tsv]
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { KmerModel, readSequenceInput } from "../dist/index.js";

const tsv = process.argv[2] ?? resolve(import.meta.dirname, "../../shared/bench/sim12/sequences.tsv");
if (!existsSync(tsv)) {
  console.error(`no input at ${tsv}: pass a sequences.tsv (species, id, split, sequence)`);
  process.exit(1);
}
const records = [];
for await (const r of readSequenceInput(tsv, { split: "train" })) records.push(r);
const nt = records.reduce((a, r) => a + r.sequence.length, 0);
console.log(`sim12 train: ${records.length} records, ${nt} nt (records preloaded; times exclude TSV reading)`);
for (const [left, right] of [
  [0, 0],
  [1, 1],
  [2, 2],
  [5, 5],
]) {
  const t0 = performance.now();
  const model = await KmerModel.fit(records, { left, right });
  const t1 = performance.now();
  let sink = 0;
  for (const r of records) sink += model.predictSequence(r.sequence, r.species)[0];
  const t2 = performance.now();
  const rate = (ms) => `${(((nt / ms) * 1000) / 1e6).toFixed(2)} M nt/s`;
  console.log(
    `markov-${left}-${right}: fit ${(t1 - t0).toFixed(0)} ms (${rate(t1 - t0)}), predict ${(t2 - t1).toFixed(0)} ms (${rate(t2 - t1)})${sink > 0 ? "" : " ?"}`,
  );
}
