#!/usr/bin/env bash
# A run killed mid-render (SIGKILL: no cleanup at all) leaves only a staging
# folder and a scratch folder; nothing appears among the results. The next
# run removes both leftovers and succeeds. SIGTERM stops cleanly with 130.
. "$(dirname "$0")/lib.sh"

gen_speech "$WORK/a.wav" "a phrase that is spoken before a pause"
gen_silence "$WORK/gap.wav" 1.5
sox "$WORK/a.wav" "$WORK/gap.wav" "$WORK/a.wav" "$WORK/gap.wav" "$WORK/a.wav" "$WORK/gap.wav" \
  "$WORK/a.wav" "$WORK/gap.wav" "$WORK/a.wav" "$WORK/talk.wav"
mux_video "$WORK/talk.wav" "$WORK/talk.mp4"
mkdir -p "$WORK/tmp"

# wait_for_render: until the staged video exists (render has started).
wait_for_render() {
  for _ in $(seq 1 400); do
    if compgen -G "$WORK/out/.ave-partial-*/video/edited.mp4" >/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

"$AVE_BIN" process "$WORK/talk.mp4" --output "$WORK/out" --temp-dir "$WORK/tmp" --no-progress \
  --quality ultra 2>/dev/null &
pid=$!
if wait_for_render; then
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  assert_eq "staging folder left by the crash" "$(find "$WORK/out" -maxdepth 1 -name '.ave-partial-*' | wc -l)" 1
  assert_eq "no result published by the crash" "$(find "$WORK/out" -maxdepth 1 ! -name '.ave-partial-*' -mindepth 1 | wc -l)" 0
  assert_eq "scratch folder left by the crash" "$(ls "$WORK/tmp" | grep -c '^ave-')" 1
else
  wait "$pid" || true
  fail "render never started within 20 s"
fi

run_ave process "$WORK/talk.mp4" --output "$WORK/out" --temp-dir "$WORK/tmp" --no-progress
assert_eq "rerun exit code (stderr: $ERR)" "$RC" 0
assert_true "rerun result" test -s "$WORK/out/video/edited.mp4"
assert_eq "stale staging removed" "$(find "$WORK/out" -name '.ave-partial-*' | wc -l)" 0
assert_eq "stale scratch removed" "$(ls -A "$WORK/tmp")" ""

# SIGTERM: clean stop, documented exit code, previous results untouched.
before=$(md5sum < "$WORK/out/video/edited.mp4")
"$AVE_BIN" process "$WORK/talk.mp4" --output "$WORK/out" --temp-dir "$WORK/tmp" --no-progress \
  --quality ultra 2>"$WORK/term.err" &
pid=$!
wait_for_render || true
kill -TERM "$pid"
set +e; wait "$pid"; rc=$?; set -e
assert_eq "SIGTERM exit code" "$rc" 130
assert_true "SIGTERM message" grep -q "interrupted" "$WORK/term.err"
assert_eq "SIGTERM leaves earlier results" "$(md5sum < "$WORK/out/video/edited.mp4")" "$before"
assert_eq "SIGTERM leaves no staging" "$(find "$WORK/out" -name '.ave-partial-*' | wc -l)" 0
assert_eq "SIGTERM leaves no scratch" "$(ls -A "$WORK/tmp")" ""
finish
