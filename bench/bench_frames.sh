#!/usr/bin/env bash
# Benchmark of the frames stage (not a test: it prints numbers and the
# target of issue 5, it does not fail on them).
# Builds a 10-minute 1280x720 30 fps H.264 clip in a temp folder: a 60 s
# reel of varied content (testsrc2, moving gradients, colour bars fading in
# and out, grey noise, Game of Life, a face photograph when scikit-image's
# data is installed) repeated ten times by stream copy. Then times
#   1. ffmpeg -i clip -f null -        (baseline: decoding alone)
#   2. bench_frames: probe + frames    (one pass: sampling, features, scenes, faces)
# and prints the ratio of wall times and of CPU times (user + system; less
# sensitive to other load on a shared machine). Target: the whole pass
# <= 40 s on 2 cores. The bitrate is capped at 5 Mbit/s, typical of 720p
# uploads (the noise segment would otherwise take ~13 Mbit/s and dominate).
# Usage: bench/bench_frames.sh [path/to/bench_frames] [name=value ...]
#   (an optimised build: `make` uses RelWithDebInfo)
# Environment:
#   BENCH_FRAMES_CLIP=path   keep the generated clip there and reuse it when
#                            it exists (generating takes minutes)
#   BENCH_FRAMES_BEFORE=bin  also time this (older) bench_frames in the same
#                            run, for a before/after comparison on a noisy
#                            machine
set -euo pipefail
bin=${1:-build/bench_frames}
shift || true
[ -x "$bin" ] || { echo "bench_frames not found at $bin (build first)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
size=1280x720
photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png

clip=${BENCH_FRAMES_CLIP:-$work/clip.mp4}
if [ ! -s "$clip" ]; then
echo "generating the 10-minute clip in $work ..." >&2
src=(-f lavfi -i "testsrc2=size=$size:rate=30:duration=10"
     -f lavfi -i "gradients=size=$size:rate=30:duration=10:speed=0.05"
     -f lavfi -i "smptehdbars=size=$size:rate=30:duration=10,fade=in:st=0:d=2,fade=out:st=8:d=2"
     -f lavfi -i "color=gray:size=$size:rate=30:duration=10,noise=c0s=40:c0f=t"
     -f lavfi -i "life=size=$size:rate=30:mold=10:ratio=0.1:death_color=#C83232:life_color=#00ff00,trim=duration=10")
if [ -f "$photo" ]; then
  src+=(-loop 1 -framerate 30 -t 10 -i "$photo")
  last="[5:v]scale=-2:720,pad=1280:720:(ow-iw)/2:0,setsar=1,format=yuv420p[p]"
else
  src+=(-f lavfi -i "mandelbrot=size=$size:rate=30,trim=duration=10")
  last="[5:v]format=yuv420p[p]"
fi
ffmpeg -nostdin -hide_banner -loglevel error -y "${src[@]}" \
  -filter_complex "$last;[0:v]format=yuv420p[a];[1:v]format=yuv420p[b];[2:v]format=yuv420p[c];
    [3:v]format=yuv420p[d];[4:v]format=yuv420p[e];[a][b][c][d][e][p]concat=n=6:v=1:a=0[v]" \
  -map "[v]" -c:v libx264 -preset superfast -crf 23 -maxrate 5M -bufsize 10M -pix_fmt yuv420p -g 250 "$work/reel.mp4"
for i in $(seq 10); do echo "file '$work/reel.mp4'"; done >"$work/list.txt"
ffmpeg -nostdin -hide_banner -loglevel error -y -f concat -safe 0 -i "$work/list.txt" -c copy \
  "$work/clip.mp4"
[ "$clip" = "$work/clip.mp4" ] || mv "$work/clip.mp4" "$clip"
fi
dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$clip")
echo "clip: $(du -m "$clip" | cut -f1) MB, $dur s, $size, $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

TIMEFORMAT='%R %U %S'
{ time ffmpeg -nostdin -hide_banner -loglevel error -i "$clip" -an -f null - ; } 2>"$work/t1"
read -r dwall duser dsys <"$work/t1"
echo "baseline decode (ffmpeg -f null): wall $dwall s, cpu $(awk -v u="$duser" -v s="$dsys" 'BEGIN { print u + s }') s"
# One timed pass of a bench_frames binary; prints its line and the ratios.
pass() {
  local label=$1 b=$2
  shift 2
  rm -rf "$work/out"
  { time "$b" "$clip" "$work/out" "$@" >"$work/line" ; } 2>"$work/t2"
  read -r fwall fuser fsys < <(tail -n 1 "$work/t2")
  echo "$label: $(cat "$work/line")"
  awk -v l="$label" -v fw="$fwall" -v fu="$fuser" -v fs="$fsys" -v dw="$dwall" -v du="$duser" \
      -v ds="$dsys" 'BEGIN {
    printf "%s pass: wall %.1f s, cpu %.1f s\n", l, fw, fu + fs
    printf "%s ratio frames/decode: wall %.2f, cpu %.2f\n", l, fw / dw, (fu + fs) / (du + ds)
    printf "%s whole pass %.1f s (target <= 40 s on 2 idle cores): %s\n", l, fw,
           fw <= 40 ? "met" : "NOT met" }'
}
if [ -n "${BENCH_FRAMES_BEFORE:-}" ]; then
  pass before "$BENCH_FRAMES_BEFORE" "$@"
fi
pass "frames stage" "$bin" "$@"
