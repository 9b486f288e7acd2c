#!/usr/bin/env bash
# --timeout on an 8K input stops the job within 1.5 s of the limit, with exit
# code 5, one error line, and no output or scratch left behind (issue 17,
# case 7). One 8K frame costs about 0.4 s to decode and re-encode: the render
# checked the clock every 64 packets and closing x264 waited for its
# lookahead thread, so `--timeout 5` stopped at 9.9 s. Then flushing x264
# (its whole lookahead analysed in one call, 1.0-1.6 s here) still ran past
# the check: 3.1-3.9 s for `--timeout 2`. The job's watchdog now removes the
# partial results 0.5 s after the limit and the CLI exits at once.
# The clip is short (1 s at 10 fps) because generating 8K is itself costly;
# the timeout falls inside the render, the longest stage.
. "$(dirname "$0")/lib.sh"

ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=7680x4320:rate=10" \
  -f lavfi -i "sine=f=300:sample_rate=48000" -t 1 -map 0:v -map 1:a \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 10 -c:a aac -b:a 64k "$WORK/8k.mp4"

limit=2
mkdir -p "$WORK/tmp"
# Warm the page cache (libraries, the 8K file) first: a cold start after a
# fresh build once took over a second before the job's clock even started.
"$AVE_BIN" process "$WORK/8k.mp4" --output "$WORK/warm" --no-progress --asr off --timeout 0.5 \
  --temp-dir "$WORK/tmp" >/dev/null 2>&1 || true
t0=$(date +%s.%N)
run_ave process "$WORK/8k.mp4" --output "$WORK/out" --no-progress --asr off --timeout "$limit" \
  --temp-dir "$WORK/tmp"
t1=$(date +%s.%N)
elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "--timeout $limit: stopped after $elapsed s"
assert_eq "exit code (stderr: $ERR)" "$RC" 5
assert_eq "one line on stderr" "$(printf '%s\n' "$ERR" | grep -c .)" 1
assert_true "says timeout: '$ERR'" grep -q "timeout $limit s" "$WORK/stderr"
assert_true "stopped within 1.5 s of the limit (took $elapsed s)" \
  awk -v e="$elapsed" -v l="$limit" 'BEGIN { exit !(e <= l + 1.5) }'
assert_true "no output folder left" test ! -e "$WORK/out"
assert_eq "no staging folder left" "$(find "$WORK" -maxdepth 1 -name '.ave-partial-*' | wc -l)" 0
assert_eq "scratch folder emptied" "$(find "$WORK/tmp" -mindepth 1 | wc -l)" 0
finish
