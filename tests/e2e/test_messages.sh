#!/usr/bin/env bash
# Error messages are one line with "error:", never carry raw control bytes
# to the terminal, keep their cause when a path is huge, and say what is
# wrong with a still image, a cache that cannot open or a missing job table;
# an empty --output or --temp-dir is a usage error (issue 17: 9, 10).
. "$(dirname "$0")/lib.sh"

FAST=(--asr off --quality low --no-enhance --no-measure-quality --no-report --no-progress)
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240" -frames:v 1 "$WORK/still.jpg"
gen_speech "$WORK/a.wav" "hello world"
mux_video "$WORK/a.wav" "$WORK/a.mp4"
ESC=$'\e'
# one_error_line NAME: stderr is exactly one line, starting with the prefix.
one_error_line() {
  assert_eq "$1: one line (stderr: $ERR)" "$(printf '%s\n' "$ERR" | wc -l)" 1
  assert_true "$1: 'error:' prefix" grep -q '^ai-video-editor: error: ' "$WORK/stderr"
  assert_true "$1: no raw control byte" test "$(tr -d '\n' <"$WORK/stderr" | tr -d '[:print:]' | wc -c)" -eq 0
}

# 10. Empty paths are mistakes, not "use the default".
for flag in --output --temp-dir; do
  run_ave process "$WORK/a.mp4" "$flag" '' "${FAST[@]}"
  assert_eq "$flag '': exit code" "$RC" 2
  one_error_line "$flag ''"
  assert_true "$flag '': says empty" grep -q "empty path" "$WORK/stderr"
done
run_ave process "$WORK/a.mp4" --output= "${FAST[@]}"
assert_eq "--output=: exit code" "$RC" 2
# An empty environment variable still means unset (the shell's convention).
AI_VIDEO_EDITOR_TEMP_DIR='' run_ave process "$WORK/a.mp4" --output "$WORK/o-env" "${FAST[@]}"
assert_eq "empty AI_VIDEO_EDITOR_TEMP_DIR is unset (stderr: $ERR)" "$RC" 0

# 9. Usage errors carry the prefix too.
run_ave process "$WORK/a.mp4" --no-such-flag
assert_eq "unknown flag: exit code" "$RC" 2
one_error_line "unknown flag"
run_ave process "$WORK/a.mp4" --quality
one_error_line "flag without its value"

# Control bytes from the environment are escaped.
AI_VIDEO_EDITOR_QUALITY="${ESC}[2J${ESC}]0;pwned${ESC}\\best" run_ave process "$WORK/a.mp4" "${FAST[@]}"
assert_eq "escape sequence in a variable: exit code" "$RC" 2
one_error_line "escape sequence in a variable"
assert_true "escape sequence shown escaped" grep -qF '\x1b[2J' "$WORK/stderr"

# ... and from transcript.txt (a word that matches nothing is quoted in a warning).
run_ave process "$WORK/a.mp4" --output "$WORK/r" "${FAST[@]}"
assert_eq "process for render (stderr: $ERR)" "$RC" 0
printf '{"engine":"test","words":[{"text":"hello","start":0.1,"end":0.4},{"text":"world","start":0.5,"end":0.8}]}\n' \
  >"$WORK/r/transcript.json"
printf '[00:00:00.100] hello bad%s[31mword%sworld\n' "$ESC" $'\a' >"$WORK/r/transcript.txt"
run_ave render "$WORK/r" --no-progress
assert_eq "render with control bytes in transcript.txt (stderr: $ERR)" "$RC" 0
assert_true "the unmatched word is reported" grep -q 'match no word' "$WORK/stderr"
assert_eq "no raw control byte from transcript.txt" "$(tr -d '\n' <"$WORK/stderr" | tr -d '[:print:]' | wc -c)" 0
assert_true "shown escaped" grep -qF 'word\x07world' "$WORK/stderr"

# A cause at the end of a huge path survives.
deep="$WORK"
for _ in $(seq 1 16); do deep="$deep/$(printf 'x%.0s' $(seq 1 240))"; done
mkdir -p "$deep"
cp "$WORK/still.jpg" "$deep/in.mp4"
run_ave process "$deep/in.mp4" --output "$WORK/o-long" "${FAST[@]}"
assert_eq "huge path: exit code" "$RC" 3
one_error_line "huge path"
assert_true "huge path: the cause is kept" grep -q 'a still image (mjpeg), not a video' "$WORK/stderr"
assert_true "huge path: the line is shortened" test "$(wc -c <"$WORK/stderr")" -lt 1300

# A still image, not "no frame".
run_ave process "$WORK/still.jpg" --output "$WORK/o-jpg" "${FAST[@]}"
assert_eq "still image: exit code" "$RC" 3
one_error_line "still image"
assert_true "still image: says so" grep -q 'a still image' "$WORK/stderr"

# A transport stream whose timestamps restart (two recordings joined by cat).
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=25" -f lavfi \
  -i "sine=f=440" -t 2 -c:v libx264 -preset ultrafast -c:a aac "$WORK/part.ts"
cat "$WORK/part.ts" "$WORK/part.ts" >"$WORK/joined.ts"
run_ave process "$WORK/joined.ts" --output "$WORK/o-ts" --asr off --quality low --no-progress
if [ "$RC" -ne 0 ]; then
  assert_eq "joined .ts: exit code" "$RC" 3
  one_error_line "joined .ts"
  assert_true "joined .ts: names the restart and the remux" grep -q 'restart or jump.*ffmpeg -i IN -c copy' "$WORK/stderr"
fi

# The cache command: one line naming the cause.
mkdir -p "$WORK/cache-file"
: >"$WORK/cache-file/not-a-folder"
run_ave cache clear --cache-dir "$WORK/cache-file/not-a-folder"
assert_eq "cache on a file: exit code" "$RC" 4
one_error_line "cache on a file"
assert_true "cache on a file: names the cause" grep -q 'Not a directory' "$WORK/stderr"

# batch --status without a job table names the folder it looked in.
pushd "$WORK" >/dev/null
run_ave batch --status
popd >/dev/null
assert_eq "status without a table: exit code" "$RC" 3
one_error_line "status without a table"
assert_true "status names the absolute folder" grep -qF "$WORK/output: no batch job table" "$WORK/stderr"

# A damaged job table: one line with SQLite's reason.
mkdir -p "$WORK/bin"
cp "$WORK/a.mp4" "$WORK/bin/"
run_ave batch "$WORK/bin" --output "$WORK/bo" --asr off --quality low
assert_eq "batch (stderr: $ERR)" "$RC" 0
db="$WORK/bo/.ave-batch/jobs.sqlite"
size=$(stat -c %s "$db")
head -c $((size / 2)) /dev/urandom | dd of="$db" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
rm -f "$db-wal" "$db-shm"
run_ave batch "$WORK/bin" --output "$WORK/bo" --asr off --quality low
assert_eq "damaged job table: exit code" "$RC" 4
one_error_line "damaged job table"
assert_true "damaged job table: SQLite's reason" grep -q 'job table: .*malformed\|job table: .*not a database' "$WORK/stderr"

finish
