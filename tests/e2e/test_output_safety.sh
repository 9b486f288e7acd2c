#!/usr/bin/env bash
# The input is never replaced by a result, `render` refuses another recording
# of the same length, two jobs never share an output folder, and a second
# run leaves none of the first run's results behind (issue 17: 1, 2, 4).
. "$(dirname "$0")/lib.sh"

FAST=(--asr off --quality low --no-enhance --no-measure-quality --no-report --no-progress)
gen_speech "$WORK/a.wav" "a phrase that is spoken before a pause"
gen_silence "$WORK/gap.wav" 1.2
sox "$WORK/a.wav" "$WORK/gap.wav" "$WORK/a.wav" "$WORK/talk.wav"
mux_video "$WORK/talk.wav" "$WORK/talk.mp4"
# Same length, other content: another test pattern and the audio reversed.
sox "$WORK/talk.wav" "$WORK/other.wav" reverse
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "smptebars=size=640x360:rate=30" \
  -i "$WORK/other.wav" -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p -c:a aac -b:a 96k "$WORK/other.mp4"
sum() { sha256sum "$1" | cut -d' ' -f1; }
orig=$(sum "$WORK/talk.mp4")

# 1. The input at the path of a result: refused before any work, untouched.
for rel in video/edited.mp4 audio/edited.m4a; do
  o="$WORK/o-${rel%%/*}"
  mkdir -p "$o/${rel%/*}"
  cp "$WORK/talk.mp4" "$o/$rel"
  run_ave process "$o/$rel" --output "$o" "${FAST[@]}"
  assert_eq "input as $rel: exit code (stderr: $ERR)" "$RC" 2
  assert_eq "input as $rel: one error line" "$(printf '%s\n' "$ERR" | grep -c 'error:')" 1
  assert_true "input as $rel: message names the conflict" grep -q "would be replaced" "$WORK/stderr"
  assert_eq "input as $rel: unchanged" "$(sum "$o/$rel")" "$orig"
done
# ... also through a symbolic link to it from outside the folder.
ln -s "$WORK/o-video/video/edited.mp4" "$WORK/link.mp4"
run_ave process "$WORK/link.mp4" --output "$WORK/o-video" "${FAST[@]}"
assert_eq "input through a link: exit code" "$RC" 2
assert_eq "input through a link: unchanged" "$(sum "$WORK/o-video/video/edited.mp4")" "$orig"
# ... and `render O O/audio/edited.m4a` on an audio-only run.
run_ave process "$WORK/talk.wav" --output "$WORK/ra" "${FAST[@]}"
assert_eq "audio-only run (stderr: $ERR)" "$RC" 0
before=$(sum "$WORK/ra/audio/edited.m4a")
run_ave render "$WORK/ra" "$WORK/ra/audio/edited.m4a" --no-progress
assert_eq "render onto its own result: exit code (stderr: $ERR)" "$RC" 2
assert_eq "render onto its own result: unchanged" "$(sum "$WORK/ra/audio/edited.m4a")" "$before"
# An input beside the results (not one of them) is fine.
cp "$WORK/talk.mp4" "$WORK/o-video/talk.mp4"
run_ave process "$WORK/o-video/talk.mp4" --output "$WORK/o-video" "${FAST[@]}"
assert_eq "input beside the results (stderr: $ERR)" "$RC" 0
assert_eq "input beside the results: unchanged" "$(sum "$WORK/o-video/talk.mp4")" "$orig"

# 2. render on another recording of the same length: exit 3, nothing changed.
run_ave process "$WORK/talk.mp4" --output "$WORK/r" "${FAST[@]}"
assert_eq "process for render (stderr: $ERR)" "$RC" 0
assert_true "timeline.json records the input's fingerprint" \
  jq -e '.input_fingerprint | length == 64' "$WORK/r/timeline.json"
cp "$WORK/talk.mp4" "$WORK/r-in.mp4"
run_ave render "$WORK/r" "$WORK/r-in.mp4" --no-progress
assert_eq "render of a copy of the same recording (stderr: $ERR)" "$RC" 0
edited=$(sum "$WORK/r/video/edited.mp4")
run_ave render "$WORK/r" "$WORK/other.mp4" --no-progress
assert_eq "render of another recording: exit code (stderr: $ERR)" "$RC" 3
assert_true "render of another recording: says why" grep -q "another recording" "$WORK/stderr"
assert_eq "render of another recording: video unchanged" "$(sum "$WORK/r/video/edited.mp4")" "$edited"

