#!/usr/bin/env bash
# Runs the same CLI commands on the tiny fixture with two builds of specieslm and compares every output
# file byte for byte: a restructuring must not change what users get.
# Usage: bash experiments/house/compare-outputs.sh OLD_REPO NEW_REPO   (each built: dist/cli/main.js; reads ../shared)
set -euo pipefail
OLD=$(realpath "$1"); NEW=$(realpath "$2")
M=$(realpath "$(dirname "$0")/../../../shared/fixtures/tiny-specieslm/model")
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
SP=candida_glabrata
seq() { node -e "let x=$1;let s='';for(let i=0;i<$2;i++){x=(x*1103515245+12345)%2147483648;s+='ACGT'[x>>28&3]}console.log(s)"; }
S1=$(seq 7 300); S2=$(seq 11 300)
printf ">r1 species=$SP\n$S1\n>r2 species=$SP\n$S2\n" > "$W/in.fa"
printf "id\tspecies\tsequence\tpos\tref\talt\tlabel\nv1\t$SP\t$S1\t40\t${S1:40:1}\tA\t1\nv2\t$SP\t$S1\t120\t${S1:120:1}\tC\t0\nv3\t$SP\t$S2\t200\t${S2:200:1}\tG\t1\nv4\t$SP\t$S2\t60\t${S2:60:1}\tT\t0\n" > "$W/v.tsv"
sed -i 's/\tA\tA\t/\tA\tC\t/; s/\tC\tC\t/\tC\tA\t/; s/\tG\tG\t/\tG\tA\t/; s/\tT\tT\t/\tT\tA\t/' "$W/v.tsv"
run() { # run NAME ARGS...: in $W/NAME/{old,new}
  for side in old new; do
    local root=$OLD; [ $side = new ] && root=$NEW
    mkdir -p "$W/$1/$side"; (cd "$W/$1/$side" && node "$root/dist/cli/main.js" "${@:2}" > stdout.txt 2> /dev/null) || echo "$1 $side: exit $?"
  done
}
run reconstruct reconstruct --model "$M" -i "$W/in.fa" -o out.tsv --threads 1
run embed embed --model "$M" -i "$W/in.fa" -o out.tsv --threads 1
run logits logits --model "$M" -i "$W/in.fa" -o out.safetensors --hidden-states --threads 1
run ism ism --model "$M" -i "$W/in.fa" -o out.tsv --threads 1
run ism-influence ism --model "$M" -i "$W/in.fa" -o out.tsv --score influence --threads 1
run depmap dependency-map --model "$M" -i "$W/in.fa" -o out --threads 1
run variants variants --model "$M" -i "$W/v.tsv" -o out.tsv --scores llr,influence,embedding_distance,delta_prob --threads 1
printf "id\tspecies\tsequence\nr1\t$SP\t$S1\nr2\t$SP\t$S2\n" > "$W/in.tsv"
run baseline baseline fit -i "$W/in.tsv" --left 2 --right 2 -o kmer
run export export-onnx --model "$M" -o out.onnx
run motifs motifs discover --reconstruction "$W/reconstruct/new/out.tsv" -i "$W/in.fa" -o out --min-seqlets 2
same=0; differ=0
for d in "$W"/*/; do
  n=$(basename "$d")
  [ -d "$d/old" ] || continue
  while IFS= read -r f; do
    # HTML reports stamp the time they were generated: compare them without it.
    if cmp -s <(sed -E 's/generated [0-9T:.-]+Z//' "$d/old/$f") <(sed -E 's/generated [0-9T:.-]+Z//' "$d/new/$f"); then same=$((same+1)); else differ=$((differ+1)); echo "differs: $n/$f"; fi
  done < <(cd "$d/old" && find . -type f ! -name stdout.txt | sort)
done
echo "$same output files identical, $differ differ"
[ "$differ" = 0 ]
