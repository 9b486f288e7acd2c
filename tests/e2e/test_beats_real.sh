#!/usr/bin/env bash
# End to end: beats in music played by real sampled instruments (issue 20).
# bench/beats_corpus.py writes MIDI with a known beat grid and renders it
# with fluidsynth and the FluidR3 GM soundfont; `process --type music` runs
# on each clip. The failures this guards against, each seen on real music:
# 1. A 3/4 waltz (bass on 1, chords on 2 and 3, no drums) tracked at double
#    tempo: it must come out at 86 BPM (+-4%) with beat F >= 0.8 (+-70 ms).
# 2. 4 s and 5 s excerpts without a grid or at double tempo: each must get
#    its beats (F >= 0.8) at the right tempo.
# 3. tempo_segments swinging between octaves on steady music (speech over a
#    116 BPM pop song, and the waltz): every segment within 4% of the tempo.
# 4. Punk at 180 BPM (kick on 1 and 3, snare on 2 and 4, eighths on the
#    cymbal, guitar and bass) tracked at 90, the half-note level whose comb
#    scores higher: it must come out at 180 (the backbeat test).
# 5. Funk at 96 BPM whose notes group in dotted eighths (a held-out corpus
#    piece) tracked at that pulse, 121-125 BPM: the beat must divide the bar.
. "$(dirname "$0")/lib.sh"

command -v fluidsynth >/dev/null && [ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] ||
  { echo "$TEST_NAME: SKIP: needs fluidsynth and fluid-soundfont-gm (scripts/install-deps.sh)"; exit 77; }

FAST=(--asr off --no-enhance --quality low --no-progress)
python3 "$AVE_SOURCE_DIR/bench/beats_corpus.py" "$WORK/in" --seconds 12 \
  --only waltz_86,waltz_86_x4,pop_100_x4,country_112_x5,speech_pop_116,punk_180
python3 "$AVE_SOURCE_DIR/bench/beats_corpus.py" "$WORK/in" --seconds 12 --holdout --only funk2_96

# check NAME TRUE_BPM: tempo, every segment and F against the truth.
check() {
  local name=$1 bpm=$2 json="$WORK/out-$1/analysis/beats.json" fm segs
  run_ave process "$WORK/in/$name.wav" --type music "${FAST[@]}" --output "$WORK/out-$name"
  assert_eq "$name: exit code" "$RC" 0
  [ -f "$json" ] || { fail "$name: no beats.json"; return; }
  fm=$(python3 - "$json" "$WORK/in/$name.beats.txt" <<'PY'
import json, sys
est = json.load(open(sys.argv[1]))["beats"]
ref = [float(x) for x in open(sys.argv[2])]
used, hit = set(), 0
for t in ref:
    c = [j for j, x in enumerate(est) if j not in used and abs(x - t) <= 0.07]
    if c:
        used.add(min(c, key=lambda j: abs(est[j] - t))); hit += 1
p, r = (hit / len(est) if est else 0), hit / len(ref)
print("%.3f" % (2 * p * r / (p + r) if hit else 0))
PY
)
  segs=$(jq -r '[.tempo_segments[].bpm | tostring] | join(" ")' "$json")
  echo "$name: tempo $(jq -r .tempo "$json") (true $bpm), segments [$segs], $(jq '.beats | length' "$json") beats, F $fm"
  assert_near "$name: tempo" "$(jq -r .tempo "$json")" "$bpm" "$(awk -v b="$bpm" 'BEGIN { print b * 0.04 }')"
  for s in $segs; do
    assert_near "$name: tempo segment" "$s" "$bpm" "$(awk -v b="$bpm" 'BEGIN { print b * 0.04 }')"
  done
  assert_true "$name: F-measure $fm >= 0.8" awk -v f="$fm" 'BEGIN { exit !(f >= 0.8) }'
}

check waltz_86 86
check waltz_86_x4 86
check pop_100_x4 100
check country_112_x5 112
check speech_pop_116 116
check punk_180 180
check funk2_96 96
finish
