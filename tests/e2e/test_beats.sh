#!/usr/bin/env bash
# End to end: beat tracking and beat-synced editing of generated music.
# 1. Drum tracks at 97/120/128/140 BPM, a drum-less plucked track and a
#    100 -> 130 BPM change (sample-exact grids, bench/bench_beats.sh makes
#    them): tempo within 1% (no octave errors), beat F-measure >= 0.9 at
#    +-70 ms, downbeats on the true bar starts, high music confidence.
# 2. Speech: low music confidence, and --enable-beat-sync leaves its cuts.
# 3. A 30 s music video (testsrc2 + a 120 BPM track with quiet and loud
#    parts) with --type music --enable-beat-sync --target-duration 15:
#    about 15 s out, every cut boundary within 20 ms of a true beat, only
#    trim cuts, the loud parts kept, and in the rendered audio a kick onset
#    within 20 ms of every join.
. "$(dirname "$0")/lib.sh"
BEATS_LIB_ONLY=1 . "$AVE_SOURCE_DIR/bench/bench_beats.sh"

FAST=(--asr off --no-enhance --quality low --no-progress)

# --- 1. generated tracks ------------------------------------------------------
beats_corpus "$WORK" 12
for f in "$WORK"/*.wav; do
  name=$(basename "$f" .wav)
  run_ave process "$f" --type music "${FAST[@]}" --output "$WORK/out-$name"
  assert_eq "$name: exit code" "$RC" 0
  json="$WORK/out-$name/analysis/beats.json"
  [ -f "$json" ] || { fail "$name: no beats.json"; continue; }
  read -r err oct fm dacc <<<"$(beats_eval "$json" "$f")"
  echo "$name: tempo $(jq -r .tempo "$json") error ${err}% F $fm downbeats $dacc"
  assert_near "$name: tempo error %" "$err" 0 1
  assert_eq "$name: no octave error" "$oct" 1
  assert_true "$name: F-measure $fm >= 0.9" awk -v f="$fm" 'BEGIN { exit !(f >= 0.9) }'
  assert_true "$name: downbeat accuracy $dacc >= 0.9" awk -v f="$dacc" 'BEGIN { exit !(f >= 0.9) }'
  conf=$(jq -r .confidence "$json")
  assert_true "$name: music confidence $conf >= 0.6" awk -v c="$conf" 'BEGIN { exit !(c >= 0.6) }'
  assert_eq "$name: metrics section" "$(jq -r '.beats.beat_count > 0' "$WORK/out-$name/analytics/performance_metrics.json")" true
done
segs=$(jq '.tempo_segments | length' "$WORK/out-change100to130/analysis/beats.json")
assert_eq "tempo change: two tempo segments" "$segs" 2

# --- 2. speech ----------------------------------------------------------------
gen_speech "$WORK/s1.wav" "this is a short talk about editing video without music"
sox "$WORK/s1.wav" -p pad 0 1.5 | sox - "$WORK/s1.wav" "$WORK/speech.wav"
run_ave process "$WORK/speech.wav" --enable-beat-sync "${FAST[@]}" --output "$WORK/out-speech"
assert_eq "speech: exit code" "$RC" 0
conf=$(jq -r .confidence "$WORK/out-speech/analysis/beats.json")
echo "speech: music confidence $conf"
assert_true "speech: music confidence $conf < 0.3" awk -v c="$conf" 'BEGIN { exit !(c < 0.3) }'
assert_eq "speech: no beat sync" "$(jq -r '.beats.synced_boundaries // "none"' "$WORK/out-speech/analytics/performance_metrics.json")" none

# --- 3. music video with a target duration --------------------------------------
beats_gen "$WORK/song.wav" "drums 120 3 -12" "drums 120 5 0" "drums 120 3 -12" "drums 120 4 0"
ffmpeg -v error -f lavfi -i testsrc2=size=320x240:rate=30:duration=30 -i "$WORK/song.wav" \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -b:a 128k -shortest "$WORK/song.mp4"
# No check looks at its thumbnails or PSNR.
run_ave process "$WORK/song.mp4" --type music --enable-beat-sync --target-duration 15 --min-section 4 \
  "${FAST[@]}" --no-thumbnails --no-measure-quality --output "$WORK/out-song"
assert_eq "music video: exit code" "$RC" 0
TL="$WORK/out-song/timeline.json"
OUTV="$WORK/out-song/video/edited.mp4"
dur=$(media_duration "$OUTV")
echo "music video: $dur s out"
assert_near "music video: output duration" "$dur" 15 1.1
assert_near "music video: tempo" "$(jq -r .tempo "$WORK/out-song/analysis/beats.json")" 120 1.2
assert_eq "music video: only trim cuts" "$(jq -r '[.removed[].reason] | unique | join(",")' "$TL")" trim
# Every boundary within 20 ms of a true beat (beats every 0.5 s from 0).
worst=$(jq -r '.segments[1:][] | .start' "$TL" |
  awk '{ d = $1 - int($1 / 0.5 + 0.5) * 0.5; if (d < 0) d = -d; if (d > w) w = d } END { printf "%.4f", w + 0 }')
echo "music video: worst boundary distance to a beat ${worst} s"
assert_near "music video: boundaries on beats" "$worst" 0 0.020
# The loud parts (6-16 s, 22-30 s) are what is kept.
loud=$(jq -r '[.kept[] | select(.start >= 5.99 and .end <= 16.01 or .start >= 21.99 and .end <= 30.01)] | length' "$TL")
assert_eq "music video: kept pieces in loud parts" "$loud" "$(jq '.kept | length' "$TL")"
# In the output, a kick onset within 20 ms of every join.
ffmpeg -v error -i "$OUTV" -vn -ac 1 -ar 16000 -f s16le "$WORK/out.raw"
joins=$(jq -r '[.segments[] | select(.action == "keep") | .edited_end] | .[:-1] | join(" ")' "$TL")
res=$(python3 - "$WORK/out.raw" $joins <<'PY'
import math, struct, sys
raw = open(sys.argv[1], "rb").read()
x = struct.unpack("<%dh" % (len(raw) // 2), raw)
hop = 64
lv = []
for j in range(len(x) // hop):
    e = sum(v * v for v in x[j * hop:(j + 1) * hop]) / hop
    lv.append(10 * math.log10(e + 1e-3))
worst = 0
for s in sys.argv[2:]:
    t = float(s); lo = int((t - 0.06) * 250); hi = int((t + 0.06) * 250)
    best = max(range(max(lo, 3), min(hi, len(lv))), key=lambda j: lv[j] - sum(lv[j - 3:j]) / 3)
    worst = max(worst, abs(best * hop / 16000 - t))
print("%d %.4f" % (len(sys.argv) - 2, worst))
PY
)
read -r njoins wj <<<"$res"
echo "music video: $njoins join(s), worst onset distance ${wj} s"
assert_true "music video: at least one join" [ "$njoins" -ge 1 ]
assert_near "music video: onsets at the joins" "$wj" 0 0.020
finish