# 4a. Two jobs on one output folder at once: the second is refused (exit 4)
# and the first's results are all its own.
"$AVE_BIN" process "$WORK/talk.mp4" --output "$WORK/both" "${FAST[@]}" --quality ultra \
  2>"$WORK/first.err" &
pid=$!
for _ in $(seq 1 200); do
  compgen -G "$WORK/both/.ave-partial-*" >/dev/null && break
  sleep 0.05
done
run_ave process "$WORK/talk.wav" --output "$WORK/both" "${FAST[@]}"
set +e; wait "$pid"; first=$?; set -e
assert_eq "first job (stderr: $(cat "$WORK/first.err"))" "$first" 0
assert_eq "second job on a busy folder: exit code (stderr: $ERR)" "$RC" 4
assert_true "second job: says the folder is busy" grep -q "another job is writing" "$WORK/stderr"
assert_true "first job's video is there" test -s "$WORK/both/video/edited.mp4"
assert_true "no audio-only result of the second" test ! -e "$WORK/both/audio/edited.m4a"
assert_eq "metrics name the first input" "$(jq -r .input_path "$WORK/both/analytics/performance_metrics.json")" "$WORK/talk.mp4"

# 4b. A second run with another input replaces the first run's results:
# nothing of the first is left, and files that are not ours stay.
echo "my notes" >"$WORK/both/notes.txt"
mkdir -p "$WORK/both/thumbnails"
echo keep >"$WORK/both/thumbnails/mine.txt"
run_ave process "$WORK/talk.wav" --output "$WORK/both" --asr off --quality low --no-progress
assert_eq "second run (stderr: $ERR)" "$RC" 0
assert_true "the first run's video is gone" test ! -e "$WORK/both/video/edited.mp4"
assert_true "the first run's frame analysis is gone" test ! -e "$WORK/both/analysis/frames.json"
assert_eq "the first run's thumbnails are gone" "$(find "$WORK/both/thumbnails" -name '*.jpg' | wc -l)" 0
assert_true "the new audio result" test -s "$WORK/both/audio/edited.m4a"
assert_true "the user's file is kept" test -s "$WORK/both/notes.txt"
assert_true "the user's file among the results is kept" test -s "$WORK/both/thumbnails/mine.txt"
assert_eq "manifest names the new input" "$(jq -r .input "$WORK/both/.ave-outputs.json")" "$WORK/talk.wav"
# Every file the manifest lists exists, and every result file is listed.
missing=$(jq -r '.files[]' "$WORK/both/.ave-outputs.json" | while read -r f; do
  [ -e "$WORK/both/$f" ] || echo "$f"; done)
assert_eq "manifest lists only files that exist" "$missing" ""
unlisted=$(cd "$WORK/both" && find . -type f ! -name notes.txt ! -name mine.txt ! -name .ave-outputs.json | sed 's|^\./||' |
  while read -r f; do jq -e --arg f "$f" '.files | index($f)' .ave-outputs.json >/dev/null || echo "$f"; done)
assert_eq "every result is in the manifest" "$unlisted" ""
# A render (a partial job) on the same input keeps the other results.
(cd "$WORK/both" && find . -type f | sort) >"$WORK/before.txt"
run_ave render "$WORK/both" --no-progress
assert_eq "render after process (stderr: $ERR)" "$RC" 0
gone=$(cd "$WORK/both" && find . -type f | sort | comm -23 "$WORK/before.txt" -)
assert_eq "render keeps the results it does not rewrite" "$gone" ""
# --export-only adds NLE timelines beside the rendered edit of the same input.
run_ave process "$WORK/talk.mp4" --output "$WORK/eo" "${FAST[@]}"
assert_eq "process before --export-only (stderr: $ERR)" "$RC" 0
run_ave process "$WORK/talk.mp4" --output "$WORK/eo" "${FAST[@]}" --export-only --export edl
assert_eq "--export-only (stderr: $ERR)" "$RC" 0
assert_true "--export-only keeps the rendered video" test -s "$WORK/eo/video/edited.mp4"
assert_true "--export-only wrote its export" test -s "$WORK/eo/exports/talk.edl"
# A tampered manifest never deletes outside the folder.
echo precious >"$WORK/precious.txt"
jq '.files += ["../precious.txt", "/etc/hostname"]' "$WORK/both/.ave-outputs.json" >"$WORK/m.json"
cp "$WORK/m.json" "$WORK/both/.ave-outputs.json"
run_ave process "$WORK/talk.wav" --output "$WORK/both" --asr off --quality low --no-progress
assert_eq "run after a tampered manifest (stderr: $ERR)" "$RC" 0
assert_true "file outside the folder is kept" test -s "$WORK/precious.txt"

finish
