#!/usr/bin/env bash
# End to end: per-stage CPU time in performance_metrics.json
# (module_cpu_times, total_cpu_time) on a generated 12 s 1280x720 talk
# whose grain makes decoding the frames stage's main cost, run
# with --parallel (frames beside speech, two recognisers, FFmpeg's frame
# threads) and with --no-parallel (one thread each). Each analysis stage's
# figure must be there, above zero, and no more than its wall time times the
# processors; speech's must include its recognisers' threads and frames' its
# decoder's threads (with --parallel, no less than half of what the same
# work costs on one thread); the stages together no more than the process.
. "$(dirname "$0")/lib.sh"

command -v flite >/dev/null || { echo "SKIP: flite missing"; exit 77; }
flite -voice slt -t "we measure how long every stage works on the processor" -o "$WORK/a.wav"
flite -voice slt -t "the recogniser and the frame decoder run on threads of their own" -o "$WORK/b.wav"
sox -n -r 16000 -c 1 "$WORK/gap.wav" trim 0 1.5
sox "$WORK/a.wav" "$WORK/gap.wav" "$WORK/b.wav" "$WORK/gap.wav" "$WORK/a.wav" "$WORK/speech.wav"
dur=$(soxi -D "$WORK/speech.wav")
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=1280x720:rate=30,noise=alls=12:allf=t" -i "$WORK/speech.wav" \
  -t "$dur" -c:v libx264 -preset ultrafast -crf 20 -bf 2 -pix_fmt yuv420p -c:a aac "$WORK/talk.mp4"
cpus=$(nproc)

for mode in parallel no-parallel; do
  run_ave process "$WORK/talk.mp4" --output "$WORK/$mode" --no-progress --no-cache --export-only \
    --no-detect-faces --"$mode"
  assert_eq "$mode: exit code (stderr: $ERR)" "$RC" 0
  m=$WORK/$mode/analytics/performance_metrics.json
  [ -s "$m" ] || { finish; exit 1; }
  for stage in decode silence speech frames; do
    cpu=$(jq ".module_cpu_times.$stage // -1" "$m")
    wall=$(jq ".module_processing_times.$stage // 0" "$m")
    assert_true "$mode: $stage CPU $cpu s > 0" awk -v c="$cpu" 'BEGIN { exit !(c > 0) }'
    # A stage's threads cannot use more than all processors for its span
    # (plus the clocks' granularity).
    assert_true "$mode: $stage CPU $cpu s <= wall $wall s x $cpus processors" \
      awk -v c="$cpu" -v w="$wall" -v n="$cpus" 'BEGIN { exit !(c <= w * n + 0.02) }'
  done
  own=$(jq '.speech.model_load_cpu_s + .speech.decode_cpu_s' "$m")
  speech=$(jq '.module_cpu_times.speech' "$m")
  assert_true "$mode: speech CPU $speech s includes its recognisers' $own s" \
    awk -v s="$speech" -v o="$own" 'BEGIN { exit !(s >= o) }'
  sum=$(jq '[.module_cpu_times | to_entries[] | select(.key != "report") | .value] | add' "$m")
  total=$(jq '.total_cpu_time' "$m")
  assert_true "$mode: stages' CPU $sum s <= the process's $total s" \
    awk -v s="$sum" -v t="$total" 'BEGIN { exit !(s <= t + 0.01) }'
  assert_true "$mode: process CPU $total s <= wall x $cpus" \
    awk -v t="$total" -v w="$(jq '.total_processing_time' "$m")" -v n="$cpus" \
    'BEGIN { exit !(t > 0 && t <= w * n + 0.05) }'
done
# Without the decoder threads' share, frames with --parallel would show only
# what the sampling thread does besides decoding (scaling, measuring).
fp=$(jq '.module_cpu_times.frames' "$WORK/parallel/analytics/performance_metrics.json")
fs=$(jq '.module_cpu_times.frames' "$WORK/no-parallel/analytics/performance_metrics.json")
assert_true "frames CPU with --parallel ($fp s) counts its decoder threads (one thread: $fs s)" \
  awk -v p="$fp" -v s="$fs" 'BEGIN { exit !(p >= 0.6 * s) }'
finish
