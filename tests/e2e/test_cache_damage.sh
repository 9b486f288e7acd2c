#!/usr/bin/env bash
# End to end: one damaged entry inside an otherwise healthy results cache.
# After a cold run stores silence and speech, the silence row gets one byte
# changed where the stage's own checks cannot see it (a pause cut's reason,
# silence -> filler) and the speech row is cut short. The next run must warn,
# recompute both, give exactly the results of the cold run (computed, not
# loaded), and replace the bad rows: the run after it loads both again.
. "$(dirname "$0")/lib.sh"

i=0
for s in "the quick brown fox jumps over the lazy dog" "video editing takes a lot of time"; do
  i=$((i + 1))
  flite -voice slt -t "$s" -o "$WORK/raw$i.wav"
  sox "$WORK/raw$i.wav" -r 16000 -c 1 "$WORK/s$i.wav" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
done
sox -n -r 16000 -c 1 "$WORK/g1.wav" trim 0 0.5
sox -n -r 16000 -c 1 "$WORK/g2.wav" trim 0 1.5
sox "$WORK/g1.wav" "$WORK/s1.wav" "$WORK/g2.wav" "$WORK/s2.wav" "$WORK/g1.wav" "$WORK/talk.wav"
DB="$AI_VIDEO_EDITOR_CACHE_DIR/cache.db"

# --export-only: the analysis, plan and transcript, where every lookup is.
process() {
  run_ave process "$WORK/talk.wav" --output "$WORK/$1" --export-only --no-progress "${@:2}"
  assert_eq "$1: exit code (stderr: $ERR)" "$RC" 0
  M="$WORK/$1/analytics/performance_metrics.json"
}
same_results() {
  assert_eq "$1: timeline as computed" "$(jq -S -c 'del(.input)' "$WORK/$1/timeline.json")" \
    "$(jq -S -c 'del(.input)' "$WORK/cold/timeline.json")"
  assert_eq "$1: words as computed" "$(jq -c .words "$WORK/$1/transcript.json")" \
    "$(jq -c .words "$WORK/cold/transcript.json")"
}

process cold
assert_eq "cold: two audio entries stored" "$(jq .cache_statistics.misses.audio "$M")" 2
assert_eq "cold: a pause cut" "$(jq -r '.segments[0].reason' "$WORK/cold/timeline.json")" silence

# Damage the rows in place. An entry: magic, version, metrics JSON length,
# the JSON, then the stage's blob; silence's blob ends with the timeline
# (duration, count, then start, end, keep, reason per segment).
python3 - "$DB" <<'EOF'
import sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT e.id, b.data FROM entries e JOIN blobs b ON b.id = e.id"
                  " WHERE e.kind = 2").fetchall()
done = set()
for key, data in rows:  # key: the entry's rowid, which is its blob's
    data = bytearray(data)
    jlen = struct.unpack_from("<I", data, 8)[0]
    meta = data[12:12 + jlen].decode()
    blob = 12 + jlen
    if '"noise_floor_db"' in meta:
        n = struct.unpack_from("<I", data, blob + 4)[0]
        tl = blob + 8 + 16 * n + 24
        count = struct.unpack_from("<I", data, tl + 8)[0]
        for k in range(count):
            seg = tl + 12 + 24 * k
            keep, reason = struct.unpack_from("<II", data, seg + 16)
            if keep == 0 and reason == 1:
                struct.pack_into("<I", data, seg + 20, 2)  # silence -> filler
                done.add("silence")
                break
    elif '"filler_candidates"' in meta:
        data = data[:len(data) - 40]
        done.add("speech")
    db.execute("UPDATE blobs SET data = ? WHERE id = ?", (bytes(data), key))
    db.execute("UPDATE entries SET size = ? WHERE id = ?", (len(data), key))
db.commit()
assert done == {"silence", "speech"}, done
EOF

process damaged
assert_true "damaged: a warning names the silence entry" \
  grep -q "silence.*warning.*cache\|warning.*silence.*cache" <<<"$ERR"
assert_true "damaged: a warning names the speech entry" \
  grep -q "speech.*warning.*cache\|warning.*speech.*cache" <<<"$ERR"
assert_eq "damaged: both stages ran" "$(jq -r '[.stage_status.silence, .stage_status.speech] | join(",")' "$M")" "ok,ok"
assert_eq "damaged: counted as misses" "$(jq .cache_statistics.misses.audio "$M")" 2
same_results damaged

process again
assert_eq "replaced: both load from the cache" "$(jq -r '[.stage_status.silence, .stage_status.speech] | join(",")' "$M")" \
  "cached,cached"
assert_true "replaced: no warning ($ERR)" test -z "$(grep warning <<<"$ERR" || true)"
same_results again
finish
