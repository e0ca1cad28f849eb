#!/usr/bin/env bash
# Real yeast: a species-token model and a species-agnostic one, the same config and budget, trained on 3'
# regions of S. paradoxus and S. cerevisiae strains (not S288C), C. albicans and S. pombe; evaluated on
# S. cerevisiae R64 3' regions of held-out genes by the published one-span recipe (the token model told
# S. cerevisiae and told S. paradoxus, as a proxy), against k-mer baselines, inside decay motifs.
# Each model is one `specieslm train` with the default recipe (as experiments/sim12/run.sh); the two
# trainings run side by side, one ORT thread each.
# Usage: bash experiments/yeast-3utr/run.sh [OUT] [CONFIG] [STEPS]   (after npm run build; reads ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-runs/yeast-3utr}; CONFIG=${2:-mini}; STEPS=${3:-2500}
DATA=../shared/data
cli() { node dist/cli/main.js "$@"; }
node experiments/yeast-3utr/prepare.mjs "$OUT"
[ -f "$OUT/corpus/corpus.json" ] || cli corpus build --manifest "$OUT/manifest.tsv" -o "$OUT/corpus"
pids=()
for mode in token none; do
  [ -f "$OUT/$mode/checkpoint/trainer_state.json" ] && continue
  cli train --corpus "$OUT/corpus" --out "$OUT/$mode" --conditioning "$mode" --config "$CONFIG" --steps "$STEPS" \
    --valid-every 250 --threads 1 --json > "$OUT/$mode.train.json" & pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
cli baseline fit -i "$OUT/corpus/train.tsv" --left 2 --right 2 -o "$OUT/kmer-2-2"
cli baseline fit -i "$OUT/corpus/train.tsv" --left 2 --right 2 --pooled -o "$OUT/kmer-2-2-pooled"
cli baseline fit -i "$OUT/corpus/train.tsv" --left 5 --right 5 -o "$OUT/kmer-5-5"
# R64 3' regions whose gene (ortholog key) is in the corpus test split: never seen in training, in any strain.
cli extract --genome $DATA/scer/R64-1-1.ensembl94.fa.gz --annotation $DATA/scer/sgd_genes.gff3.gz \
  --species saccharomyces_cerevisiae --region three_prime -o "$OUT/r64_3prime.fa"
awk -F'\t' 'NR > 1 && $2 == "saccharomyces_cerevisiae" { print $3 }' "$OUT/corpus/test.tsv" | sort -u > "$OUT/test_genes.txt"
awk 'NR == FNR { keep[$1] = 1; next } /^>/ { id = substr($1, 2); on = (id in keep) } on' "$OUT/test_genes.txt" "$OUT/r64_3prime.fa" > "$OUT/r64_test.fa"
TOKEN="$OUT/token"
cli evaluate --model "$TOKEN,$TOKEN,$OUT/none" --names told-cerevisiae,told-paradoxus,agnostic \
  --tell-species ,saccharomyces_paradoxus, --baseline "$OUT/kmer-2-2,$OUT/kmer-2-2-pooled,$OUT/kmer-5-5" \
  --input "$OUT/r64_test.fa" --per-species 80 --spans-per-pass 1 --batch-size 128 --motifs $DATA/motifs/decay_motifs_consensus.txt \
  --title "S. cerevisiae R64 3' regions of held-out genes ($CONFIG models, $STEPS steps, trained without S288C)" -o "$OUT/report" --json > "$OUT/report.summary.json"
