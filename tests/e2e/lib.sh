# Shared helpers for end-to-end tests: a private work folder, assertions that
# print what was expected, and generators for media with known ground truth.
# Every test sources this and calls `finish` at the end.
set -euo pipefail

: "${AVE_BIN:?AVE_BIN must point to the ai-video-editor binary}"
TEST_NAME=$(basename "$0" .sh)
mkdir -p "${AVE_TEST_TMP:-/tmp}"
WORK=$(mktemp -d "${AVE_TEST_TMP:-/tmp}/${TEST_NAME}.XXXXXX")
FAILURES=0
CHECKS=0
trap 'rm -rf "$WORK"' EXIT
# A private results cache per test, so no test reads the user's cache or
# another test's results.
export AI_VIDEO_EDITOR_CACHE_DIR="$WORK/cache"
# Repeatable sox: its dither (on any conversion to 16 bits, e.g. flite's
# 16 kHz resampled to 48 kHz) is random by default, so generated speech
# differed by a few LSBs between runs, and PocketSphinx now and then heard
# other words: test_content lost a chapter in about one ASan run in four.
export SOX_OPTS="-R"

fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { CHECKS=$((CHECKS + 1)); }

# assert_near NAME ACTUAL EXPECTED TOLERANCE
assert_near() {
  if awk -v a="$2" -v e="$3" -v t="$4" 'BEGIN { d = a - e; if (d < 0) d = -d; exit !(d <= t) }'; then
    pass
  else
    fail "$1 = $2, expected $3 +- $4"
  fi
}

# assert_eq NAME ACTUAL EXPECTED
assert_eq() { if [ "$2" = "$3" ]; then pass; else fail "$1 = '$2', expected '$3'"; fi; }

# assert_true NAME COMMAND...
assert_true() { local n=$1; shift; if "$@"; then pass; else fail "$n"; fi; }

# run_ave ARGS...: runs the CLI, leaving exit code in RC, stderr in ERR, stdout in OUT.
run_ave() {
  set +e
  "$AVE_BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  RC=$?
  set -e
  OUT=$(cat "$WORK/stdout")
  ERR=$(cat "$WORK/stderr")
}

# Duration in seconds of a stream ("v:0", "a:0") or of the container ("").
media_duration() {
  local file=$1 sel=${2:-}
  if [ -z "$sel" ]; then
    ffprobe -v error -show_entries format=duration -of csv=p=0 "$file"
  else
    ffprobe -v error -select_streams "$sel" -show_entries stream=duration -of csv=p=0 "$file"
  fi
}

stream_count() { ffprobe -v error -select_streams "$2" -show_entries stream=index -of csv=p=0 "$1" | wc -l; }

# gen_speech OUT.wav "text": espeak-ng speech at 48 kHz mono with the leading
# and trailing silence trimmed, so its length is the true speech extent.
gen_speech() {
  espeak-ng -s 160 -w "$WORK/raw.wav" "$2"
  sox "$WORK/raw.wav" -r 48000 -c 1 "$1" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
}

# gen_silence OUT.wav SECONDS
gen_silence() { sox -n -r 48000 -c 1 "$1" trim 0 "$2"; }

# add_noise IN.wav OUT.wav LEVEL: mix pink noise at linear amplitude LEVEL.
add_noise() {
  local len
  len=$(soxi -D "$1")
  sox -n -r 48000 -c 1 "$WORK/noise.wav" synth "$len" pinknoise vol "$3"
  sox -m "$1" "$WORK/noise.wav" "$2"
}

# mux_video AUDIO.wav OUT.mp4 [extra ffmpeg output args...]: a 640x360 30 fps
# test pattern as long as the audio.
mux_video() {
  local audio=$1 out=$2; shift 2
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=30" -i "$audio" \
    -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 60 \
    -c:a aac -b:a 96k "$@" "$out"
}

finish() {
  if [ "$FAILURES" -gt 0 ]; then
    echo "$TEST_NAME: $FAILURES of $((CHECKS + FAILURES)) checks failed" >&2
    exit 1
  fi
  echo "$TEST_NAME: all $CHECKS checks passed"
}
