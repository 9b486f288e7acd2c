#!/usr/bin/env bash
# End to end: edit by transcript (`render OUTPUT_DIR`, docs/EDITING.md).
# Four flite sentences with a flite "um" inside the first, words served by a
# local stand-in ASR server at their known times (so they are exact):
# 1. process: transcript.txt shows the cut "um" in [brackets].
# 2. delete the third sentence's line, render: the output shrinks by exactly
#    the kept piece that held it (on timeline.json: to the microsecond; the
#    video: within a frame + the crossfade), its words leave the edited
#    subtitles, no analysis stage runs, the input is untouched, the first
#    run's settings are reused.
# 3. remove the brackets around "um" (and type two words over one, which is
#    no one-for-one correction), render: the output grows by exactly the
#    filler's cut, the sentence stays deleted, the typed words are reported
#    once and change nothing.
# 4. a different recording named as the input is refused, outputs untouched.
. "$(dirname "$0")/lib.sh"

A="a quick brown fox"
B="jumps over the lazy dog"
S2="video editing takes a lot of time"
S3="please remember to save your work often"
S4="thank you for watching this short video"
n=0
for s in "$A" "um" "$B" "$S2" "$S3" "$S4"; do
  n=$((n + 1))
  flite -voice slt -t "$s" -o "$WORK/raw$n.wav"
  sox "$WORK/raw$n.wav" -r 48000 -c 1 "$WORK/p$n.wav" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
done
gen_silence "$WORK/g0.wav" 0.2
gen_silence "$WORK/g1.wav" 1.0
gen_silence "$WORK/g2.wav" 1.5
sox "$WORK/g1.wav" "$WORK/p1.wav" "$WORK/g0.wav" "$WORK/p2.wav" "$WORK/g0.wav" "$WORK/p3.wav" \
  "$WORK/g2.wav" "$WORK/p4.wav" "$WORK/g2.wav" "$WORK/p5.wav" "$WORK/g2.wav" "$WORK/p6.wav" \
  "$WORK/g1.wav" "$WORK/talk.wav"
mux_video "$WORK/talk.wav" "$WORK/talk.mp4"
# Known extents "start end text" per part, and the words served at even
# shares of each part.
t=1.0
: >"$WORK/parts"
for n in 1 2 3 4 5 6; do
  d=$(soxi -D "$WORK/p$n.wav")
  case $n in 1) s=$A gap=0.2 ;; 2) s=um gap=0.2 ;; 3) s=$B gap=1.5 ;; 4) s=$S2 gap=1.5 ;;
    5) s=$S3 gap=1.5 ;; 6) s=$S4 gap=1 ;; esac
  echo "$t $d $s" >>"$WORK/parts"
  t=$(awk -v a="$t" -v d="$d" -v g="$gap" 'BEGIN { print a + d + g }')
done
python3 "$(dirname "$0")/even_words.py" "$WORK/parts" >"$WORK/response.json"
python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/server.log" "$WORK/port" &
server=$!
trap 'kill $server 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
in_sum=$(md5sum <"$WORK/talk.mp4")

# --- 1. process ---------------------------------------------------------------
# No check looks at thumbnails or PSNR: off, and the renders reuse that.
out="$WORK/out"
run_ave process "$WORK/talk.mp4" --output "$out" --no-progress --asr http \
  --asr-url "http://127.0.0.1:$(cat "$WORK/port")" --quality low --no-thumbnails --no-measure-quality
assert_eq "process exit code (stderr: $ERR)" "$RC" 0
txt="$out/transcript.txt"
assert_true "transcript.txt written" test -s "$txt"
assert_eq "the cut filler is bracketed" "$(grep -c '^\[00:00:01.000\] a quick brown fox \[um\] jumps over the lazy dog$' "$txt")" 1
assert_eq "S3 on a line of its own" "$(grep -c '^\[[0-9:.]*\] please remember to save your work often$' "$txt")" 1
s3_line=$(grep -n 'please remember' "$txt" | cut -d: -f1)
s3_start=$(jq '[.words[] | select(.text == "please")][0].start' "$out/transcript.json")
assert_eq "S3 line time = its first word" "$(sed -n "${s3_line}p" "$txt" | cut -c2-13)" \
  "$(awk -v s="$s3_start" 'BEGIN { printf "00:00:%06.3f", s }')"
# The kept piece holding S3, and the filler's cut, from the first timeline.
read -r k_start k_end <<<"$(jq -r --argjson s "$s3_start" \
  '.segments[] | select(.action == "keep" and .start <= $s and .end > $s) | "\(.start) \(.end)"' "$out/timeline.json")"
read -r f_start f_end <<<"$(jq -r '.segments[] | select(.reason == "filler") | "\(.start) \(.end)"' "$out/timeline.json")"
read -r um_start um_end <<<"$(jq -r '.words[] | select(.text == "um") | "\(.start) \(.end)"' "$out/transcript.json")"
s3_truth=$(sed -n 5p "$WORK/parts")
assert_true "the kept piece [$k_start, $k_end) holds all of S3 ($s3_truth) and nothing else" awk \
  -v a="$k_start" -v b="$k_end" -v t="${s3_truth%% *}" -v d="$(cut -d' ' -f2 <<<"$s3_truth")" \
  'BEGIN { exit !(a <= t && b >= t + d && a > t - 1.4 && b < t + d + 1.4) }'
