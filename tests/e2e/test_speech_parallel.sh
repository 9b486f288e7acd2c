#!/usr/bin/env bash
# End to end: speech regions split at short pauses and decoded by two
# PocketSphinx decoders give the same words at the same absolute times as
# one decoder. Four flite sentences (2.6-3.3 s each) joined by pauses of
# 0.45-0.55 s: too short for the silence stage's pauses (0.8 s), long enough
# for the speech stage's region split (0.3 s). `transcribe` runs twice, with
# --no-parallel and with two threads; both transcripts must be identical and
# every word must lie inside its sentence's known position in the file.
. "$(dirname "$0")/lib.sh"

S1="the quick brown fox jumps over the lazy dog near the river"
S2="video editing takes a lot of time and patience every day"
S3="please remember to save your work often when you edit"
S4="thank you very much for watching this short video today"
i=0
for s in "$S1" "$S2" "$S3" "$S4"; do
  i=$((i + 1))
  flite -voice slt -t "$s" -o "$WORK/raw$i.wav"
  sox "$WORK/raw$i.wav" -r 16000 -c 1 "$WORK/s$i.wav" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
done
for g in 0.5 0.45 0.55; do sox -n -r 16000 -c 1 "$WORK/g$g.wav" trim 0 "$g"; done
sox "$WORK/g0.5.wav" "$WORK/s1.wav" "$WORK/g0.45.wav" "$WORK/s2.wav" "$WORK/g0.5.wav" \
  "$WORK/s3.wav" "$WORK/g0.55.wav" "$WORK/s4.wav" "$WORK/g0.5.wav" "$WORK/talk.wav"
# Known sentence extents, "start end" per line.
t=0.5
: >"$WORK/truth"
i=0
for g in 0.45 0.5 0.55 0; do
  i=$((i + 1))
  d=$(soxi -D "$WORK/s$i.wav")
  awk -v a="$t" -v d="$d" 'BEGIN { printf "%.3f %.3f\n", a, a + d }' >>"$WORK/truth"
  t=$(awk -v a="$t" -v d="$d" -v g="$g" 'BEGIN { print a + d + g }')
done

words() { jq -r '.words[] | "\(.text) \(.start) \(.end)"' "$1/transcript.json"; }
for mode in one two; do
  flag=--no-parallel
  [ "$mode" = two ] && flag=--parallel
  run_ave transcribe "$WORK/talk.wav" --output "$WORK/$mode" --no-progress --no-cache $flag
  assert_eq "$mode: exit code (stderr: $ERR)" "$RC" 0
done
m1="$WORK/one/analytics/performance_metrics.json"
m2="$WORK/two/analytics/performance_metrics.json"
assert_eq "threads, --no-parallel" "$(jq .speech.threads "$m1")" 1
assert_eq "threads, --parallel" "$(jq .speech.threads "$m2")" 2
# One region per sentence: split at the short pauses, no sentence joined.
assert_eq "regions" "$(jq .speech.regions "$m2")" 4
assert_eq "same regions" "$(jq .speech.regions "$m1")" 4
n=$(words "$WORK/one" | wc -l)
assert_true "words recognised ($n)" test "$n" -ge 30
assert_eq "two decoders = one decoder (words and times)" "$(words "$WORK/two")" "$(words "$WORK/one")"
# Absolute times: every word inside its sentence (0.1 s slack for frames),
# and each sentence's first word within 0.3 s of its start.
bad=$(words "$WORK/two" | awk 'NR == FNR { a[NR] = $1; b[NR] = $2; n = NR; next }
  { ok = 0; for (i = 1; i <= n; i++) if ($2 >= a[i] - 0.1 && $3 <= b[i] + 0.1) ok = 1; if (!ok) bad++ }
  END { print bad + 0 }' "$WORK/truth" -)
assert_eq "words outside their sentence" "$bad" 0
while read -r a b; do
  first=$(words "$WORK/two" | awk -v a="$a" -v b="$b" '$2 >= a - 0.1 && $2 <= b { print $2; exit }')
  assert_near "first word of the sentence at $a s" "${first:-99}" "$a" 0.3
done <"$WORK/truth"
finish
