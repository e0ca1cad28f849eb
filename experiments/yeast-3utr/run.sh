#!/usr/bin/env bash
# Real yeast: train a species-token model on 3' regions of S. paradoxus and S. cerevisiae strains (not
# S288C), C. albicans and S. pombe; evaluate on S. cerevisiae R64 3' regions of held-out genes, told
# S. cerevisiae and told S. paradoxus (proxy), against k-mer baselines, inside decay motifs.
# Usage: bash experiments/yeast-3utr/run.sh [OUT] [CONFIG] [STEPS]   (after npm run build; reads ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-runs/yeast-3utr}; CONFIG=${2:-mini}; STEPS=${3:-900}
DATA=../shared/data
cli() { node dist/cli/main.js "$@"; }
node experiments/yeast-3utr/prepare.mjs "$OUT"
[ -f "$OUT/corpus/corpus.json" ] || cli corpus build --manifest "$OUT/manifest.tsv" -o "$OUT/corpus"
[ -f "$OUT/token/checkpoint/trainer_state.json" ] || cli train --corpus "$OUT/corpus" --out "$OUT/token" --conditioning token \
  --config "$CONFIG" --steps "$STEPS" --batch-size 32 --lr 2e-3 --warmup 60 --decay linear --seed 1 --valid-every 150 --valid-per-species 32
cli baseline fit -i "$OUT/corpus/train.tsv" --left 2 --right 2 -o "$OUT/kmer-2-2"
cli baseline fit -i "$OUT/corpus/train.tsv" --left 2 --right 2 --pooled -o "$OUT/kmer-2-2-pooled"
cli baseline fit -i "$OUT/corpus/train.tsv" --left 5 --right 5 -o "$OUT/kmer-5-5"
# R64 3' regions whose gene (ortholog key) is in the corpus test split: never seen in training, in any strain.
cli extract --genome $DATA/scer/R64-1-1.ensembl94.fa.gz --annotation $DATA/scer/sgd_genes.gff3.gz \
  --species saccharomyces_cerevisiae --region three_prime -o "$OUT/r64_3prime.fa"
awk -F'\t' 'NR > 1 && $2 == "saccharomyces_cerevisiae" { print $3 }' "$OUT/corpus/test.tsv" | sort -u > "$OUT/test_genes.txt"
awk 'NR == FNR { keep[$1] = 1; next } /^>/ { id = substr($1, 2); on = (id in keep) } on' "$OUT/test_genes.txt" "$OUT/r64_3prime.fa" > "$OUT/r64_test.fa"
CK="$OUT/token/checkpoint"
cli evaluate --model "$CK,$CK" --names told-cerevisiae,told-paradoxus --tell-species ,saccharomyces_paradoxus \
  --baseline "$OUT/kmer-2-2,$OUT/kmer-2-2-pooled,$OUT/kmer-5-5" --input "$OUT/r64_test.fa" --per-species 80 --spans-per-pass 8 \
  --motifs $DATA/motifs/decay_motifs_consensus.txt \
  --title "S. cerevisiae R64 3' regions of held-out genes ($CONFIG model, trained without S288C)" -o "$OUT/report" --json > "$OUT/report.summary.json"
