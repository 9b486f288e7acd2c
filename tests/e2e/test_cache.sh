#!/usr/bin/env bash
# End to end: the results cache.
# A flite clip of three sentences with known pauses is processed repeatedly
# with a cache in the test's own folder:
# 1. cold: silence and speech miss and are stored;
# 2. warm: both load from the cache (audio hit rate 1), and transcript.json,
#    timeline.json and the stages' metrics are identical to the cold run;
# 3. only --quality changed: still every analysis result is reused;
# 4. a silence option changed: silence and speech (which follows it) miss;
# 5. `cache stats` lists the four entries and the database path;
# 6. --no-cache and AI_VIDEO_EDITOR_ENABLE_CACHING=false switch it off;
# 7. a database overwritten with garbage: a warning, moved aside, rebuilt,
#    and the job succeeds; `cache clear` and `cache vacuum` work.
# Only runs 1 and 2 compare rendered outputs; from 3 on --export-only (not
# part of any cache key, like --quality) stops after the analysis and plan,
# where every cache lookup happens, and skips render, enhance and thumbnails.
. "$(dirname "$0")/lib.sh"

CACHE="$AI_VIDEO_EDITOR_CACHE_DIR"
i=0
for s in "the quick brown fox jumps over the lazy dog" "video editing takes a lot of time" \
  "thank you for watching this short video"; do
  i=$((i + 1))
  flite -voice slt -t "$s" -o "$WORK/raw$i.wav"
  sox "$WORK/raw$i.wav" -r 48000 -c 1 "$WORK/s$i.wav" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
done
gen_silence "$WORK/g1.wav" 0.5
gen_silence "$WORK/g2.wav" 1.5
sox "$WORK/g1.wav" "$WORK/s1.wav" "$WORK/g2.wav" "$WORK/s2.wav" "$WORK/g2.wav" "$WORK/s3.wav" \
  "$WORK/g1.wav" "$WORK/talk.wav"
mux_video "$WORK/talk.wav" "$WORK/talk.mp4"

# process NAME [flags...]: process into $WORK/NAME; M is its metrics file.
process() {
  local name=$1; shift
  run_ave process "$WORK/talk.mp4" --output "$WORK/$name" --no-progress "$@"
  assert_eq "$name: exit code (stderr: $ERR)" "$RC" 0
  M="$WORK/$name/analytics/performance_metrics.json"
}
cs() { jq -r ".cache_statistics.$1" "$M"; }

# 1. cold
process cold
assert_eq "cold: enabled" "$(cs enabled)" true
assert_eq "cold: database in the test's cache folder" "$(cs path)" "$CACHE/cache.db"
assert_eq "cold: audio misses" "$(cs misses.audio)" 2
assert_eq "cold: audio hits" "$(cs hits.audio)" 0
assert_eq "cold: audio hit rate" "$(cs audio_hit_rate)" 0
assert_eq "cold: no api lookups -> null rate" "$(cs api_hit_rate)" null
assert_eq "cold: frames looked up (thumbnail kind)" "$(cs misses.thumbnail)" 1
assert_eq "cold: thumbnail hit rate" "$(cs thumbnail_hit_rate)" 0
assert_eq "cold: entries stored (silence, frames, speech)" "$(cs entries)" 3
assert_eq "cold: speech ran" "$(jq -r .stage_status.speech "$M")" ok
words_cold=$(jq -c '.words' "$WORK/cold/transcript.json")
assert_true "cold: words recognised" test "$(jq '.words | length' "$WORK/cold/transcript.json")" -ge 12
assert_true "cold: pauses cut" test "$(jq -r .silence.cuts "$M")" -ge 2

# 2. warm
process warm
assert_eq "warm: audio hits" "$(cs hits.audio)" 2
assert_eq "warm: audio misses" "$(cs misses.audio)" 0
assert_eq "warm: audio hit rate" "$(cs audio_hit_rate)" 1
assert_eq "warm: stages loaded" "$(jq -c .cache_statistics.stages_loaded "$M")" '["silence","frames","speech"]'
assert_eq "warm: thumbnail hits" "$(cs hits.thumbnail)" 1
assert_eq "warm: speech status" "$(jq -r .stage_status.speech "$M")" cached
assert_true "warm: bytes saved" test "$(cs bytes_saved)" -gt 1000
assert_eq "warm: same words" "$(jq -c '.words' "$WORK/warm/transcript.json")" "$words_cold"
assert_eq "warm: same timeline" "$(jq -S -c . "$WORK/warm/timeline.json")" \
  "$(jq -S -c . "$WORK/cold/timeline.json")"
assert_eq "warm: same edited subtitles" "$(cat "$WORK/warm/subtitles/edited.srt")" \
  "$(cat "$WORK/cold/subtitles/edited.srt")"
for sec in silence speech; do
  assert_eq "warm: same $sec metrics" "$(jq -S -c ".$sec" "$M")" \
    "$(jq -S -c ".$sec" "$WORK/cold/analytics/performance_metrics.json")"
done
assert_near "warm: same output length" "$(jq .output_duration "$M")" \
  "$(jq .output_duration "$WORK/cold/analytics/performance_metrics.json")" 0.001
assert_true "warm: video rendered" test -s "$WORK/warm/video/edited.mp4"

# 3. --quality does not affect analysis
process quality --quality low --export-only
assert_eq "--quality low: audio hits" "$(cs hits.audio)" 2