assert_near "the filler cut is the um's span" "$(awk -v a="$f_start" -v b="$f_end" 'BEGIN { print b - a }')" \
  "$(awk -v a="$um_start" -v b="$um_end" 'BEGIN { print b - a }')" 0.067
ed0=$(jq .edited_duration "$out/timeline.json")
v0=$(media_duration "$out/video/edited.mp4" v:0)

# --- 2. delete the S3 line, render ---------------------------------------------
sed -i '/please remember/d' "$txt"
run_ave render "$out" --no-progress -v
assert_eq "render exit code (stderr: $ERR)" "$RC" 0
m="$out/analytics/performance_metrics.json"
for s in decode silence speech plan; do
  assert_eq "render ran no $s" "$(jq -r ".stage_status.$s" "$m")" "not part of this command"
done
assert_eq "edit stage ran" "$(jq -r .stage_status.edit "$m")" ok
# The report is rebuilt for the new edit (its waveform needs the analysis audio: left out).
assert_eq "report rebuilt" "$(jq -r .stage_status.report "$m")" ok
assert_near "report shows the new edited length" \
  "$(grep -o 'id="output-duration" data-value="[0-9.]*"' "$out/analytics/report.html" | grep -o '[0-9.]*"$' | tr -d '"')" \
  "$(jq -r .output_duration "$m")" 0.001
assert_eq "first run's --quality reused" "$(jq -r '.configuration.quality | "\(.value) \(.source)"' "$m")" "low flag"
assert_eq "stage settings reused too" "$(jq -r '.configuration["speech.asr"].value' "$m")" http
assert_eq "words cut by the edit" "$(jq .edit.words_cut "$m")" 7
ed1=$(jq .edited_duration "$out/timeline.json")
v1=$(media_duration "$out/video/edited.mp4" v:0)
span=$(awk -v a="$k_start" -v b="$k_end" 'BEGIN { print b - a }')
assert_near "timeline shrinks by exactly the S3 piece" "$(awk -v a="$ed0" -v b="$ed1" 'BEGIN { print a - b }')" "$span" 0.000002
assert_near "video shrinks by the S3 piece" "$(awk -v a="$v0" -v b="$v1" 'BEGIN { print a - b }')" "$span" 0.054
assert_near "video = timeline" "$v1" "$ed1" 0.054
assert_eq "S3 gone from the edited subtitles" "$(grep -ci 'remember' "$out/subtitles/edited.srt")" 0
assert_eq "S3 still in the source subtitles" "$(grep -ci 'remember' "$out/subtitles/source.srt")" 1
assert_eq "S3 words cut in transcript.json" \
  "$(jq '[.words[] | select(.start >= '"$k_start"' and .end <= '"$k_end"') | .cut] | all' "$out/transcript.json")" true
assert_eq "transcript.txt shows S3 in brackets now" "$(grep -c '\[please remember to save your work often\]' "$txt")" 1
assert_eq "analysis metrics kept" "$(jq -r .stage_status.speech "$out/analytics/analysis_metrics.json")" ok
assert_eq "input untouched" "$(md5sum <"$WORK/talk.mp4")" "$in_sum"
assert_eq "ASR not asked again" "$(wc -l <"$WORK/server.log")" 1

# --- 3. restore the filler (and type two words over one), render ------------------
sed -i 's/\[um\]/um/; s/lazy/very hazy/' "$txt"
run_ave render "$out" --no-progress
assert_eq "second render exit code (stderr: $ERR)" "$RC" 0
assert_eq "one warning for the mistyped word" "$(grep -c 'match no word.*"hazy"' <<<"$ERR")" 1
ed2=$(jq .edited_duration "$out/timeline.json")
v2=$(media_duration "$out/video/edited.mp4" v:0)
f_span=$(awk -v a="$f_start" -v b="$f_end" 'BEGIN { print b - a }')
assert_near "timeline grows by exactly the filler cut" "$(awk -v a="$ed1" -v b="$ed2" 'BEGIN { print b - a }')" "$f_span" 0.000002
assert_near "video grows by the filler cut" "$(awk -v a="$v1" -v b="$v2" 'BEGIN { print b - a }')" "$f_span" 0.054
assert_eq "um kept now" "$(jq '[.words[] | select(.text == "um") | .cut] | .[0]' "$out/transcript.json")" false
assert_eq "lazy still kept" "$(jq '[.words[] | select(.text == "lazy") | .cut] | .[0]' "$out/transcript.json")" false
assert_eq "S3 stays deleted" "$(grep -ci 'remember' "$out/subtitles/edited.srt")" 0
assert_eq "the filler's cut is gone" "$(jq --argjson a "$f_start" --argjson b "$f_end" \
  '[.segments[] | select(.action == "cut" and .start < $b and .end > $a)] | length' "$out/timeline.json")" 0
assert_eq "analysis metrics still those of process" \
  "$(jq -r .stage_status.speech "$out/analytics/analysis_metrics.json")" ok
# A different recording under the folder's edit is refused; nothing changes.
gen_silence "$WORK/other.wav" 3
sum=$(md5sum <"$out/video/edited.mp4")
run_ave render "$out" "$WORK/other.wav" --no-progress
assert_eq "other input refused" "$RC" 3
assert_eq "refusal names the timeline" "$(grep -c 'timeline.json: made for' <<<"$ERR")" 1
assert_eq "outputs untouched after a refusal" "$(md5sum <"$out/video/edited.mp4")" "$sum"
assert_true "no staging left" test -z "$(find "$out" -name '.ave-partial-*')"
finish
