#!/usr/bin/env bash
# End to end: --parallel runs the frames (and beats) analysis on a worker
# thread alongside speech, and the results are exactly those of a
# --no-parallel run: same words, same frame features and scenes, same cuts.
. "$(dirname "$0")/lib.sh"

gen_speech "$WORK/p1.wav" "parallel analysis must not change the result"
gen_silence "$WORK/gap.wav" 1.5
gen_speech "$WORK/p2.wav" "only the time it takes"
sox "$WORK/p1.wav" "$WORK/gap.wav" "$WORK/p2.wav" "$WORK/talk.wav"
mux_video "$WORK/talk.wav" "$WORK/talk.mp4"

for mode in parallel no-parallel; do
  run_ave process "$WORK/talk.mp4" --output "$WORK/$mode" --no-progress --quality low \
    --no-cache --enable-beat-sync "--$mode"
  assert_eq "$mode exit code (stderr: $ERR)" "$RC" 0
done
metrics() { echo "$WORK/$1/analytics/performance_metrics.json"; }
# beats and frames on worker threads, enhance on the render's audio thread
assert_eq "stages run beside others with --parallel" \
  "$(jq -c '.pipeline.concurrent_stages // [] | sort' "$(metrics parallel)")" \
  '["beats","enhance","frames"]'
assert_eq "nothing beside anything with --no-parallel" \
  "$(jq -c '.pipeline.concurrent_stages // []' "$(metrics no-parallel)")" '[]'
for m in parallel no-parallel; do
  assert_eq "$m: frames, beats and speech all ran" \
    "$(jq -r '[.stage_status.frames, .stage_status.beats, .stage_status.speech] | join(",")' "$(metrics $m)")" \
    "ok,ok,ok"
done

# Same results either way (file paths and timings aside).
same() {
  local a b
  a=$(jq -S "$2" "$WORK/parallel/$1")
  b=$(jq -S "$2" "$WORK/no-parallel/$1")
  assert_true "$1 identical in both modes" test "$a" = "$b"
}
same analysis/frames.json 'del(.. | .input? , .elapsed_s?)'
same analysis/scenes.json 'del(.. | .input?)'
same analysis/beats.json 'del(.. | .input?)'
same timeline.json 'del(.input)'
same transcript.json '[.words[] | [.text, .start, .end]]'
finish
