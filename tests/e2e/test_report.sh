#!/usr/bin/env bash
# End to end: analytics/report.html, rendered in a real browser.
# A 9 s generated lesson (two flite sentences with a 1.6 s pause between
# them and a spoken "um" before the second; lavfi video) is processed once,
# with words served by the local stand-in ASR server (tests/e2e/asr_server.py)
# so the filler and its time are known exactly and one API call is counted.
# Headless Chromium renders the page to a DOM dump and to PNGs at laptop
# (1366 px) and phone (390 px) width; report_check.py then asserts that every
# section is there and that each number on the page equals the JSON outputs
# (durations, removed time, cuts by reason, loudness in/out, words, stage
# times, peak memory, cache rates, API calls, thumbnail scores, titles,
# tags), that the "um" is flagged at its served time and struck through in
# the transcript, and that nothing is loaded from http(s).
# Then an audio-only run without enhance: every section is still there, the
# thumbnail and loudness ones saying why they are empty; and --no-report
# writes no page. Skipped (77) only without chromium.
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  echo "test_report: chromium not installed; skipped"
  exit 77
fi

# --- media: sentence, 1.6 s pause, "um", 0.4 s, sentence (rainbow_talk.sh) -------
. "$(dirname "$0")/rainbow_talk.sh"
gen_rainbow_talk "$WORK/lesson.mp4"

rainbow_response with-um
read -r UM0 UM1 <"$WORK/um"

python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/server.log" "$WORK/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done

# --- one run -------------------------------------------------------------------
OUT="$WORK/out"
set +e
AI_VIDEO_EDITOR_ASR_API_KEY=sk-report-test "$AVE_BIN" process "$WORK/lesson.mp4" --output "$OUT" \
  --no-progress --type educational --quality low --no-measure-quality --asr http \
  --asr-url "http://127.0.0.1:$(cat "$WORK/port")" >"$WORK/stdout" 2>"$WORK/stderr"
RC=$?
set -e
assert_eq "exit code (stderr: $(cat "$WORK/stderr"))" "$RC" 0
PAGE="$OUT/analytics/report.html"
assert_true "report.html written" test -s "$PAGE"
[ -s "$PAGE" ] || { finish; exit 1; }
M="$OUT/analytics/performance_metrics.json"
assert_eq "report stage ran last" "$(jq -r '.stage_status | keys_unsorted | last' "$M")" report
assert_eq "report size in the metrics" "$(jq .report.bytes "$M")" "$(stat -c %s "$PAGE")"
assert_eq "no staging folder left" "$(find "$OUT" -name '.ave-partial-*' | wc -l)" 0

# --- the browser: DOM and two screenshots, in parallel ---------------------------
URL="file://$PAGE"
browse() {
  local profile=$1; shift
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$WORK/$profile" \
    "$@" "$URL" 2>>"$WORK/chromium.log"
}
browse p1 --dump-dom >"$WORK/dom.html" &
dom=$!
browse p2 --screenshot="$WORK/laptop.png" --window-size=1366,2400 >/dev/null &
shot1=$!
browse p3 --screenshot="$WORK/phone.png" --window-size=390,2400 >/dev/null &
shot2=$!
wait $dom && wait $shot1 && wait $shot2 || fail "chromium failed: $(tail -3 "$WORK/chromium.log")"

png_size() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"; }
assert_eq "laptop screenshot" "$(png_size "$WORK/laptop.png")" 1366x2400
assert_eq "phone screenshot" "$(png_size "$WORK/phone.png")" 390x2400
if [ -n "${AVE_REPORT_KEEP:-}" ]; then
  mkdir -p "$AVE_REPORT_KEEP"
  cp -r "$OUT" "$WORK/laptop.png" "$WORK/phone.png" "$WORK/dom.html" "$AVE_REPORT_KEEP/"
fi

# --- the page against the JSON outputs -------------------------------------------
if python3 "$(dirname "$0")/report_check.py" "$WORK/dom.html" "$OUT" "$UM0" "$UM1" >"$WORK/check.log" 2>&1; then
  pass
  tail -1 "$WORK/check.log"
else
  fail "report_check.py: $(cat "$WORK/check.log")"
fi

# --- degraded and disabled: audio only (no frames, thumbnails), no enhance -------
ASR=(--asr http --asr-url "http://127.0.0.1:$(cat "$WORK/port")")
run_ave process "$WORK/talk.wav" --output "$WORK/audio" --no-progress --no-enhance "${ASR[@]}"
assert_eq "audio-only exit code (stderr: $ERR)" "$RC" 0
A="$WORK/audio/analytics/report.html"
assert_true "audio-only: report written" test -s "$A"
for id in summary timeline loudness transcript thumbnails metadata performance fix; do
  assert_true "audio-only: section $id present" grep -q "<section class=\"card\" id=\"$id\">" "$A"
done
assert_true "audio-only: thumbnails say why they are missing" \
  grep -q 'the thumbnails stage did not run (skipped: no video stream)' "$A"
assert_true "audio-only: loudness says why it is missing" \
  grep -q 'the enhance stage did not run (disabled)' "$A"
assert_eq "audio-only: no thumbnail figures" "$(grep -c '<figure' "$A" || true)" 0

run_ave process "$WORK/talk.wav" --output "$WORK/off" --no-progress --no-enhance --no-report "${ASR[@]}"
assert_eq "--no-report exit code (stderr: $ERR)" "$RC" 0
assert_true "--no-report: no page" test ! -e "$WORK/off/analytics/report.html"
assert_eq "--no-report: stage disabled" \
  "$(jq -r .stage_status.report "$WORK/off/analytics/performance_metrics.json")" disabled
finish
