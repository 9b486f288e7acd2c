#!/usr/bin/env bash
# batch never writes outside its --output folder, whatever its job table
# says (a copied folder, a tampered row); a recursive batch whose output
# folder is inside its input folder resumes; a job table cut to nothing is
# rebuilt with a warning (issue 17: 3, 5, 11).
source "$AVE_SOURCE_DIR/tests/e2e/lib.sh"

FAST=(--asr off --quality low --no-enhance --no-measure-quality --no-report)
export AI_VIDEO_EDITOR_ENABLE_CACHING=0

IN="$WORK/in"
mkdir -p "$IN"
for n in a b; do
  gen_speech "$WORK/$n.wav" "clip $n has a few words"
  mux_video "$WORK/$n.wav" "$IN/$n.mp4"
done
db() { sqlite3 "$1/.ave-batch/jobs.sqlite" "$2"; }
tree_sum() { (cd "$1" && find . -path ./.ave-batch -prune -o -type f -print0 | sort -z | xargs -0 md5sum); }

# 3a. A copied batch folder: the rerun writes into the copy only.
run_ave batch "$IN" --output "$WORK/out/batch1" "${FAST[@]}"
assert_eq "first batch (stderr: $ERR)" "$RC" 0
cp -a "$WORK/out/batch1" "$WORK/out/b2"
before=$(tree_sum "$WORK/out/batch1")
touch -d '2001-01-01' "$IN/a.mp4" # changed input: the rerun must process it again
run_ave batch "$IN" --output "$WORK/out/b2" "${FAST[@]}"
assert_eq "rerun on the copy (stderr: $ERR)" "$RC" 0
assert_eq "the original batch folder is untouched" "$(tree_sum "$WORK/out/batch1")" "$before"
assert_true "the copy got the new result" \
  test "$WORK/out/b2/a/analytics/performance_metrics.json" -nt "$WORK/out/batch1/a/analytics/performance_metrics.json"
assert_eq "rows name their folder, not a path" "$(db "$WORK/out/b2" "select output_dir from jobs order by id" | tr '\n' ' ')" "a b "

# 3b. A tampered row never sends results outside the root.
mkdir -p "$WORK/victim"
db "$WORK/out/b2" "update jobs set output_dir='$WORK/victim' where input like '%/b.mp4'"
touch -d '2002-02-02' "$IN/b.mp4"
run_ave batch "$IN" --output "$WORK/out/b2" "${FAST[@]}"
assert_eq "rerun after a tampered row (stderr: $ERR)" "$RC" 0
assert_eq "nothing written to the row's folder" "$(find "$WORK/victim" -mindepth 1 | wc -l)" 0
assert_true "result under the root instead" test -s "$WORK/out/b2/victim/video/edited.mp4"
db "$WORK/out/b2" "update jobs set output_dir='../..' where input like '%/b.mp4'"
touch -d '2003-03-03' "$IN/b.mp4"
run_ave batch "$IN" --output "$WORK/out/b2" "${FAST[@]}"
assert_eq "rerun after a '..' row (stderr: $ERR)" "$RC" 0
assert_true "'..' row: a warning names it" grep -q "not a folder name" "$WORK/stderr"
assert_eq "'..' row: nothing published above the root" "$(find "$WORK" -maxdepth 2 -name video | wc -l)" 0

# 5. Recursive batch with its output folder inside the input folder.
run_ave batch "$IN" --recursive --output "$IN/out" "${FAST[@]}"
assert_eq "recursive batch, output inside input (stderr: $ERR)" "$RC" 0
run_ave batch "$IN" --recursive --output "$IN/out" "${FAST[@]}"
assert_eq "its rerun (stderr: $ERR)" "$RC" 0
assert_eq "its rerun skips the done inputs, finds no results as inputs" \
  "$(db "$IN/out" "select count(*) from jobs")" 2

# 11. A job table cut to nothing: rebuilt, with a warning.
: >"$IN/out/.ave-batch/jobs.sqlite"
rm -f "$IN/out/.ave-batch/jobs.sqlite-wal" "$IN/out/.ave-batch/jobs.sqlite-shm"
run_ave batch "$IN" --recursive --output "$IN/out" "${FAST[@]}"
assert_eq "rerun with an empty job table (stderr: $ERR)" "$RC" 0
assert_true "empty job table: warned" grep -q "job table was empty" "$WORK/stderr"

finish
