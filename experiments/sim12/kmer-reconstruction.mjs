// A k-mer model's per-nucleotide predictions written as a reconstruction TSV (id pos ref A C G T), the
// format `specieslm reconstruct` writes: a stand-in for a language model when none is trained yet.
// Usage: node experiments/sim12/kmer-reconstruction.mjs KMER_DIR SEQUENCES.tsv OUT.tsv  (after npm run build)
import { writeFile } from "node:fs/promises";
import { loadKmerModel, readSequenceInput } from "../../dist/index.js";

const [dir, input, out] = process.argv.slice(2);
if (!out) throw new Error("usage: kmer-reconstruction.mjs KMER_DIR SEQUENCES.tsv OUT.tsv");
const model = await loadKmerModel(dir);
const lines = ["id\tpos\tref\tA\tC\tG\tT"];
for await (const r of readSequenceInput(input)) {
  const p = model.predictSequence(r.sequence, r.species ?? "");
  for (let i = 0; i < r.sequence.length; i++) {
    lines.push(`${r.id}\t${i}\t${r.sequence[i]}\t${[0, 1, 2, 3].map((c) => p[i * 4 + c].toPrecision(6)).join("\t")}`);
  }
}
await writeFile(out, lines.join("\n") + "\n");
