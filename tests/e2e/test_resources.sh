#!/usr/bin/env bash
# Resource control: a --max-memory the settings would exceed picks cheaper
# settings (and says so); an input that cannot fit at all stops before any
# analysis; --adaptive-processing records its choices and leaves flags alone;
# Ctrl-C and --timeout stop a long recognition within about a second with the
# documented exit code and no partial outputs.
. "$(dirname "$0")/lib.sh"

metric() { jq -r "$2" "$1/analytics/performance_metrics.json"; }

# A 720p clip: at the default --quality high the render's x264 lookahead
# alone is estimated at ~233 MB, over a 0.25 GB budget with the fixed cost.
flite -t "a short clip to check the memory budget of the editor" -o "$WORK/s.wav"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30 -i "$WORK/s.wav" \
  -shortest -c:v libx264 -preset ultrafast -c:a aac "$WORK/hd.mp4"

run_ave process "$WORK/hd.mp4" --output "$WORK/mem" --max-memory 0.25 --no-progress -q
assert_eq "tight budget: exit code ($ERR)" "$RC" 0
assert_eq "tight budget: quality lowered" "$(metric "$WORK/mem" '.adaptive.changes[0] | "\(.setting) \(.from)->\(.to)"')" "quality high->medium"
assert_true "tight budget: reason given" test -n "$(metric "$WORK/mem" '.adaptive.changes[0].reason')"
# The estimate must fit with 5% to spare (it runs up to 3% under the real
# peak): medium's 250 MB does not, so the quality goes on down to low.
assert_eq "tight budget: render used the cheaper preset" "$(metric "$WORK/mem" '.render.encoder_preset')" \
  "$(metric "$WORK/mem" '.adaptive.changes[-1].to | {medium: "faster", low: "veryfast"}[.]')"
assert_true "tight budget: estimate within it" \
  test "$(metric "$WORK/mem" '.adaptive.estimated_peak_mb')" -le 243
# Real peak RSS under the budget (sanitizers multiply memory: not checked there).
if [ -z "${ASAN_OPTIONS:-}" ]; then
  peak=$(metric "$WORK/mem" '.memory_peak_usage')
  assert_true "tight budget: peak RSS $peak under 256 MiB" awk -v p="$peak" 'BEGIN { exit !(p < 256 * 1048576) }'
fi

# Far too big for the budget even at the cheapest settings: refused up front.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=3840x2160:rate=30 -t 0.5 \
  -c:v libx264 -preset ultrafast "$WORK/uhd.mp4"
run_ave process "$WORK/uhd.mp4" --output "$WORK/uhd" --max-memory 0.25 --no-progress
assert_eq "impossible budget: exit code" "$RC" 6
assert_true "impossible budget: one clear line ($ERR)" \
  bash -c '[ "$(grep -c "error:" <<<"$1")" = 1 ] && grep -q "needs about .* MB even with the cheapest settings" <<<"$1"' _ "$ERR"
assert_true "impossible budget: no output folder" test ! -e "$WORK/uhd"

# --adaptive-processing: choices recorded; an explicit flag is never overridden for speed.
# Only the adaptive choices are checked: stages that cannot change them are off.
LEAN=(--asr off --no-enhance --no-thumbnails --no-measure-quality)
run_ave process "$WORK/hd.mp4" --output "$WORK/ad" --adaptive-processing "${LEAN[@]}" --no-progress -q
assert_eq "adaptive: exit code ($ERR)" "$RC" 0
assert_eq "adaptive: recorded" "$(metric "$WORK/ad" '.adaptive.enabled')" "true"
assert_eq "adaptive: cores recorded" "$(metric "$WORK/ad" '.adaptive.cores')" "$(nproc)"
if [ "$(nproc)" -le 2 ]; then
  # 1280x720x30 / 2 cores = 13.8 Mpixel/s per core: over the default preset's 12.
  assert_eq "adaptive: faster preset on 2 cores" "$(metric "$WORK/ad" '.render.encoder_preset')" "faster"
fi
run_ave process "$WORK/hd.mp4" --output "$WORK/ad2" --adaptive-processing --quality high "${LEAN[@]}" --no-progress -q
assert_eq "adaptive: flag kept" "$(metric "$WORK/ad2" '.render.encoder_preset')" "medium"

# A minute of speech without long pauses: the recogniser gets 30-second regions.
for i in 1 2 3 4 5 6; do
  flite -t "this is sentence number $i of a longer recording used to test how quickly the editor stops" \
    -o "$WORK/p$i.wav"
done
sox "$WORK"/p{1,2,3,4,5,6}.wav "$WORK"/p{1,2,3,4,5,6}.wav "$WORK/long.wav"
mux_video "$WORK/long.wav" "$WORK/long.mp4"
mkdir -p "$WORK/tmp"

# Ctrl-C while the recogniser is busy: wait until speech runs, then time the stop.
"$AVE_BIN" process "$WORK/long.mp4" --output "$WORK/int" --temp-dir "$WORK/tmp" --no-progress -v \
  2>"$WORK/int.err" &
pid=$!
for _ in $(seq 1 200); do grep -q "^ai-video-editor: silence:" "$WORK/int.err" && break; sleep 0.05; done
sleep 1
t0=$(date +%s.%N)
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
stop_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
echo "Ctrl-C during recognition stopped in $stop_s s"
assert_eq "Ctrl-C: exit code" "$rc" 130
assert_true "Ctrl-C: stopped in $stop_s s (<= 5 on a loaded machine; ~0.5 idle)" awk -v s="$stop_s" 'BEGIN { exit !(s <= 5) }'
assert_true "Ctrl-C: no output folder" test ! -e "$WORK/int"
assert_eq "Ctrl-C: scratch cleaned" "$(ls -A "$WORK/tmp")" ""

# --timeout striking during recognition.
t0=$(date +%s.%N)
run_ave process "$WORK/long.mp4" --output "$WORK/to" --temp-dir "$WORK/tmp" --timeout 3 --no-progress
took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
echo "--timeout 3 returned after $took s"
assert_eq "timeout: exit code ($ERR)" "$RC" 5
assert_true "timeout: returned in $took s (<= 5.5)" awk -v s="$took" 'BEGIN { exit !(s <= 5.5) }'
assert_true "timeout: no output folder" test ! -e "$WORK/to"
assert_eq "timeout: scratch cleaned" "$(ls -A "$WORK/tmp")" ""
finish
