#!/usr/bin/env bash
# Benchmark for the results cache (not a test: no pass/fail).
# Generates a ~60-second 640x360 talk of flite sentences with pauses, then
# runs `ai-video-editor process` three times with a fresh cache folder:
# cold (empty cache), warm (same input and flags) and warm with only
# --quality changed, printing each wall time, the per-stage times of the
# analysis stages, the audio hit rate and the warm/cold speed-up. The render
# always runs, so the speed-up is bounded by its share of the cold run.
# Usage: bench/bench_cache.sh [path/to/ai-video-editor] [seconds]
set -euo pipefail
bin=${1:-build/ai-video-editor}
seconds=${2:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export AI_VIDEO_EDITOR_CACHE_DIR="$work/cache"

echo "generating a ${seconds}-second clip ..." >&2
sentences=("the quick brown fox jumps over the lazy dog"
           "video editing takes a lot of time"
           "please remember to save your work often"
           "thank you for watching this short video"
           "every few milliseconds we measure the energy of the signal")
pauses=(0.6 1.5 0.8 2.0 1.2)
list=()
total=0
n=0
for s in "${sentences[@]}"; do
  flite -voice slt -t "$s" -o "$work/raw$n.wav"
  sox "$work/raw$n.wav" -r 48000 -c 1 "$work/s$n.wav"
  sox -n -r 48000 -c 1 "$work/g$n.wav" trim 0 "${pauses[$n]}"
  n=$((n + 1))
done
n=0
while awk -v t="$total" -v m="$seconds" 'BEGIN { exit !(t < m) }'; do
  k=$((n % 5))
  list+=("$work/s$k.wav" "$work/g$k.wav")
  total=$(awk -v t="$total" -v a="$(soxi -D "$work/s$k.wav")" -v b="${pauses[$k]}" \
    'BEGIN { print t + a + b }')
  n=$((n + 1))
done
sox "${list[@]}" "$work/talk.wav" trim 0 "$seconds"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=30" \
  -i "$work/talk.wav" -map 0:v -map 1:a -shortest -c:v libx264 -preset veryfast -crf 23 \
  -pix_fmt yuv420p -c:a aac "$work/in.mp4"

# run LABEL FLAGS...: one timed process; prints a line and keeps the metrics.
run() {
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$bin" process "$work/in.mp4" --output "$work/$label" --no-progress -q "$@"
  t1=$(date +%s.%N)
  local m="$work/$label/analytics/performance_metrics.json"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }' >"$work/$label.time"
  printf "%-14s %6.2f s  audio hit rate %-4s  silence %.2f s  speech %.2f s  render %.2f s\n" \
    "$label" "$(cat "$work/$label.time")" "$(jq -r .cache_statistics.audio_hit_rate "$m")" \
    "$(jq -r '.module_processing_times.silence' "$m")" \
    "$(jq -r '.module_processing_times.speech' "$m")" \
    "$(jq -r '.module_processing_times.render' "$m")"
}

echo "input: $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/in.mp4") s," \
  "$(nproc) cores"
run cold
run warm
run warm-quality --quality medium
cmp -s <(jq -S .words "$work/cold/transcript.json") <(jq -S .words "$work/warm/transcript.json") &&
  echo "warm transcript identical to cold: yes" || echo "warm transcript identical to cold: NO"
awk -v c="$(cat "$work/cold.time")" -v w="$(cat "$work/warm.time")" \
  'BEGIN { printf "speed-up warm vs cold: %.2fx\n", c / w }'
