#!/usr/bin/env bash
# The CLI's settings: defaults < profile < environment < flags, as recorded in
# the metrics; help and version; flags whose stage is not built yet are
# accepted and reported as requested-but-unavailable.
. "$(dirname "$0")/lib.sh"

run_ave --help
assert_eq "--help exit code" "$RC" 0
for flag in type quality mode max-memory parallel no-parallel output temp-dir timeout api-timeout \
  profile enable-caching no-progress enable-beat-sync disable-filler-detection \
  enable-broll-generation enable-concept-detection adaptive-processing enable-gpu-acceleration \
  verbose quiet version; do
  assert_true "--help mentions --$flag" grep -q -- "--$flag" "$WORK/stdout"
done
assert_true "--help lists exit codes" grep -q "Exit codes" "$WORK/stdout"
assert_true "--help lists built-in profiles" grep -q "speed_optimized" "$WORK/stdout"
run_ave --version
assert_eq "--version exit code" "$RC" 0
assert_true "--version names libavformat" grep -q "libavformat" "$WORK/stdout"
run_ave frobnicate x.mp4
assert_eq "unknown command exit code" "$RC" 2

gen_speech "$WORK/s.wav" "testing the configuration"
mux_video "$WORK/s.wav" "$WORK/clip.mp4"
cat > "$WORK/profiles.yaml" <<'YAML'
profiles:
  mine:
    description: "test profile"
    quality: low
    mode: fast
    max_memory: 3
    timeout: 900
YAML

AI_VIDEO_EDITOR_MODE=high_quality AI_VIDEO_EDITOR_TIMEOUT=800 \
  run_ave process "$WORK/clip.mp4" --output "$WORK/out" --no-progress \
  --profiles-file "$WORK/profiles.yaml" --profile mine --timeout 700 --enable-gpu-acceleration
assert_eq "exit code (stderr: $ERR)" "$RC" 0
m="$WORK/out/analytics/performance_metrics.json"
cfg() { jq -r ".configuration[\"$1\"].$2" "$m"; }
assert_eq "type from default" "$(cfg type value)/$(cfg type source)" "general/default"
assert_eq "quality from profile" "$(cfg quality value)/$(cfg quality source)" "low/profile"
assert_eq "max-memory from profile" "$(cfg max-memory source)" "profile"
assert_eq "mode: environment beats profile" "$(cfg mode value)/$(cfg mode source)" "high_quality/environment"
assert_eq "timeout: flag beats environment and profile" "$(cfg timeout value)/$(cfg timeout source)" "700/flag"
# The gpu stage takes the flag: recorded, and without a usable GPU one
# warning says the CPU runs (test_gpu_fallback has the details).
assert_eq "GPU acceleration recorded" "$(jq '.gpu.requested' "$m")" true
assert_true "warned about GPU acceleration" grep -q "warning: gpu: GPU acceleration asked for" "$WORK/stderr"

# --quality low maps to the encoder settings recorded by the render stage.
assert_eq "low quality preset" "$(jq -r '.render.encoder_preset' "$m")" "veryfast"

# Built-in profile without any file; env alias from the original tool.
AI_VIDEO_EDITOR_MAX_MEMORY_GB=5 run_ave process "$WORK/clip.mp4" --output "$WORK/out2" \
  --no-progress --profile speed_optimized
assert_eq "built-in profile exit code (stderr: $ERR)" "$RC" 0
m="$WORK/out2/analytics/performance_metrics.json"
assert_eq "speed_optimized sets mode fast" "$(cfg mode value)" "fast"
assert_eq "MAX_MEMORY_GB alias beats profile" "$(cfg max-memory value)/$(cfg max-memory source)" "5/environment"

# Several inputs with --output: one folder per input.
cp "$WORK/clip.mp4" "$WORK/second.mp4"
run_ave process "$WORK/clip.mp4" "$WORK/second.mp4" --output "$WORK/multi" --no-progress -q
assert_eq "two inputs exit code (stderr: $ERR)" "$RC" 0
assert_true "first input folder" test -s "$WORK/multi/clip/video/edited.mp4"
assert_true "second input folder" test -s "$WORK/multi/second/video/edited.mp4"
assert_eq "quiet prints nothing" "$OUT" ""
finish
