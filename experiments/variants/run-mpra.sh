#!/usr/bin/env bash
# MPRA sense check of the variant scores (issue 14): SNVs that create or destroy a TATA box or a Reb1
# site in the DREAM random promoters, each against a control SNV in the same sequence with the same ref
# and alt (make-mpra-variants.mjs), scored by a 5' model and by the (2,2) k-mer table of its corpus.
# `variants evaluate` negates llr, so for "destroy" an AUROC above 0.5 is the sensible direction and for
# "create" one below 0.5 (the created motif's alt is the likelier base).
# Usage: bash experiments/variants/run-mpra.sh MODEL CORPUS OUT [MAX]   (after npm run build)
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL=${1:?5-prime model folder}; CORPUS=${2:?its corpus folder}; OUT=${3:-runs/mpra-variants}; MAX=${4:-400}
cli() { node dist/cli/main.js "$@"; }
mkdir -p "$OUT"
node experiments/variants/make-mpra-variants.mjs --mpra ../shared/data/mpra/dream2022_random_promoters_train.txt --max "$MAX" -o "$OUT/variants.tsv" 2> "$OUT/motif-counts.txt"
[ -f "$OUT/kmer22/baseline.json" ] || cli baseline fit -i "$CORPUS/train.tsv" --left 2 --right 2 -o "$OUT/kmer22" >/dev/null
# one table with both scorers: the LM's scores and the k-mer table's llr (column kmer_2_2_llr)
cli variants --model "$MODEL" --baseline "$OUT/kmer22" -i "$OUT/variants.tsv" -o "$OUT/scores.tsv" --scores llr,influence,embedding_distance
# one evaluation per motif and kind
for motif in TATA Reb1; do
  for kind in create destroy; do
    awk -F'\t' -v m=$motif -v k=$kind 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } $c["motif"] == m && $c["kind"] == k' "$OUT/scores.tsv" > "$OUT/$motif-$kind.tsv"
    cli variants evaluate -i "$OUT/$motif-$kind.tsv" --scores llr,influence,embedding_distance,kmer_2_2_llr \
      --title "DREAM MPRA: SNVs that $kind a $motif site vs matched controls" -o "$OUT/$motif-$kind" --json > "$OUT/$motif-$kind.summary.json"
  done
done
cat "$OUT/motif-counts.txt"
