#!/usr/bin/env bash
# Real yeast: a species-token model and a species-agnostic one, the same config and budget, trained on 3'
# regions of S. paradoxus and S. cerevisiae strains (not S288C), C. albicans and S. pombe; evaluated on
# S. cerevisiae R64 3' regions of held-out genes by the published one-span recipe (the token model told
# S. cerevisiae and told S. paradoxus, as a proxy), against k-mer baselines, inside decay motifs.
# Training follows experiments/sim12/run.sh: stage 1 masks a span every 13 tokens with 80/10/10
# replacement; MORE continues from each stage's weights, steps:lr[:strides], with every masked token
# [MASK]; the default, 1000:1e-3:13/1000, mixes stride 13 with one span per sequence (the recipe's layout).
# The two trainings run side by side, one ORT thread each.
# Usage: bash experiments/yeast-3utr/run.sh [OUT] [CONFIG] [STEPS] [MORE]   (after npm run build; reads ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-runs/yeast-3utr}; CONFIG=${2:-mini}; STEPS=${3:-1500}; MORE=${4-1000:1e-3:13/1000}
DATA=../shared/data
cli() { node dist/cli/main.js "$@"; }
node experiments/yeast-3utr/prepare.mjs "$OUT"
[ -f "$OUT/corpus/corpus.json" ] || cli corpus build --manifest "$OUT/manifest.tsv" -o "$OUT/corpus"
source experiments/train-stages.sh
train_stages "$STEPS" structured "$MORE" token none
cli baseline fit -i "$OUT/corpus/train.tsv" --left 2 --right 2 -o "$OUT/kmer-2-2"
cli baseline fit -i "$OUT/corpus/train.tsv" --left 2 --right 2 --pooled -o "$OUT/kmer-2-2-pooled"
cli baseline fit -i "$OUT/corpus/train.tsv" --left 5 --right 5 -o "$OUT/kmer-5-5"
# R64 3' regions whose gene (ortholog key) is in the corpus test split: never seen in training, in any strain.
cli extract --genome $DATA/scer/R64-1-1.ensembl94.fa.gz --annotation $DATA/scer/sgd_genes.gff3.gz \
  --species saccharomyces_cerevisiae --region three_prime -o "$OUT/r64_3prime.fa"
awk -F'\t' 'NR > 1 && $2 == "saccharomyces_cerevisiae" { print $3 }' "$OUT/corpus/test.tsv" | sort -u > "$OUT/test_genes.txt"
awk 'NR == FNR { keep[$1] = 1; next } /^>/ { id = substr($1, 2); on = (id in keep) } on' "$OUT/test_genes.txt" "$OUT/r64_3prime.fa" > "$OUT/r64_test.fa"
TOKEN="$OUT/token$FINAL/checkpoint"
cli evaluate --model "$TOKEN,$TOKEN,$OUT/none$FINAL/checkpoint" --names told-cerevisiae,told-paradoxus,agnostic \
  --tell-species ,saccharomyces_paradoxus, --baseline "$OUT/kmer-2-2,$OUT/kmer-2-2-pooled,$OUT/kmer-5-5" \
  --input "$OUT/r64_test.fa" --per-species 80 --spans-per-pass 1 --batch-size 128 --motifs $DATA/motifs/decay_motifs_consensus.txt \
  --title "S. cerevisiae R64 3' regions of held-out genes ($CONFIG models, $TOTAL steps, trained without S288C)" -o "$OUT/report" --json > "$OUT/report.summary.json"
