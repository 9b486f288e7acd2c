#!/usr/bin/env bash
# GPU against CPU (issue 25, item 4), not a test: one short script for a
# machine with a GPU. For a generated 1280x720 and a 1920x1080 talk it times
#   render alone on the CPU        (process --asr off --no-enhance --no-measure-quality)
#   the same with --enable-gpu-acceleration
# and prints wall and CPU seconds, what the gpu stage found (device, decode,
# encode, fallback reason), what render ran (video_decode, frames from the
# GPU, encoder), and whether the two edits are byte-identical: with a device
# that decodes and libx264 encoding (an H100: NVDEC, no NVENC) they must be.
# Without a GPU it shows the fallback. Usage: bench/bench_gpu.sh [BIN] [SECONDS]
set -euo pipefail
bin=${1:-build/ai-video-editor}
secs=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null ||
  echo "no nvidia-smi: no NVIDIA GPU visible"
for size in 1280x720 1920x1080; do
  in="$work/talk_$size.mp4"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=$size:rate=30,noise=alls=5:allf=t" \
    -f lavfi -i "sine=frequency=220:sample_rate=48000" -t "$secs" -c:v libx264 -preset veryfast \
    -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k "$in"
  for mode in cpu gpu; do
    flag=()
    [ "$mode" = gpu ] && flag=(--enable-gpu-acceleration)
    /usr/bin/time -f "%e %U %S" -o "$work/t" "$bin" process "$in" --output "$work/$size-$mode" \
      --no-progress --no-cache --asr off --no-enhance --no-measure-quality "${flag[@]}" \
      > /dev/null 2> "$work/err" || { echo "$size $mode failed: $(tail -1 "$work/err")"; continue; }
    read -r wall user sys < "$work/t"
    m="$work/$size-$mode/analytics/performance_metrics.json"
    printf '%s %s: wall %.1f s, CPU %.1f s; gpu %s; render decode %s (%s frames from the GPU), encoder %s\n' \
      "$size" "$mode" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
      "$(jq -c '.gpu // "off"' "$m")" "$(jq -r '.render.video_decode // "cpu"' "$m")" \
      "$(jq -r '.render.video_frames_decoded_on_gpu // 0' "$m")" "$(jq -r '.render.video_encoder' "$m")"
    grep -h "warning" "$work/err" || true
  done
  if cmp -s "$work/$size-cpu/video/edited.mp4" "$work/$size-gpu/video/edited.mp4"; then
    echo "$size: edited.mp4 byte-identical"
  else
    echo "$size: edited.mp4 differs (expected only when a GPU encoder ran)"
  fi
done
