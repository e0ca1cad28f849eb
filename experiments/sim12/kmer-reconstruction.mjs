// A k-mer model's per-nucleotide predictions written as a reconstruction TSV (id pos ref A C G T), the
// format `specieslm reconstruct` writes: a stand-in for a language model when none is trained yet.
// Usage: node experiments/sim12/kmer-reconstruction.mjs KMER_DIR SEQUENCES.tsv OUT.tsv  (after npm run build)
import { writeFile } from "node:fs/promises";
import { loadKmerModel, readSequenceInput, RECONSTRUCTION_TSV_HEADER, reconstructionTsvRows } from "../../dist/index.js";

const [dir, input, out] = process.argv.slice(2);
if (!out) throw new Error("usage: kmer-reconstruction.mjs KMER_DIR SEQUENCES.tsv OUT.tsv");
const model = await loadKmerModel(dir);
const parts = [RECONSTRUCTION_TSV_HEADER];
for await (const r of readSequenceInput(input)) parts.push(reconstructionTsvRows(r.id, r.sequence, model.predictSequence(r.sequence, r.species)));
await writeFile(out, parts.join(""));
