# The staged training the experiment scripts share (sourced, not run; the caller defines cli, OUT, CONFIG).
# train_stages STEPS INIT MORE MODE...: every MODE side by side (one ORT thread each) on $OUT/corpus,
# batch 32, warmup 60, linear decay. Stage 1: STEPS steps from INIT, a masked span every 13 tokens with
# 80/10/10 replacement, lr 2e-3, into $OUT/MODE. Then each stage of MORE, a comma list of
# steps:lr[:strides] (strides as 13/1000, passed as --mask-stride 13,1000; 13 when left out): from the
# previous stage's checkpoint, every masked token [MASK], seed = stage number, into $OUT/MODE-stageK.
# A finished run (its trainer_state.json exists) is kept. Leaves FINAL (the last stage's suffix, "" for
# stage 1) and TOTAL (the steps, as "3000 + 1000").
train() { # mode dir [options...]
  local mode=$1 dir=$2; shift 2
  [ -f "$dir/checkpoint/trainer_state.json" ] && return 0
  cli train --corpus "$OUT/corpus" --out "$dir" --conditioning "$mode" --config "$CONFIG" --batch-size 32 --warmup 60 --decay linear \
    --valid-every 250 --valid-per-species 32 --threads 1 --json "$@" > "$dir.train.json"
}
train_stages() {
  local steps=$1 init=$2 more=$3 spec lr strides stage=1 mode pid pids=(); shift 3
  for mode in "$@"; do
    train "$mode" "$OUT/$mode" --steps "$steps" --init "$init" --mask-stride 13 --lr 2e-3 --seed 1 & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done # a failed training stops the script here
  FINAL=""; TOTAL=$steps
  for spec in ${more//,/ }; do
    IFS=: read -r steps lr strides <<< "$spec"; strides=${strides:-13}; stage=$((stage + 1)); TOTAL="$TOTAL + $steps"
    pids=()
    for mode in "$@"; do
      train "$mode" "$OUT/$mode-stage$stage" --steps "$steps" --init-from "$OUT/$mode$FINAL/checkpoint" \
        --mask-stride "${strides//\//,}" --mask-replace mask --lr "$lr" --seed $stage & pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    FINAL="-stage$stage"
  done
}
