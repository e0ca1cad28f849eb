#!/usr/bin/env bash
# Motif discovery from a sim12 model's reconstructions: the first PER test sequences of each species are
# reconstructed (23 masked spans per pass), then `motifs discover` runs over all of them and per species,
# matching every pattern against the planted consensus set (every present variant of every family, named
# by family) padded with 10 random 6-8-mer decoys (seed 99, as test/motifs-sim12.test.ts builds it).
# 3' UTR motifs bind RNA and sim12 plants them on the given strand, so discovery and matching read that
# strand only (--single-strand). Three scores: the lab's log-ratio, the information content, and
# vs-baseline against a per-species (2,2) k-mer model (sim12's background is an order-2 chain, so local
# context alone predicts much of it; what the model knows beyond that is where the motifs are).
# MODEL may also be a k-mer model folder (specieslm baseline fit): its predictions stand in for a
# reconstruction (experiments/sim12/kmer-reconstruction.mjs), a check of the pipeline without an LM.
# Usage: bash experiments/sim12/motifs.sh MODEL [OUT] [PER]   (after npm run build; reads ../shared/bench/sim12)
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL=${1:?model checkpoint folder}; OUT=${2:-runs/sim12-motifs}; PER=${3:-30}
CORPUS=${CORPUS:-/work/models/sim12/corpus}
SIM=../shared/bench/sim12
cli() { node dist/cli/main.js "$@"; }
mkdir -p "$OUT"
# the model's own test split when its corpus is at hand, else sim12's
if [ -f "$CORPUS/test.tsv" ]; then awk -F'\t' -v per="$PER" 'NR == 1 { print; next } n[$2]++ < per' "$CORPUS/test.tsv" > "$OUT/test.tsv"
else awk -F'\t' -v per="$PER" 'NR == 1 { print; next } $3 == "test" && n[$1]++ < per' "$SIM/sequences.tsv" > "$OUT/test.tsv"; fi
if [ ! -f "$OUT/recon.tsv" ]; then
  if [ -f "$MODEL/baseline.json" ]; then node experiments/sim12/kmer-reconstruction.mjs "$MODEL" "$OUT/test.tsv" "$OUT/recon.tsv"
  else cli reconstruct --model "$MODEL" -i "$OUT/test.tsv" --spans-per-pass 23 -o "$OUT/recon.tsv"; fi
fi
node --input-type=module -e '
import { mulberry32, readMotifVariants } from "./dist/index.js";
const seen = new Set();
for (const v of await readMotifVariants(process.argv[1])) if (!seen.has(v.variant)) (seen.add(v.variant), console.log(`${v.variant} ${v.family}`));
const rng = mulberry32(99);
for (let i = 0; i < 10; i++) console.log(`${Array.from({ length: 6 + rng.int(3) }, () => "ACGT"[rng.int(4)]).join("")} decoy_${i}`);
' "$SIM/truth.json" > "$OUT/planted-and-decoys.txt"
[ -f "$OUT/kmer-2-2/baseline.json" ] || cli baseline fit -i "$SIM/sequences.tsv" --split train --left 2 --right 2 -o "$OUT/kmer-2-2"
for score in log-ratio ic vs-baseline; do
  base=(); [ $score = vs-baseline ] && base=(--baseline "$OUT/kmer-2-2")
  cli motifs discover -r "$OUT/recon.tsv" -i "$OUT/test.tsv" --score $score "${base[@]}" --db "$OUT/planted-and-decoys.txt" --single-strand \
    -o "$OUT/pooled-$score" --json > "$OUT/pooled-$score.json"
  cli motifs discover -r "$OUT/recon.tsv" -i "$OUT/test.tsv" --score $score "${base[@]}" --db "$OUT/planted-and-decoys.txt" --single-strand \
    --by-species -o "$OUT/by-species-$score" --json > "$OUT/by-species-$score.json"
done
node experiments/sim12/motifs-summary.mjs "$OUT" | tee "$OUT/summary.txt"
