#!/usr/bin/env bash
# The original tool's performance guide, verbatim with our binary in place of
# the Python module: its example command lines, its profiles file with each
# profile, its environment variables and its batch loop (issue 24, item 7).
# Each run must succeed, write the edit and the metrics, and record the
# settings the guide's line asked for, with where they came from.
. "$(dirname "$0")/lib.sh"

gen_speech "$WORK/a.wav" "welcome to the guide"
gen_silence "$WORK/gap.wav" 1.0
sox "$WORK/a.wav" "$WORK/gap.wav" "$WORK/a.wav" "$WORK/talk.wav"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x180:rate=25" -i "$WORK/talk.wav" \
  -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac "$WORK/talk.mp4"
mkdir -p "$WORK/tmp"

# guide NAME ARGS...: `process talk.mp4 ARGS` into $WORK/NAME (unless ARGS
# name --output); checks the run and leaves its metrics file in M.
guide() {
  local name=$1; shift
  local out=("--output" "$WORK/$name")
  case " $* " in *" --output "*) out=() ;; esac
  run_ave process "$WORK/talk.mp4" "${out[@]}" --no-progress "$@"
  assert_eq "$name: exit code (stderr: $(tail -2 "$WORK/stderr"))" "$RC" 0
  local dir=$WORK/$name
  [ ${#out[@]} -eq 0 ] && dir=$GUIDE_OUT
  M="$dir/analytics/performance_metrics.json"
  assert_true "$name: the edited video" test -s "$dir/video/edited.mp4"
  assert_true "$name: the metrics" test -s "$M"
}
# setting NAME OPTION EXPECTED: value and source recorded in the metrics
setting() {
  assert_eq "$1: $2" "$(jq -r ".configuration[\"$2\"] | \"\(.value) \(.source)\"" "$M")" "$3"
}

guide g1 --max-memory 6 --mode fast --quality medium
setting g1 max-memory "6 flag"
setting g1 mode "fast flag"
setting g1 quality "medium flag"
guide g2 --max-memory 12 --parallel --quality high
setting g2 parallel "true flag"
setting g2 max-memory "12 flag"
guide g3 --max-memory 24 --parallel --quality ultra --mode high_quality
setting g3 quality "ultra flag"
setting g3 mode "high_quality flag"
guide g4 --no-parallel --mode fast
setting g4 parallel "false flag"
assert_eq "g4: one thread" "$(jq .adaptive.threads "$M")" 1
assert_eq "g4: no stage on a worker thread" "$(jq ".pipeline.concurrent_stages // [] | length" "$M")" 0
GUIDE_OUT="$WORK/g5-out"
guide g5 --temp-dir "$WORK/tmp" --output "$GUIDE_OUT"
assert_eq "g5: the temp folder is left empty" "$(find "$WORK/tmp" -mindepth 1 | wc -l)" 0
guide g6 --timeout 3600 --api-timeout 120
setting g6 timeout "3600 flag"
setting g6 api-timeout "120 flag"
guide g7 --mode fast --quality low --max-memory 4 --timeout 300
setting g7 max-memory "4 flag"
setting g7 timeout "300 flag"
guide g8 --mode balanced --quality high --parallel --enable-caching --timeout 1800
setting g8 enable-caching "true flag"
setting g8 timeout "1800 flag"

# The guide's profiles file, with each profile.
cp "$(dirname "$0")/data/guide_performance_profiles.yaml" "$WORK/performance_profiles.yaml"
for p in "speed_optimized medium 8 10" "quality_optimized ultra 16 5" "resource_constrained low 4 3"; do
  set -- $p
  guide "p-$1" --profiles-file "$WORK/performance_profiles.yaml" --profile "$1"
  setting "p-$1" quality "$2 profile"
  setting "p-$1" max-memory "$3 profile"
  setting "p-$1" api-batch-size "$4 profile"
done

# All the guide's variables at once (a flag still wins over them).
AI_VIDEO_EDITOR_ENABLE_GPU=true AI_VIDEO_EDITOR_GPU_MEMORY_LIMIT=4GB \
  AI_VIDEO_EDITOR_GPU_MEMORY_GROWTH=true AI_VIDEO_EDITOR_API_RETRY_DELAY=5 \
  AI_VIDEO_EDITOR_CACHE_AGGRESSIVE=true AI_VIDEO_EDITOR_MAX_MEMORY_GB=6 \
  AI_VIDEO_EDITOR_TEMP_DIR="$WORK/tmp" AI_VIDEO_EDITOR_ENABLE_CACHING=true \
  AI_VIDEO_EDITOR_CACHE_SIZE_GB=5 AI_VIDEO_EDITOR_API_RATE_LIMIT=30 \
  guide vars --quality low
assert_eq "vars: none ignored" "$(grep -c 'unknown environment variable' "$WORK/stderr")" 0
setting vars max-memory "6 environment"
setting vars cache-aggressive "true environment"
setting vars cache-size-gb "5 environment"
setting vars api-rate-limit "30 environment"
setting vars quality "low flag"

# The guide's batch loop: one process per file into DIR/NAME.
mkdir -p "$WORK/in"
cp "$WORK/talk.mp4" "$WORK/in/one.mp4"
cp "$WORK/talk.mp4" "$WORK/in/two.mp4"
for f in "$WORK"/in/*.mp4; do
  name=$(basename "$f" .mp4)
  run_ave process "$f" --type general --quality high --mode balanced --max-memory 10 --parallel \
    --output "$WORK/batch/$name" --timeout 1200 --no-progress
  assert_eq "batch loop $name: exit code (stderr: $(tail -2 "$WORK/stderr"))" "$RC" 0
  assert_true "batch loop $name: its own folder" test -s "$WORK/batch/$name/video/edited.mp4"
done
finish
