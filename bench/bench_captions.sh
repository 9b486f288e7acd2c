#!/bin/bash
# Burned-in captions benchmark (issue 21): the render stage's time with
# captions against without, on the same edit in the same run.
# Usage: bench/bench_captions.sh [build-dir]   (default: build)
# BENCH_CAPTIONS_ROUNDS (3), BENCH_CAPTIONS_SIZE (1280x720),
# BENCH_CAPTIONS_QUALITY (high: the default, x264 preset medium).
#
# A ~30 s talk (flite sentences with pauses, words served at known times by
# the e2e tests' stand-in ASR server) over a moving test pattern is
# processed once; then `render` re-renders that edit with each caption
# setting, the settings taking turns round after round so a busy machine
# slows them alike. Two figures, medians over the rounds, enhance off: the
# render stage's wall time (module_processing_times.render) and the CPU time
# (user + system) of the whole `render` command, which a machine shared with
# other jobs disturbs far less than wall time.
# Target: burn at most 15% over file. `both` encodes the video twice, so
# expect about twice the encode time there.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$src/build}/ai-video-editor
[ -x "$bin" ] || { echo "build ai-video-editor first ($bin missing)" >&2; exit 1; }
rounds=${BENCH_CAPTIONS_ROUNDS:-3}
size=${BENCH_CAPTIONS_SIZE:-1280x720}
quality=${BENCH_CAPTIONS_QUALITY:-high}
work=$(mktemp -d /tmp/bench_captions.XXXXXX)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
export SOX_OPTS="-R" AI_VIDEO_EDITOR_CACHE_DIR="$work/cache"

. "$src/bench/caption_talk.sh"
caption_talk "$work"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=$size:rate=30" -i "$work/talk.wav" \
  -map 0:v -map 1:a -shortest -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 60 -c:a aac \
  -b:a 128k "$work/talk.mp4"
python3 "$src/tests/e2e/even_words.py" "$work/parts" >"$work/response.json"
python3 "$src/tests/e2e/asr_server.py" "$work/response.json" "$work/server.log" "$work/port" &
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
out="$work/out"
"$bin" process "$work/talk.mp4" --output "$out" --no-progress --asr http \
  --asr-url "http://127.0.0.1:$(cat "$work/port")" --quality "$quality" --no-thumbnails \
  --no-enhance --no-measure-quality >/dev/null 2>&1

settings=("file clean" "burn clean" "burn bold" "burn karaoke" "both clean")
declare -A times cpu own
for r in $(seq "$rounds"); do
  for s in "${settings[@]}"; do
    read -r mode style <<<"$s"
    /usr/bin/time -f "%U %S" -o "$work/cpu" "$bin" render "$out" --no-progress \
      --captions "$mode" --caption-style "$style" --no-enhance --no-measure-quality >/dev/null 2>&1
    m="$out/analytics/performance_metrics.json"
    times[$s]="${times[$s]:-} $(jq .module_processing_times.render "$m")"
    cpu[$s]="${cpu[$s]:-} $(awk '{ print $1 + $2 }' "$work/cpu")"
    own[$s]="${own[$s]:-} $(jq '.render.caption_seconds // 0' "$m")"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
base=$(echo "${times[file clean]}" | median)
cbase=$(echo "${cpu[file clean]}" | median)
echo "input: $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/talk.mp4") s of $size, edited to $(jq .output_duration "$out/analytics/performance_metrics.json") s; quality $quality; $rounds rounds"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "| captions | style   | render wall s | vs file | command CPU s | vs file | CPU s, all rounds     |"
echo "|----------|---------|---------------|---------|---------------|---------|-----------------------|"
for s in "${settings[@]}"; do
  read -r mode style <<<"$s"
  med=$(echo "${times[$s]}" | median)
  cmed=$(echo "${cpu[$s]}" | median)
  printf "| %-8s | %-7s | %13.2f | %6.1f%% | %13.2f | %6.1f%% | %-21s |\n" "$mode" "$style" "$med" \
    "$(awk -v a="$med" -v b="$base" 'BEGIN { print (a / b - 1) * 100 }')" "$cmed" \
    "$(awk -v a="$cmed" -v b="$cbase" 'BEGIN { print (a / b - 1) * 100 }')" \
    "$(echo "${cpu[$s]}" | xargs printf '%.2f ')"
done
echo
echo "The captions' own work on the frames (render.caption_seconds: finding the caption,"
echo "drawing it, copying the frame when shared, blending; not the second encoder of both),"
echo "median, against the render stage's wall time with --captions file:"
for s in "${settings[@]:1}"; do
  read -r mode style <<<"$s"
  o=$(echo "${own[$s]}" | median)
  printf "  %-5s %-8s %7.3f s = %5.2f%%\n" "$mode" "$style" "$o" "$(awk -v a="$o" -v b="$base" 'BEGIN { print a / b * 100 }')"
done
echo "caption drawing (pango/cairo + conversion) in the last run: $(jq .render.caption_draw_seconds "$out/analytics/performance_metrics.json") s"
