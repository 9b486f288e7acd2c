#!/usr/bin/env bash
# Batch benchmark: throughput of `batch` with --max-parallel 2 vs 1 on four
# short generated clips (wall time ratio), and resume after SIGKILL: kill the
# batch and its child after the first job is done, re-run, and check that the
# finished job was not redone and no staging folder is left.
# usage: bench/bench_batch.sh [path/to/ai-video-editor] [seconds per clip]
set -euo pipefail
BIN=${1:-build/ai-video-editor}
LEN=${2:-8}
BIN=$(realpath "$BIN")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench_batch.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FLAGS=(--quality low --no-progress --no-enable-caching) # no warm-cache shortcut between runs

echo "generating 4 clips of $LEN s (640x360, flite speech)"
mkdir -p "$WORK/in"
for i in 1 2 3 4; do
  flite -t "Clip number $i. This is a short talk for the batch benchmark, with a few pauses." \
    -o "$WORK/s$i.wav"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=30" \
    -i "$WORK/s$i.wav" -af "apad" -t "$LEN" -map 0:v -map 1:a -c:v libx264 -preset ultrafast \
    -pix_fmt yuv420p -c:a aac "$WORK/in/clip$i.mp4"
done

run() { # run N OUT: wall seconds of one batch
  local t0 t1
  t0=$(date +%s.%N)
  "$BIN" batch "$WORK/in" --output "$2" --max-parallel "$1" "${FLAGS[@]}" -q
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
t1=$(run 1 "$WORK/p1")
t2=$(run 2 "$WORK/p2")
printf 'max-parallel 1: %.1f s   max-parallel 2: %.1f s   speed-up x%.2f (%d cores)\n' \
  "$t1" "$t2" "$(echo "$t1 / $t2" | bc -l)" "$(nproc)"
jq -r '.jobs[] | "  \(.input | split("/") | last): \(.duration_s * 10 | round / 10) s, peak \(.measured_peak_bytes / 1048576 | round) MiB (estimated \(.estimated_peak_bytes / 1048576 | round))"' \
  "$WORK/p2/batch_summary.json"

echo "resume after SIGKILL"
OUT="$WORK/kill"
db() { sqlite3 "$OUT/.ave-batch/jobs.sqlite" "$1" 2>/dev/null || echo 0; }
"$BIN" batch "$WORK/in" --output "$OUT" --max-parallel 1 "${FLAGS[@]}" -q &
B=$!
until [ "$(db "select count(*) from jobs where state='done'")" -ge 1 ] &&
  [ "$(db "select count(*) from jobs where state='running'")" -ge 1 ]; do sleep 0.05; done
sleep 1
CHILD=$(db "select pid from jobs where state='running'")
kill -9 "$B" "$CHILD"
wait "$B" 2>/dev/null || true
FIRST=$(db "select output_dir from jobs where state='done' order by id limit 1")
DONE_AT_KILL=$(db "select count(*) from jobs where state='done'")
SUM=$(md5sum "$FIRST/analytics/performance_metrics.json")
PARTIAL=$(find "$OUT" -name '.ave-partial-*' | wc -l)
t0=$(date +%s.%N)
"$BIN" batch "$WORK/in" --output "$OUT" --max-parallel 1 "${FLAGS[@]}" -q
t1=$(date +%s.%N)
printf 'killed with %s done and %s staging folder(s); re-run took %.1f s, done %s/4, first job %s, staging folders left %s\n' \
  "$DONE_AT_KILL" "$PARTIAL" "$(echo "$t1 - $t0" | bc -l)" "$(db "select count(*) from jobs where state='done'")" \
  "$([ "$(md5sum "$FIRST/analytics/performance_metrics.json")" = "$SUM" ] && echo untouched || echo REDONE)" \
  "$(find "$OUT" -name '.ave-partial-*' | wc -l)"
