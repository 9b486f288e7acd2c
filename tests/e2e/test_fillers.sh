#!/usr/bin/env bash
# End to end: fillers the recogniser does not write down are still found and
# cut, and no real word loses audio. Three flite sentences at known times
# with an "um" alone in a pause, a drawn-out "uhhh" (0.6 s, pitch kept)
# 0.12 s before a sentence and an "er" inside a sentence (the sentence is
# synthesised as two halves around it). One `process` run; then:
#   - timeline.json cuts >= 50% of every known filler,
#   - transcript.json has a filler word over every known filler,
#   - no cut touches any sentence (every real word fully kept),
#   - the metrics count the detections by source;
# then one `transcribe` run on the same talk in pink noise at 20 dB SNR
# (noise RMS a tenth of the active speech's): every filler is still flagged
# over at least half of it and no filler-flagged span reaches more than
# 20 ms into a sentence (in noise, consonant closures split phrases into
# short voiced islands that look like hesitations).
. "$(dirname "$0")/lib.sh"

# syn OUT.wav TEXT [TEMPO]: flite, 16 kHz mono, trimmed, optionally stretched.
syn() {
  flite -voice slt -t "$2" -o "$WORK/raw.wav"
  sox "$WORK/raw.wav" -r 16000 -c 1 -b 16 "$1" silence 1 0.005 -45d reverse silence 1 0.005 -45d \
    reverse ${3:+tempo -s $3}
}
pause() { sox -n -r 16000 -c 1 -b 16 "$1" trim 0 "$2"; }

syn "$WORK/p1.wav" "video editing takes a lot of time"
syn "$WORK/p2.wav" "please remember to save your work often"
syn "$WORK/p3a.wav" "thank you for watching"
syn "$WORK/p3b.wav" "this short video"
syn "$WORK/um.wav" "um"
syn "$WORK/uh0.wav" "uh"
syn "$WORK/uh.wav" "uh" "$(awk -v d="$(soxi -D "$WORK/uh0.wav")" 'BEGIN { printf "%.3f", d / 0.6 }')"
syn "$WORK/er.wav" "er"
pause "$WORK/g60.wav" 0.6
pause "$WORK/g40.wav" 0.4
pause "$WORK/g35.wav" 0.35
pause "$WORK/g50.wav" 0.5
pause "$WORK/g12.wav" 0.12
pause "$WORK/g15.wav" 0.15
# Pieces in order; the truth lists which are fillers and which are speech.
pieces="g60 p1 g40 um g35 p2 g50 uh g12 p3a g15 er g15 p3b g60"
: >"$WORK/fillers"
: >"$WORK/speech"
t=0
files=()
for p in $pieces; do
  d=$(soxi -D "$WORK/$p.wav")
  e=$(awk -v a="$t" -v d="$d" 'BEGIN { printf "%.4f", a + d }')
  case $p in
  um | uh | er) echo "$t $e $p" >>"$WORK/fillers" ;;
  p*) echo "$t $e $p" >>"$WORK/speech" ;;
  esac
  t=$e
  files+=("$WORK/$p.wav")
done
sox "${files[@]}" "$WORK/talk.wav"

run_ave process "$WORK/talk.wav" --output "$WORK/out" --no-progress
assert_eq "exit code (stderr: $ERR)" "$RC" 0
out="$WORK/out"
tl="$out/timeline.json"
tr="$out/transcript.json"
jq -r '.segments[] | select(.action == "cut") | "\(.start) \(.end) \(.reason)"' "$tl" >"$WORK/cuts"
jq -r '.words[] | select(.filler) | "\(.start) \(.end) \(.text)"' "$tr" >"$WORK/detected"
echo "cuts:"; cat "$WORK/cuts"
echo "filler words:"; cat "$WORK/detected"

# covered FILE A B: share of [A, B] covered by the spans in FILE.
covered() {
  awk -v a="$2" -v b="$3" '{ s = $1 > a ? $1 : a; e = $2 < b ? $2 : b; if (e > s) c += e - s }
    END { printf "%.3f", c / (b - a) }' "$1"
}
while read -r a b name; do
  c=$(covered "$WORK/cuts" "$a" "$b")
  assert_true "filler '$name' at $a-$b s: cut share $c >= 0.5" awk -v c="$c" 'BEGIN { exit !(c >= 0.5) }'
  c=$(covered "$WORK/detected" "$a" "$b")
  assert_true "filler '$name' at $a-$b s: flagged share $c >= 0.5" awk -v c="$c" 'BEGIN { exit !(c >= 0.5) }'
done <"$WORK/fillers"
# Real words: nothing cut inside any sentence (1 ms of rounding allowed).
while read -r a b name; do
  c=$(covered "$WORK/cuts" "$a" "$b")
  assert_true "speech '$name' at $a-$b s keeps all its audio (cut share $c)" \
    awk -v c="$c" -v a="$a" -v b="$b" 'BEGIN { exit !(c * (b - a) <= 0.001) }'
done <"$WORK/speech"
# The kept transcript still has the sentences' words.
kept=$(jq -r '[.words[] | select(.filler | not) | .text] | join(" ")' "$tr")
for w in video editing remember save watching short; do
  assert_true "kept word '$w' in the transcript ($kept)" grep -qw "$w" <<<"$kept"
done
m="$out/analytics/performance_metrics.json"
n=$(jq '.speech.fillers_detected' "$m")
assert_true "metrics: fillers_detected $n >= 3" test "$n" -ge 3
assert_eq "metrics: acoustic support recorded" "$(jq '.speech.fillers_by_acoustic >= 1' "$m")" true

# Pink noise (sox -R: repeatable) at 20 dB below the active speech level
# (the talk is about 80% speech).
sox -R -n -r 16000 -c 1 -b 16 "$WORK/pink.wav" synth "$(soxi -D "$WORK/talk.wav")" pinknoise
rms() { sox "$1" -n stat 2>&1 | awk '/RMS +amplitude/ { print $3 }'; }
vol=$(awk -v s="$(rms "$WORK/talk.wav")" -v n="$(rms "$WORK/pink.wav")" \
  'BEGIN { printf "%.5f", s / sqrt(0.8) / n / 10 }')
sox -R -m "$WORK/talk.wav" -v "$vol" "$WORK/pink.wav" "$WORK/noisy.wav"
run_ave transcribe "$WORK/noisy.wav" --output "$WORK/out20" --no-progress
assert_eq "20 dB: exit code (stderr: $ERR)" "$RC" 0
jq -r '.words[] | select(.filler) | "\(.start) \(.end) \(.text)"' "$WORK/out20/transcript.json" \
  >"$WORK/detected20"
echo "filler words at 20 dB:"; cat "$WORK/detected20"
snr=$(jq '.speech.filler_snr_db' "$WORK/out20/analytics/performance_metrics.json")
assert_true "20 dB: measured SNR $snr is 15-30 dB" awk -v s="$snr" 'BEGIN { exit !(s >= 15 && s <= 30) }'
while read -r a b name; do
  c=$(covered "$WORK/detected20" "$a" "$b")
  assert_true "20 dB: filler '$name' at $a-$b s: flagged share $c >= 0.5" \
    awk -v c="$c" 'BEGIN { exit !(c >= 0.5) }'
done <"$WORK/fillers"
while read -r a b name; do
  c=$(covered "$WORK/detected20" "$a" "$b")
  assert_true "20 dB: speech '$name' at $a-$b s: flagged $c of it (<= 20 ms)" \
    awk -v c="$c" -v a="$a" -v b="$b" 'BEGIN { exit !(c * (b - a) <= 0.02) }'
done <"$WORK/speech"
finish
