#!/usr/bin/env bash
# Benchmark for the foundation pipeline (not a test: no pass/fail).
# Generates a 5-minute 1280x720 30 fps talk with speech and pauses, then in the
# same run times (a) a plain ffmpeg transcode with the x264 preset that
# --quality high uses and (b) `ai-video-editor process`, and prints the ratio
# b/a and both peak RSS figures. Ratios, not absolute times, are comparable
# across these noisy 2-core machines.
# Usage: bench/bench_process.sh [path/to/ai-video-editor] [minutes]
set -euo pipefail
bin=${1:-build/ai-video-editor}
minutes=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same encoder mapping the render stage uses for --quality high.
preset=medium

echo "generating a ${minutes}-minute 1280x720 30 fps clip ..." >&2
phrases=("in this lecture we look at how sound is measured"
         "every few milliseconds we compute the energy of the signal"
         "the background noise sets the floor for what counts as silence"
         "long pauses are removed and short ones are kept")
i=0
for p in "${phrases[@]}"; do
  espeak-ng -s 155 -w "$work/p$i.wav" "$p"
  sox -v 0.8 "$work/p$i.wav" -r 48000 -c 1 "$work/q$i.wav"
  i=$((i + 1))
done
pauses=(0.5 1.5 0.7 2.5 0.4 3.0 1.0 2.0)
list=()
total=0
n=0
while awk -v t="$total" -v m="$minutes" 'BEGIN { exit !(t < m * 60) }'; do
  q="$work/q$((n % 4)).wav"
  g="$work/g$n.wav"
  sox -n -r 48000 -c 1 "$g" trim 0 "${pauses[$((n % 8))]}"
  list+=("$q" "$g")
  total=$(awk -v t="$total" -v a="$(soxi -D "$q")" -v b="${pauses[$((n % 8))]}" 'BEGIN { print t + a + b }')
  n=$((n + 1))
done
sox "${list[@]}" "$work/speech.wav" trim 0 "$((minutes * 60))"
sox -n -r 48000 -c 1 "$work/noise.wav" synth "$((minutes * 60))" pinknoise vol 0.003
sox -m "$work/speech.wav" "$work/noise.wav" "$work/talk.wav"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" -i "$work/talk.wav" \
  -map 0:v -map 1:a -shortest -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac "$work/in.mp4"

# time_rss OUT CMD...: wall seconds and peak RSS (KB) via GNU time's format.
run_timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$label.time" "$@" >/dev/null 2>"$work/$label.log" || {
    echo "$label failed:" >&2; cat "$work/$label.log" >&2; exit 1; }
  read -r secs rss < "$work/$label.time"
  eval "${label}_secs=$secs ${label}_rss=$rss"
}

run_timed ffmpeg ffmpeg -hide_banner -loglevel error -y -i "$work/in.mp4" -c:v libx264 -preset "$preset" \
  -c:a aac "$work/plain.mp4"
run_timed ave "$bin" process "$work/in.mp4" --output "$work/out" --quality high --no-progress --no-cache

in_dur=$(jq .input_duration "$work/out/analytics/performance_metrics.json")
out_dur=$(jq .output_duration "$work/out/analytics/performance_metrics.json")
printf '%-34s %8s %10s\n' "" "seconds" "peak RSS"
printf '%-34s %8.1f %7.0f MB\n' "(a) ffmpeg -preset $preset (baseline)" "$ffmpeg_secs" "$(awk -v k="$ffmpeg_rss" 'BEGIN { print k / 1024 }')"
printf '%-34s %8.1f %7.0f MB\n' "(b) ai-video-editor process" "$ave_secs" "$(awk -v k="$ave_rss" 'BEGIN { print k / 1024 }')"
printf 'input %.1f s -> edited %.1f s\n' "$in_dur" "$out_dur"
printf 'ratio b/a = %.2f (target <= 1.5); peak RSS %s MB (target <= 500)\n' \
  "$(awk -v a="$ffmpeg_secs" -v b="$ave_secs" 'BEGIN { print b / a }')" "$(awk -v k="$ave_rss" 'BEGIN { printf "%.0f", k / 1024 }')"
# The edit encodes less than the baseline; per second of output encoded, the
# comparison is (b / edited) / (a / input).
printf 'per output second: ratio = %.2f (ave %.3f s, ffmpeg %.3f s per second encoded)\n' \
  "$(awk -v a="$ffmpeg_secs" -v b="$ave_secs" -v i="$in_dur" -v o="$out_dur" 'BEGIN { print (b / o) / (a / i) }')" \
  "$(awk -v b="$ave_secs" -v o="$out_dur" 'BEGIN { print b / o }')" \
  "$(awk -v a="$ffmpeg_secs" -v i="$in_dur" 'BEGIN { print a / i }')"
jq '.module_processing_times' "$work/out/analytics/performance_metrics.json"

# Resource control (issue: caching/batch/resources): the same input at
# --max-memory 1 must stay under 1 GiB, and --no-parallel shows what running
# analysis stages alongside each other (and two recognisers) buys.
if [ "${BENCH_RESOURCES:-1}" = 1 ]; then
  run_timed mem1 "$bin" process "$work/in.mp4" --output "$work/out-mem1" --quality high --no-progress \
    --no-cache --max-memory 1
  run_timed serial "$bin" process "$work/in.mp4" --output "$work/out-serial" --quality high \
    --no-progress --no-cache --no-parallel
  mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
  printf '%-34s %8.1f %7s MB   (limit 1024 MB; chosen quality %s)\n' "(c) --max-memory 1" "$mem1_secs" \
    "$(mb "$mem1_rss")" "$(jq -r '.configuration.quality.value // "?"' "$work/out-mem1/analytics/performance_metrics.json")"
  printf '%-34s %8.1f %7s MB\n' "(d) --no-parallel" "$serial_secs" "$(mb "$serial_rss")"
  printf 'default: peak RSS %s MB (target <= 1024); --max-memory 1: %s MB (must be < 1024)\n' \
    "$(mb "$ave_rss")" "$(mb "$mem1_rss")"
  printf 'parallel speed-up: --no-parallel / --parallel = %.2f; analysis stages run alongside: %s\n' \
    "$(awk -v a="$ave_secs" -v b="$serial_secs" 'BEGIN { print b / a }')" \
    "$(jq -c '.pipeline.concurrent_stages // []' "$work/out/analytics/performance_metrics.json")"
fi
