#!/usr/bin/env bash
# batch: every input processed into its own folder; a corrupt input fails
# once (no retry) while the others succeed; a bad process flag fails at once;
# memory-bounded admission serialises jobs that do not fit together; resume
# after SIGKILL of the batch and its child skips the finished job and leaves
# no staging folders; SIGINT stops cleanly with exit 130.
# Children run with --asr off --quality low to stay fast (3-4 s clips).
source "$AVE_SOURCE_DIR/tests/e2e/lib.sh"

FAST=(--asr off --quality low)
export AI_VIDEO_EDITOR_ENABLE_CACHING=0 # every job really runs (no warm-cache shortcut)

# clip NAME SECONDS TEXT: flite speech over a small test pattern.
clip() {
  flite -t "$3" -o "$WORK/$1.wav"
  ffmpeg -hide_banner -loglevel error -y -i "$WORK/$1.wav" -af "adelay=300,apad" -t "$2" \
    -ar 48000 "$WORK/$1-48k.wav"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x180:rate=25" \
    -i "$WORK/$1-48k.wav" -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast \
    -pix_fmt yuv420p -c:a aac -b:a 64k "$WORK/$1.mp4"
}
clip a 3 "The first clip talks about batches of videos."
clip b 4 "The second clip is a little longer than the first one."
clip c 3.5 "Number three is here with more words."

IN="$WORK/in"
mkdir -p "$IN"
cp "$WORK/a.mp4" "$WORK/b.mp4" "$IN/"
cp "$WORK/c-48k.wav" "$IN/c.wav"
head -c 40000 "$WORK/a.mp4" >"$IN/bad.mp4" # truncated: no moov box
echo "not media" >"$IN/notes.txt"

db() { sqlite3 "$1/.ave-batch/jobs.sqlite" "$2"; }
meta() { jq -r "$2" "$1/analytics/performance_metrics.json"; }

# --- 1. all inputs, one corrupt ---------------------------------------------
OD="$WORK/out"
run_ave batch "$IN" --output "$OD" --max-parallel 2 --retry-backoff 0.2 "${FAST[@]}"
assert_eq "exit code with a corrupt input" "$RC" 3
for n in a b; do
  assert_true "$n: edited video" test -s "$OD/$n/video/edited.mp4"
  assert_near "$n: input duration in metrics" "$(meta "$OD/$n" .input_duration)" \
    "$(media_duration "$IN/$n.mp4")" 0.05
  assert_near "$n: edited duration" "$(media_duration "$OD/$n/video/edited.mp4")" \
    "$(meta "$OD/$n" .output_duration)" 0.1
done
assert_true "c: edited audio" test -s "$OD/c/audio/edited.m4a"
assert_near "c: input duration" "$(meta "$OD/c" .input_duration)" 3.5 0.05
assert_eq "notes.txt not taken as input" "$(db "$OD" "select count(*) from jobs")" 4
assert_eq "bad: failed" "$(db "$OD" "select state from jobs where input like '%bad.mp4'")" failed
assert_eq "bad: no retry of an input error" \
  "$(db "$OD" "select attempts||','||exit_code from jobs where input like '%bad.mp4'")" "1,3"
assert_true "bad: error names the file" \
  grep -q "bad.mp4.*moov" <<<"$(db "$OD" "select last_error from jobs where input like '%bad.mp4'")"
assert_eq "done rows" "$(db "$OD" "select count(*) from jobs where state='done' and exit_code=0")" 3
assert_eq "WAL mode" "$(db "$OD" "pragma journal_mode")" wal
assert_eq "summary counts" "$(jq -c '[.counts.done, .counts.failed, .exit_code]' "$OD/batch_summary.json")" "[3,1,3]"
assert_true "summary: measured peak" jq -e '[.jobs[] | select(.state=="done") | .measured_peak_bytes > 20000000] | all' "$OD/batch_summary.json" >/dev/null
assert_true "summary table on stdout" grep -q "3 done, 1 failed" <<<"$OUT"
assert_true "bad: log kept" grep -q "moov" \
  "$OD/.ave-batch/logs/$(db "$OD" "select id from jobs where input like '%bad.mp4'").log"

# Re-running the same command redoes nothing that is done.
before=$(stat -c %Y.%y "$OD/a/analytics/performance_metrics.json")
run_ave batch "$IN" --output "$OD" --max-parallel 2 "${FAST[@]}"
assert_eq "re-run exit code" "$RC" 3
assert_eq "re-run: a untouched" "$(stat -c %Y.%y "$OD/a/analytics/performance_metrics.json")" "$before"
assert_true "re-run: skips" grep -q "skip.*a.mp4" <<<"$ERR"

# --- 2. bad process flag: exit 2 at once, nothing started -------------------
run_ave batch "$IN" --output "$WORK/out-flag" --quality best
assert_eq "bad flag exit code" "$RC" 2
assert_true "bad flag: no job table" test ! -e "$WORK/out-flag/.ave-batch"

