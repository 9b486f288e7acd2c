#!/usr/bin/env bash
# Benchmark of the punch-in zoom (--zoom-cuts, issue 21): render time with
# and without it, in the same run (not a test: it prints numbers and the
# target, it does not fail on them).
# Builds a 1920x1080 30 fps clip of LEN seconds (default 30): scikit-image's
# astronaut photo (1000x1000) sliding over a test pattern, with camera-like
# grain (temporal noise of strength GRAIN, default 6; 0 gives a clean
# synthetic picture whose static background x264 codes almost for free,
# the worst case for any framing change), and tone bursts separated by
# 1.2 s silences, so the silence stage makes a jump cut every 2.8 s and
# about half the kept frames are punched in. Then runs `process` REPEAT
# times (default 3) each way, interleaved (plain, zoom, rest) so slow drifts
# of a shared machine hit all alike:
#   plain  no zoom
#   zoom   --zoom-cuts
#   rest   --export-only: every stage but render, so that
#          render CPU = process CPU - rest CPU
# and prints medians of the render stage's wall time and of the render's
# CPU time (user + system, much less sensitive to other load on a shared
# machine), their ratios, and the time spent in the crop + scale itself
# (render.zoom_seconds, wall). Target: zoom renders at most 15 % longer.
# Usage: bench/bench_zoom.sh [path/to/ai-video-editor]
# Environment: LEN (s), REPEAT, QUALITY (low|medium|high|ultra, default
#   medium), GRAIN, ZOOM_EXTRA (more flags for the zoom runs, e.g.
#   --zoom-motion).
set -euo pipefail
bin=${1:-build/ai-video-editor}
[ -x "$bin" ] || { echo "ai-video-editor not found at $bin (build first)" >&2; exit 2; }
photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
[ -f "$photo" ] || { echo "needs $photo (python3-skimage)" >&2; exit 2; }
LEN=${LEN:-30} REPEAT=${REPEAT:-3} QUALITY=${QUALITY:-medium} GRAIN=${GRAIN:-6}
grain=
[ "$GRAIN" -gt 0 ] && grain=",noise=alls=$GRAIN:allf=t"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=1" \
  -frames:v 1 "$work/bg.png"
sox -n -r 48000 -c 1 "$work/tone.wav" synth 1.6 sine 220 vol 0.3
sox -n -r 48000 -c 1 "$work/gap.wav" trim 0 1.2
parts=()
for _ in $(seq $((LEN * 10 / 28))); do parts+=("$work/tone.wav" "$work/gap.wav"); done
sox "${parts[@]}" "$work/talk.wav"
ffmpeg -nostdin -hide_banner -loglevel error -y -loop 1 -framerate 30 -i "$work/bg.png" \
  -loop 1 -framerate 30 -i "$photo" -i "$work/talk.wav" \
  -filter_complex "[1:v]scale=1000:1000[f];[0:v][f]overlay=x='200+20*t':y=60:eval=frame$grain,format=yuv420p[v]" \
  -map "[v]" -map 2:a -shortest -c:v libx264 -preset superfast -crf 20 -g 60 -c:a aac \
  "$work/clip.mp4"
echo "clip: $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/clip.mp4") s," \
  "1920x1080, grain $GRAIN, quality $QUALITY, $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# A private results cache, warmed by one run: every timed run then loads
# the analysis (silence, frames) from it, so what differs is the render.
export AI_VIDEO_EDITOR_CACHE_DIR="$work/cache"
common=(--no-progress --asr off --quality "$QUALITY" --no-thumbnails --no-enhance --no-report)
for f in wall_plain wall_zoom cpu_plain cpu_zoom cpu_rest zs; do : >"$work/$f"; done
TIMEFORMAT='%U %S'
"$bin" process "$work/clip.mp4" --output "$work/out" "${common[@]}" --export-only >/dev/null 2>&1
for i in $(seq "$REPEAT"); do
  for mode in plain zoom rest; do
    flags=()
    [ $mode = zoom ] && flags=(--zoom-cuts ${ZOOM_EXTRA:-})
    [ $mode = rest ] && flags=(--export-only)
    rm -rf "$work/out"
    { time "$bin" process "$work/clip.mp4" --output "$work/out" "${common[@]}" "${flags[@]}" \
      >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; } 2>"$work/t"
    awk '{ print $1 + $2 }' "$work/t" >>"$work/cpu_$mode"
    m="$work/out/analytics/performance_metrics.json"
    msg="run $i $mode: process CPU $(tail -1 "$work/cpu_$mode") s"
    if [ $mode != rest ]; then
      jq .module_processing_times.render "$m" >>"$work/wall_$mode"
      msg="$msg, render wall $(tail -1 "$work/wall_$mode") s"
    fi
    if [ $mode = zoom ]; then
      jq .render.zoom_seconds "$m" >>"$work/zs"
      frames=$(jq .render.zoom_frames "$m")
      total=$(jq .render.video_frames_encoded "$m")
    fi
    echo "$msg" >&2
  done
done
med() { sort -g "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
awk -v wp="$(med "$work/wall_plain")" -v wz="$(med "$work/wall_zoom")" \
  -v cp="$(med "$work/cpu_plain")" -v cz="$(med "$work/cpu_zoom")" -v cr="$(med "$work/cpu_rest")" \
  -v s="$(med "$work/zs")" -v f="$frames" -v n="$total" 'BEGIN {
  printf "punched in: %d of %d frames\n", f, n
  printf "render wall, median: plain %.2f s, zoom %.2f s, ratio %.3f\n", wp, wz, wz / wp
  printf "render CPU, median:  plain %.2f s, zoom %.2f s, ratio %.3f (target <= 1.15)\n",
    cp - cr, cz - cr, (cz - cr) / (cp - cr)
  printf "crop + scale alone:  %.2f s wall, %.2f ms a punched frame\n", s, (f > 0 ? 1000 * s / f : 0)
}'
