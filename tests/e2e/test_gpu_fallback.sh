#!/usr/bin/env bash
# --enable-gpu-acceleration where no GPU can be used (issue 25, item 4): the
# gpu stage probes CUDA, VAAPI and QSV, finds none that opens, says so in one
# warning line, records what was asked, found and run in the metrics, and
# the job runs on the CPU with the very same result as without the flag.
# On a machine with a GPU the probe finds it: a device that only decodes
# (NVDEC without NVENC, VAAPI) must give the very same edit, since H.264
# decoding is bit-exact; with a GPU encoder the metrics are checked for
# consistency.
. "$(dirname "$0")/lib.sh"

gen_speech "$WORK/a.wav" "This clip is encoded twice, once with the flag and once without it."
mux_video "$WORK/a.wav" "$WORK/in.mp4"

run_ave process "$WORK/in.mp4" --output "$WORK/cpu" --no-progress --asr off --no-measure-quality
assert_eq "without the flag: exit code (stderr: $ERR)" "$RC" 0
m="$WORK/cpu/analytics/performance_metrics.json"
assert_eq "without the flag: no gpu section" "$(jq 'has("gpu")' "$m")" false
assert_eq "without the flag: gpu stage disabled" "$(jq -r '.stage_status.gpu' "$m")" disabled

run_ave process "$WORK/in.mp4" --output "$WORK/gpu" --no-progress --asr off --no-measure-quality \
  --enable-gpu-acceleration
assert_eq "with the flag: exit code (stderr: $ERR)" "$RC" 0
m="$WORK/gpu/analytics/performance_metrics.json"
jq -c '.gpu' "$m"
assert_eq "recorded as asked" "$(jq '.gpu.requested' "$m")" true
assert_eq "the flag is no longer 'requested but unavailable'" \
  "$(jq '[.requested_unavailable[] | select(tostring | test("gpu"))] | length' "$m")" 0
enc=$(jq -r '.gpu.encode' "$m") dec=$(jq -r '.gpu.decode' "$m")
if [ "$enc" = libx264 ] && [ "$dec" = cpu ]; then
  assert_eq "one line on stderr" "$(printf '%s\n' "$ERR" | grep -c .)" 1
  assert_true "it says why and that the CPU runs ($ERR)" \
    grep -q "warning: gpu: GPU acceleration asked for, but .*: decoding and encoding on the CPU" "$WORK/stderr"
  assert_true "a fallback reason" jq -e '.gpu.fallback_reason | length > 10' "$m"
  assert_eq "render decoded on the CPU" "$(jq -r '.render.video_decode' "$m")" cpu
  assert_eq "no frame from a GPU" "$(jq '.render.video_frames_decoded_on_gpu' "$m")" 0
  assert_true "the same video as without the flag" \
    cmp -s "$WORK/cpu/video/edited.mp4" "$WORK/gpu/video/edited.mp4"
  assert_eq "the same cuts" "$(jq -c '.segments' "$WORK/gpu/timeline.json")" \
    "$(jq -c '.segments' "$WORK/cpu/timeline.json")"
elif [ "$enc" = libx264 ]; then
  # A device that decodes but has no encoder (an H100's NVDEC): decoding on
  # it is bit-exact, so the edit must be byte for byte the CPU's.
  assert_eq "render decoded on the device it found" "$(jq -r '.render.video_decode' "$m")" "$dec"
  assert_true "frames came from the GPU" jq -e '.render.video_frames_decoded_on_gpu > 0' "$m"
  assert_true "the same video as without the flag" \
    cmp -s "$WORK/cpu/video/edited.mp4" "$WORK/gpu/video/edited.mp4"
  assert_true "the fallback reason names the encoder" jq -e '.gpu.fallback_reason | length > 10' "$m"
else
  assert_true "a device when an encoder runs" jq -e '.gpu.device != "none"' "$m"
  assert_eq "the encoder that ran" "$(jq -r '.render.video_encoder' "$m")" "$enc"
fi

# The original tool's environment name asks for it too.
AI_VIDEO_EDITOR_ENABLE_GPU=1 run_ave process "$WORK/in.mp4" --output "$WORK/env" --no-progress \
  --asr off --no-measure-quality
assert_eq "environment: exit code (stderr: $ERR)" "$RC" 0
assert_eq "environment: asked" "$(jq '.gpu.requested' "$WORK/env/analytics/performance_metrics.json")" true
finish