# --- 3. memory-bounded: two jobs that do not fit together run one by one ----
OUTM="$WORK/out-mem"
run_ave batch "$IN/a.mp4" "$IN/b.mp4" --output "$OUTM" --max-parallel 2 --max-memory 0.25 "${FAST[@]}"
assert_eq "memory-bounded exit code" "$RC" 0
overlap=$(db "$OUTM" "select count(*) from jobs x, jobs y where x.id < y.id and x.started_at < y.finished_at and y.started_at < x.finished_at")
assert_eq "no overlap under --max-memory 0.25 (2 x 0.13 GiB estimated)" "$overlap" 0

# --- 4. resume after SIGKILL of the batch and its child ---------------------
OUTK="$WORK/out-kill"
"$AVE_BIN" batch "$IN/a.mp4" "$IN/b.mp4" "$IN/c.wav" --output "$OUTK" --max-parallel 1 "${FAST[@]}" \
  >"$WORK/kill.out" 2>&1 &
BATCH=$!
for _ in $(seq 1 600); do
  [ "$(db "$OUTK" "select count(*) from jobs where state='done'" 2>/dev/null || echo 0)" -ge 1 ] &&
    [ "$(db "$OUTK" "select count(*) from jobs where state='running' and pid>0" 2>/dev/null || echo 0)" -ge 1 ] && break
  sleep 0.1
done
CHILD=$(db "$OUTK" "select pid from jobs where state='running'")
# Kill as soon as the child stages outputs: a fixed wait raced a fast child to its end.
for _ in $(seq 1 400); do
  compgen -G "$OUTK/*/.ave-partial-*/*" >/dev/null && break
  sleep 0.02
done
kill -9 "$BATCH" ${CHILD:+"$CHILD"} 2>/dev/null || true
wait "$BATCH" 2>/dev/null || true
assert_eq "after SIGKILL: one done" "$(db "$OUTK" "select count(*) from jobs where state='done'")" 1
assert_eq "after SIGKILL: one left running" "$(db "$OUTK" "select count(*) from jobs where state='running'")" 1
first="$OUTK/$(db "$OUTK" "select output_dir from jobs where state='done'")"
sum_before=$(md5sum "$first/analytics/performance_metrics.json" "$first"/video/edited.mp4 2>/dev/null)
mtime_before=$(stat -c %y "$first/analytics/performance_metrics.json")
run_ave batch "$IN/a.mp4" "$IN/b.mp4" "$IN/c.wav" --output "$OUTK" --max-parallel 1 "${FAST[@]}"
assert_eq "resume exit code" "$RC" 0
assert_eq "resume: all done" "$(db "$OUTK" "select count(*) from jobs where state='done'")" 3
assert_eq "resume: finished job not redone" \
  "$(md5sum "$first/analytics/performance_metrics.json" "$first"/video/edited.mp4 2>/dev/null)" "$sum_before"
assert_eq "resume: metrics mtime" "$(stat -c %y "$first/analytics/performance_metrics.json")" "$mtime_before"
assert_true "resume: interrupted job requeued" grep -q "requeue" <<<"$ERR"
assert_eq "resume: no staging folders" "$(find "$OUTK" -name '.ave-partial-*' | wc -l)" 0
for d in a b c; do assert_true "resume: $d metrics" test -s "$OUTK/$d/analytics/performance_metrics.json"; done

# --- 5. SIGINT: children stopped, jobs requeued, exit 130 --------------------
OUTI="$WORK/out-int"
"$AVE_BIN" batch "$IN/a.mp4" "$IN/b.mp4" "$IN/c.wav" --output "$OUTI" --max-parallel 2 "${FAST[@]}" \
  >"$WORK/int.out" 2>&1 &
BATCH=$!
for _ in $(seq 1 300); do
  [ "$(db "$OUTI" "select count(*) from jobs where state='running'" 2>/dev/null || echo 0)" -ge 1 ] && break
  sleep 0.1
done
PIDS=$(db "$OUTI" "select pid from jobs where state='running'")
sleep 0.3
kill -INT "$BATCH"
set +e
wait "$BATCH"
RC=$?
set -e
assert_eq "SIGINT exit code" "$RC" 130
assert_eq "SIGINT: nothing left running" "$(db "$OUTI" "select count(*) from jobs where state='running'")" 0
assert_true "SIGINT: summary says interrupted" jq -e '.interrupted == true and .exit_code == 130' "$OUTI/batch_summary.json" >/dev/null
alive=0
for p in $PIDS; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
assert_eq "SIGINT: children gone" "$alive" 0
assert_eq "SIGINT: no staging folders" "$(find "$OUTI" -name '.ave-partial-*' | wc -l)" 0

finish
