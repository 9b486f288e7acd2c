#!/usr/bin/env bash
# End to end: espeak-ng phrases separated by pauses of known length, over faint
# pink noise. Long pauses must be cut down to the margins, the short one kept;
# the edited file must be as long as the timeline says, with audio and video in
# step; the metrics must agree with the timeline; nothing else may be left.
. "$(dirname "$0")/lib.sh"

# Pauses: lead 1.2 s, between phrases 0.5 (kept: under min-silence 0.8), 2.0,
# 1.2, 3.0, tail 1.5. Defaults keep 0.25 s after speech and 0.15 s before it.
gen_speech "$WORK/p1.wav" "the quick brown fox jumps over the lazy dog"
gen_speech "$WORK/p2.wav" "video editing takes a lot of time"
gen_speech "$WORK/p3.wav" "silence removal saves most of it"
gen_speech "$WORK/p4.wav" "this is the last but one phrase"
gen_speech "$WORK/p5.wav" "and this is the end"
gen_silence "$WORK/lead.wav" 1.2
gen_silence "$WORK/g1.wav" 0.5
gen_silence "$WORK/g2.wav" 2.0
gen_silence "$WORK/g3.wav" 1.2
gen_silence "$WORK/g4.wav" 3.0
gen_silence "$WORK/tail.wav" 1.5
sox "$WORK/lead.wav" "$WORK/p1.wav" "$WORK/g1.wav" "$WORK/p2.wav" "$WORK/g2.wav" "$WORK/p3.wav" \
  "$WORK/g3.wav" "$WORK/p4.wav" "$WORK/g4.wav" "$WORK/p5.wav" "$WORK/tail.wav" "$WORK/clean.wav"
add_noise "$WORK/clean.wav" "$WORK/talk.wav" 0.003
mux_video "$WORK/talk.wav" "$WORK/talk.mp4"

total=$(soxi -D "$WORK/clean.wav")
# Expected removed time: lead (1.2-0.15) + gaps (g-0.4) + tail (1.5-0.25).
expected_removed=$(awk 'BEGIN { printf "%.6f", (1.2-0.15) + (2.0-0.4) + (1.2-0.4) + (3.0-0.4) + (1.5-0.25) }')
sum_before=$(md5sum < "$WORK/talk.mp4")
mkdir -p "$WORK/tmp"

run_ave process "$WORK/talk.mp4" --output "$WORK/out" --temp-dir "$WORK/tmp" --no-progress
assert_eq "exit code (stderr: $ERR)" "$RC" 0
out="$WORK/out"
video="$out/video/edited.mp4"
metrics="$out/analytics/performance_metrics.json"
for f in "$video" "$out/timeline.json" "$metrics"; do assert_true "$f exists" test -s "$f"; done

frame=$(awk 'BEGIN { print 1/30 }')
tl_removed=$(jq '[.segments[] | select(.action == "cut") | .end - .start] | add' "$out/timeline.json")
tl_edited=$(jq '.edited_duration' "$out/timeline.json")
assert_near "removed time vs ground truth" "$tl_removed" "$expected_removed" 0.15
assert_eq "cut count" "$(jq '[.segments[] | select(.action == "cut")] | length' "$out/timeline.json")" 5
assert_eq "every cut is a silence" "$(jq '[.segments[] | select(.action == "cut" and .reason != "silence")] | length' "$out/timeline.json")" 0

# The edited file is as long as the timeline's kept time, streams in step.
vdur=$(media_duration "$video" v:0)
adur=$(media_duration "$video" a:0)
assert_near "video stream duration vs timeline" "$vdur" "$tl_edited" "$frame"
assert_near "audio stream duration vs timeline" "$adur" "$tl_edited" "$frame"
assert_near "audio vs video duration" "$adur" "$vdur" "$frame"
assert_near "edited duration vs ground truth" "$tl_edited" "$(awk -v t="$total" -v r="$expected_removed" 'BEGIN { print t - r }')" 0.15

# Metrics: seed keys present and numbers consistent with the timeline.
for key in total_processing_time module_processing_times memory_peak_usage api_calls_made \
  total_api_cost cache_statistics output_quality_score input_duration output_duration \
  time_removed cut_count temp_bytes_peak; do
  assert_eq "metrics has $key" "$(jq "has(\"$key\")" "$metrics")" true
done
for stage in probe decode silence plan render; do
  assert_eq "stage time for $stage" "$(jq ".module_processing_times | has(\"$stage\")" "$metrics")" true
done
in_d=$(jq .input_duration "$metrics"); out_d=$(jq .output_duration "$metrics"); rem=$(jq .time_removed "$metrics")
assert_near "time_removed = input - output" "$rem" "$(awk -v a="$in_d" -v b="$out_d" 'BEGIN { print a - b }')" "$frame"
assert_near "metrics output_duration vs file" "$out_d" "$vdur" "$frame"
assert_eq "metrics cut_count" "$(jq .cut_count "$metrics")" 5
assert_true "memory peak is plausible" test "$(jq '.memory_peak_usage > 1000000 and .memory_peak_usage < 2000000000' "$metrics")" = true
# Stages on worker threads overlap the others, and the report runs after the
# total is taken: the total covers the rest.
assert_true "total time covers stage times" test "$(jq '. as $m | (["report"] + ($m.pipeline.concurrent_stages // [])) as $aside
  | $m.total_processing_time >= ([$m.module_processing_times | to_entries[] | select(.key as $k | $aside | index($k) | not) | .value] | add)' "$metrics")" = true

# Nothing but the outputs is left behind, and the input is untouched.
assert_eq "input untouched" "$(md5sum < "$WORK/talk.mp4")" "$sum_before"
assert_eq "temp folder cleaned" "$(ls -A "$WORK/tmp")" ""
assert_eq "no staging leftovers" "$(find "$out" -name '.ave-partial-*' | wc -l)" 0

# A rerun over existing results succeeds and replaces them.
run_ave process "$WORK/talk.mp4" --output "$WORK/out" --temp-dir "$WORK/tmp" --no-progress
assert_eq "rerun exit code" "$RC" 0
assert_eq "rerun summary" "$(echo "$OUT" | grep -c '5 cuts')" 1
finish
