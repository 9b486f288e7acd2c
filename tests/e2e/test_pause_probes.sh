#!/usr/bin/env bash
# The pause guard's probes (issue 25): a pause cut is decoded again only
# where something near the speech level could be a word. A generated talk
# (espeak-ng, 16 kHz) has pink noise 25-30 dB under its speech, a long pause
# with one word 20 dB under the speech inside it (too quiet for the level
# detector, so the silence stage cuts it), and, after a noise gate, 3 s of
# digital silence. Asserted: the quiet word is still heard and its stretch
# of the pause kept (its probe window was decoded), the noisy pauses are
# still probed, and the digital silence is not decoded at all (metrics
# pause_probe_skipped_s and speech_decoded_s).
source "$(dirname "$0")/lib.sh"

for t in espeak-ng sox soxi jq; do
  command -v $t >/dev/null || { echo "skipping: $t missing"; finish; exit 0; }
done

cd "$WORK"
say() { # NAME TEXT: a phrase at -3 dBFS peak, 16 kHz mono
  espeak-ng -s 150 -w "$1.raw.wav" "$2"
  sox "$1.raw.wav" -r 16000 -c 1 "$1.wav" norm -3
}
say a "the background noise sets the floor for what counts as silence"
say b "so the next thing we need is a threshold for the level"
say c "a camera records thirty pictures every second of the day"
say d "every few milliseconds we compute the energy of the signal"
say q "measurement"
sox q.wav q20.wav vol -20dB
sox -n -r 16000 -c 1 p.wav trim 0 1.2
sox -n -r 16000 -c 1 gate.wav trim 0 3
sox a.wav p.wav q20.wav p.wav b.wav p.wav c.wav p.wav d.wav a.wav b.wav voiced.wav
sox -n -r 16000 -c 1 floor.wav synth "$(soxi -D voiced.wav)" pinknoise vol 0.04
sox -m voiced.wav floor.wav noisy.wav
sox noisy.wav gate.wav c.wav d.wav talk.wav
q0=$(awk -v a="$(soxi -D a.wav)" 'BEGIN { print a + 1.2 }')
q1=$(awk -v a="$q0" -v q="$(soxi -D q.wav)" 'BEGIN { print a + q }')
g0=$(soxi -D noisy.wav)
dur=$(soxi -D talk.wav)

run_ave process talk.wav --no-enhance --export-only --no-report --no-progress --output "$WORK/out"
assert_eq "exit code (stderr: $ERR)" "$RC" 0
m=$WORK/out/analytics/performance_metrics.json
jqt() { jq -e "$@" >/dev/null; }

# The quiet word, inside a pause cut, is heard and keeps its stretch.
assert_true "a word heard inside a pause cut" jqt '.speech.words_rescued_from_pauses >= 1' "$m"
assert_true "a word recognised in the quiet word's place ($q0-$q1 s)" \
  jqt --argjson a "$q0" --argjson b "$q1" '[.words[] | select(.start < $b and .end > $a)] | length >= 1' \
  "$WORK/out/transcript.json"
assert_true "no cut through the quiet word" \
  jqt --argjson a "$q0" --argjson b "$q1" \
  '[.segments[] | select(.action == "cut" and .start < $b and .end > $a)] | length == 0' \
  "$WORK/out/timeline.json"
# The noisy pauses are still probed; the gated silence is not decoded.
assert_true "the noisy pauses are probed" jqt '.speech.pause_probe_s >= 2' "$m"
assert_true "the digital silence after the gate is not probed" \
  jqt '.speech.pause_probe_skipped_s >= 2.5' "$m"
assert_true "... nor decoded at all" \
  jqt --argjson d "$dur" '.speech.speech_decoded_s <= $d - 2.5' "$m"
assert_true "the gate cut stays ($g0 s on)" \
  jqt --argjson g "$g0" \
  '[.segments[] | select(.action == "cut" and .start < $g + 2.5 and .end > $g + 0.5)] | length == 1' \
  "$WORK/out/timeline.json"

finish