# 4. a silence option changes the silence result and everything after it
process minsil --min-silence 1.2 --export-only
assert_eq "--min-silence: audio misses" "$(cs misses.audio)" 2
assert_eq "--min-silence: audio hits" "$(cs hits.audio)" 0

# 5. cache stats
run_ave cache stats
assert_eq "cache stats exit code (stderr: $ERR)" "$RC" 0
assert_true "stats names the database" grep -q "$CACHE/cache.db" "$WORK/stdout"
assert_eq "stats: entries" "$(awk '/^entries:/ { print $2 }' "$WORK/stdout")" 6
assert_eq "stats: audio entries, hits, misses" \
  "$(awk '$1 == "audio" { print $2, $4, $5 }' "$WORK/stdout")" "4 4 4"

# 6. switched off
process nocache --no-cache --export-only
assert_eq "--no-cache: disabled" "$(cs enabled)" false
assert_eq "--no-cache: rate null" "$(cs audio_hit_rate)" null
assert_eq "--no-cache: speech ran" "$(jq -r .stage_status.speech "$M")" ok
# (no recogniser needed to see the switch: --no-cache above shows speech runs)
AI_VIDEO_EDITOR_ENABLE_CACHING=false process envoff --export-only --asr off
assert_eq "env false: disabled" "$(cs enabled)" false

# 7. a corrupt database
head -c 200000 /dev/urandom >"$CACHE/cache.db"
rm -f "$CACHE/cache.db-wal" "$CACHE/cache.db-shm"
process corrupt --export-only
assert_true "corrupt: warning on stderr" grep -q "damaged" "$WORK/stderr"
assert_eq "corrupt: audio misses" "$(cs misses.audio)" 2
assert_true "corrupt: moved aside" test "$(ls "$CACHE" | grep -c 'cache.db.corrupt-')" -ge 1
assert_eq "corrupt: same words" "$(jq -c '.words' "$WORK/corrupt/transcript.json")" "$words_cold"
process rebuilt --export-only
assert_eq "rebuilt: audio hits" "$(cs hits.audio)" 2

run_ave cache clear
assert_eq "cache clear exit code" "$RC" 0
run_ave cache stats
assert_eq "after clear: entries" "$(awk '/^entries:/ { print $2 }' "$WORK/stdout")" 0
run_ave cache vacuum
assert_eq "cache vacuum exit code (stderr: $ERR)" "$RC" 0
run_ave cache frobnicate
assert_eq "unknown cache action exit code" "$RC" 2

# --cache-aggressive (the guide's AI_VIDEO_EDITOR_CACHE_AGGRESSIVE): AI-service
# answers and trends live 7 days, and the frame analysis, which reads the
# input and --mode only, is reused across changes of other options.
AI_VIDEO_EDITOR_CACHE_DIR="$WORK/cache-agg" process agg1 --asr off --cache-aggressive
assert_eq "aggressive: recorded" "$(cs aggressive)" true
assert_eq "aggressive: api answers live 7 days" "$(cs ttl_s.api)" 604800
assert_eq "aggressive: trends live 7 days" "$(cs ttl_s.trend)" 604800
AI_VIDEO_EDITOR_CACHE_DIR="$WORK/cache-agg" AI_VIDEO_EDITOR_CACHE_AGGRESSIVE=true \
  process agg2 --asr off --min-silence 1.2 --type educational
assert_eq "aggressive: frames reused across --min-silence and --type" \
  "$(jq -r .stage_status.frames "$M")" cached
assert_eq "aggressive: the silence stage ran again" "$(jq -r .stage_status.silence "$M")" ok
assert_eq "aggressive: the same frame analysis" \
  "$(jq -c .frames "$WORK/agg2/analysis/frames.json" | md5sum)" "$(jq -c .frames "$WORK/agg1/analysis/frames.json" | md5sum)"
AI_VIDEO_EDITOR_CACHE_DIR="$WORK/cache-agg" process agg3 --asr off --min-silence 1.2 --cache-aggressive --mode fast
assert_eq "aggressive: --mode (which frames reads) still misses" "$(jq -r .stage_status.frames "$M")" ok
AI_VIDEO_EDITOR_CACHE_DIR="$WORK/cache-agg" process agg4 --asr off --min-silence 1.5
assert_eq "default: frames recomputed after a --min-silence change" "$(jq -r .stage_status.frames "$M")" ok
assert_eq "default: lifetimes" "$(cs ttl_s.api) $(cs ttl_s.trend)" "3600 86400"

# Damaged copies are kept for a bug report, but only the newest three: a
# cache that breaks again and again must not fill the disk.
CD="$WORK/cache-damaged"
mkdir -p "$CD"
for t in 1700000001 1700000002 1700000003 1700000004; do echo old >"$CD/cache.db.corrupt-$t"; done
echo "not a database at all, but longer than a header would be" >"$CD/cache.db"
run_ave cache stats --cache-dir "$CD"
assert_eq "stats on a damaged cache (stderr: $ERR)" "$RC" 0
assert_eq "damaged copies kept" "$(ls "$CD" | grep -c 'corrupt-[0-9-]*$')" 3
assert_true "the newest damage is kept" test "$(ls "$CD" | grep 'corrupt-' | grep -vc '^cache.db.corrupt-17000000')" -eq 1
assert_true "the oldest copy is gone" test ! -e "$CD/cache.db.corrupt-1700000001"
finish
