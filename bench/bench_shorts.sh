#!/bin/bash
# --aspect benchmark (issue 22): what the 9:16 version adds to a render,
# against what a second full render would cost, on the same edit in the
# same run.
# Usage: bench/bench_shorts.sh [build-dir]   (default: build)
# BENCH_SHORTS_ROUNDS (3), BENCH_SHORTS_QUALITY (high: the default, x264
# preset medium).
#
# Inputs, real first: the real-dev set's Tears of Steel clip (640x360, 10 s,
# live action with faces and five shots, no audio), then a generated
# 1280x720 30 s talk (flite sentences, words served by the e2e tests'
# stand-in ASR server) with scikit-image's astronaut photograph sliding
# across the frame. Each is processed once; then `render` re-renders that
# edit plain and with --aspect 9:16 (and with 9:16 + 1:1), the settings
# taking turns round after round so a busy machine slows them alike.
# Figures, medians over the rounds: the render stage's wall time
# (module_processing_times.render) and the CPU time (user + system) of the
# whole `render` command, which a machine shared with other jobs disturbs
# far less. The ratio is (with 9:16 - plain) / plain: the 9:16 version's
# extra cost as a share of a second full render (decode, cut, encode, mux
# again); under 1 means the shared decode pays.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$src/build}/ai-video-editor
[ -x "$bin" ] || { echo "build ai-video-editor first ($bin missing)" >&2; exit 1; }
rounds=${BENCH_SHORTS_ROUNDS:-3}
quality=${BENCH_SHORTS_QUALITY:-high}
real=$src/../shared/media/real-dev/video/tears_of_steel_10s_faces_noaudio.mp4
photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
work=$(mktemp -d /tmp/bench_shorts.XXXXXX)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
export SOX_OPTS="-R" AI_VIDEO_EDITOR_CACHE_DIR="$work/cache"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# bench NAME OUT: re-render OUT with each setting, print the table.
bench() {
  local name=$1 out=$2 r s m
  local settings=("plain" "9:16" "9:16+1:1")
  declare -A wall cpu own
  for r in $(seq "$rounds"); do
    for s in "${settings[@]}"; do
      # `render` keeps the last run's options: plain must say none
      local args=(--aspect "")
      case $s in 9:16) args=(--aspect 9:16) ;; 9:16+1:1) args=(--aspect 9:16 --aspect 1:1) ;; esac
      /usr/bin/time -f "%U %S" -o "$work/cpu" "$bin" render "$out" --no-progress --no-enhance \
        --no-measure-quality "${args[@]}" >/dev/null 2>&1
      m="$out/analytics/performance_metrics.json"
      wall[$s]="${wall[$s]:-} $(jq .module_processing_times.render "$m")"
      cpu[$s]="${cpu[$s]:-} $(awk '{ print $1 + $2 }' "$work/cpu")"
      own[$s]="${own[$s]:-} $(jq '[.render | to_entries[] | select(.key | test("^aspect_.*_seconds$")) | .value] | add // 0' "$m")"
    done
  done
  local base cbase
  base=$(echo "${wall[plain]}" | median)
  cbase=$(echo "${cpu[plain]}" | median)
  echo "## $name"
  echo "edited to $(jq .output_duration "$out/analytics/performance_metrics.json") s; quality $quality; $rounds rounds; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  echo "| versions | render wall s | extra / full render | command CPU s | extra / full render | aspect work s (wall, encode incl.) | CPU s, all rounds |"
  echo "|---|---|---|---|---|---|---|"
  for s in "${settings[@]}"; do
    local w c o
    w=$(echo "${wall[$s]}" | median)
    c=$(echo "${cpu[$s]}" | median)
    o=$(echo "${own[$s]}" | median)
    printf "| %s | %.2f | %s | %.2f | %s | %.2f | %s |\n" "16:9 + $s" "$w" \
      "$(awk -v a="$w" -v b="$base" 'BEGIN { printf "%.2f", (a - b) / b }')" "$c" \
      "$(awk -v a="$c" -v b="$cbase" 'BEGIN { printf "%.2f", (a - b) / b }')" "$o" \
      "$(echo "${cpu[$s]}" | xargs printf '%.2f ')"
  done
  echo "ratio (9:16 extra CPU / a second full render's CPU): $(awk -v a="$(echo "${cpu[9:16]}" | median)" -v b="$cbase" 'BEGIN { printf "%.2f", (a - b) / b }')"
  echo
}

# --- real ---------------------------------------------------------------------
if [ -f "$real" ]; then
  "$bin" process "$real" --output "$work/real" --no-progress --quality "$quality" --no-thumbnails \
    --no-enhance --no-measure-quality >/dev/null 2>&1
  bench "real: Tears of Steel, 640x360, 10 s" "$work/real"
else
  echo "note: $real missing; real input skipped"
fi

# --- generated ----------------------------------------------------------------
. "$src/bench/caption_talk.sh"
caption_talk "$work"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=c=0x2a4d69:size=1280x720:rate=30" \
  -loop 1 -i "$photo" -i "$work/talk.wav" \
  -filter_complex "[1:v]scale=680:680[a];[0:v][a]overlay=x='340+340*sin(2*PI*t/12)':y=40:shortest=1[v]" \
  -map "[v]" -map 2:a -shortest -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 60 -c:a aac \
  -b:a 128k "$work/talk.mp4"
python3 "$src/tests/e2e/even_words.py" "$work/parts" >"$work/response.json"
python3 "$src/tests/e2e/asr_server.py" "$work/response.json" "$work/server.log" "$work/port" &
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
"$bin" process "$work/talk.mp4" --output "$work/gen" --no-progress --asr http \
  --asr-url "http://127.0.0.1:$(cat "$work/port")" --quality "$quality" --no-thumbnails \
  --no-enhance --no-measure-quality --no-enable-broll-generation >/dev/null 2>&1
bench "generated: a face sliding across 1280x720, 30 fps, $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/talk.mp4" | cut -c1-4) s" "$work/gen"
