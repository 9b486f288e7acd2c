#!/usr/bin/env bash
# End to end: stutters, restarts and a filler are removed without touching a
# real word, or muted in place with --mute-fillers.
# A flite clip is built word by word, so every word's true extent is known:
#   "I saw the the big dog / we went to the / we went to the store / um / then we left"
# The local stand-in transcription server (--asr http) serves exactly those
# word times, so the detection is deterministic.
# 1. process: the first "the" and the first "we went to the" are flagged
#    stutter and cut, "um" is flagged filler and cut; every other word is kept,
#    whole and at least 10 ms from any cut (render's 20 ms crossfade never
#    reaches it), and is audible in the output at its edited time; the edited
#    subtitles read the clean sentence.
# 2. --mute-fillers (with the default audio enhancement after render): nothing cut, the output keeps the input's length (within
#    a frame), the muted spans are silent in the output audio, the words
#    around them are not, and the edited subtitles read the clean sentence.
. "$(dirname "$0")/lib.sh"

# "text pause-after" per word; flags by position: S stutter (earlier copy), F filler.
SCRIPT="I 0.05 saw 0.05 the 0.05 the 0.05 big 0.05 dog 0.4
we 0.05 went 0.05 to 0.05 the 0.35 we 0.05 went 0.05 to 0.05 the 0.05 store 0.3
um 0.3 then 0.05 we 0.05 left 0"
EXPECT_STUTTER="[2,6,7,8,9]"
EXPECT_FILLER="[15]"
CLEAN="i saw the big dog we went to the store then we left"

gen_silence "$WORK/lead.wav" 0.5
parts=("$WORK/lead.wav")
t=0.5
words_json=""
i=0
# shellcheck disable=SC2086
set -- $SCRIPT
while [ $# -ge 2 ]; do
  word=$1 pause=$2; shift 2
  if [ ! -f "$WORK/w_$word.wav" ]; then # each distinct word synthesised once
    flite -voice slt -t "$word" -o "$WORK/raw.wav"
    sox "$WORK/raw.wav" -r 48000 -c 1 "$WORK/w_$word.wav" silence 1 0.005 -45d reverse \
      silence 1 0.005 -45d reverse
  fi
  d=$(soxi -D "$WORK/w_$word.wav")
  end=$(awk -v a="$t" -v d="$d" 'BEGIN { printf "%.4f", a + d }')
  words_json+="${words_json:+,}{\"word\": \"$word\", \"start\": $t, \"end\": $end}"
  parts+=("$WORK/w_$word.wav")
  if [ "$pause" != 0 ]; then
    [ -f "$WORK/p_$pause.wav" ] || gen_silence "$WORK/p_$pause.wav" "$pause"
    parts+=("$WORK/p_$pause.wav")
  fi
  t=$(awk -v e="$end" -v p="$pause" 'BEGIN { printf "%.4f", e + p }')
  i=$((i + 1))
done
gen_silence "$WORK/tail.wav" 0.5
parts+=("$WORK/tail.wav")
sox "${parts[@]}" "$WORK/clip.wav"
mux_video "$WORK/clip.wav" "$WORK/clip.mp4"
in_dur=$(media_duration "$WORK/clip.mp4")
# The reference levels come from the input's AAC track, like the outputs'.
ffmpeg -hide_banner -loglevel error -y -i "$WORK/clip.mp4" -vn -ac 1 -ar 48000 -c:a pcm_s16le \
  "$WORK/src.wav"
echo "{\"task\": \"transcribe\", \"language\": \"english\", \"words\": [$words_json]}" >"$WORK/response.json"

python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/server.log" "$WORK/port" &
server=$!
trap 'kill $server 2>/dev/null; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
port=$(cat "$WORK/port")
COMMON=(--no-progress --asr http --asr-url "http://127.0.0.1:$port" --cut-silences off
  --quality low --no-detect-faces --no-measure-quality --no-thumbnails)

# rms_db WAV SPANS: for each "START END" line of SPANS (seconds), the RMS
# level in dBFS of that span of the 16-bit mono WAV (-120 for silence).
rms_db() {
  python3 - "$@" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1]); rate = w.getframerate()
for line in open(sys.argv[2]):
    a, b = (int(float(v) * rate) for v in line.split()[:2])
    w.setpos(max(a, 0)); raw = w.readframes(max(b - a, 0))
    x = struct.unpack("<%dh" % (len(raw) // 2), raw)
    e = sum(v * v for v in x) / max(len(x), 1)
    print("%.1f" % (10 * math.log10(e / 32768.0 ** 2) if e > 0 else -120))
PY
}
# subs_text SRT: the cue words in order, one line.
subs_text() { grep -v -- '-->' "$1" | grep -v '^[0-9]*$' | tr '\n' ' ' | tr -s ' ' | sed 's/ $//'; }

# --- 1. cut ---------------------------------------------------------------------
run_ave process "$WORK/clip.mp4" --output "$WORK/cut" "${COMMON[@]}" --no-enhance
assert_eq "exit code (stderr: $ERR)" "$RC" 0
tr="$WORK/cut/transcript.json"
tl="$WORK/cut/timeline.json"
assert_eq "words as served" "$(jq '.words | length' "$tr")" "$i"
assert_eq "stutter flags" "$(jq -c '[.words | to_entries[] | select(.value.stutter) | .key]' "$tr")" \
  "$EXPECT_STUTTER"
assert_eq "filler flags" "$(jq -c '[.words | to_entries[] | select(.value.filler) | .key]' "$tr")" \
  "$EXPECT_FILLER"
assert_eq "cut words = stutters + filler" \
  "$(jq -c '[.words | to_entries[] | select(.value.cut) | .key]' "$tr")" "[2,6,7,8,9,15]"
assert_eq "stutter cuts on the timeline" \
  "$(jq '[.segments[] | select(.reason == "stutter")] | length' "$tl")" 2
assert_eq "filler cut on the timeline" "$(jq '[.segments[] | select(.reason == "filler")] | length' "$tl")" 1
# Every kept word lies inside one kept segment with 10 ms to spare at each side.
jq -r '.segments[] | select(.action == "keep") | "\(.start) \(.end) \(.edited_start)"' "$tl" >"$WORK/kept"
jq -r '.words[] | select(.cut | not) | "\(.start) \(.end) \(.edited_start) \(.edited_end)"' "$tr" >"$WORK/kw"
unsafe=$(awk 'NR == FNR { s[NR] = $1; e[NR] = $2; n = NR; next }
  { ok = 0; for (k = 1; k <= n; k++) if ($1 - 0.01 >= s[k] - 1e-6 && $2 + 0.01 <= e[k] + 1e-6) ok = 1
    if (!ok) bad++ } END { print bad + 0 }' "$WORK/kept" "$WORK/kw")
assert_eq "kept words closer than 10 ms to a cut" "$unsafe" 0
assert_eq "kept word count" "$(wc -l <"$WORK/kw")" $((i - 6))
# Removed time = the cut words and the pauses after the false starts, nothing more.
edur=$(jq .edited_duration "$tl")
removed=$(jq '[.segments[] | select(.action != "keep") | .end - .start] | add' "$tl")
cut_words=$(jq '[.words[] | select(.cut) | .end - .start] | add' "$tr")
echo "input $in_dur s, edited $edur s, removed $removed s (cut words $cut_words s)"
assert_true "removed $removed s >= 0.8 x the cut words' $cut_words s" \
  awk -v r="$removed" -v c="$cut_words" 'BEGIN { exit !(r >= 0.8 * c) }'
# Each content cut also reaches 40 ms into the pause on either side (so
# snapping it onto the frame grid cannot leave part of the word audible).
runs=$(jq '[.segments[] | select(.reason == "filler" or .reason == "stutter")] | length' "$tl")
assert_true "removed $removed s <= cut words + pauses after false starts (0.5 s) + 80 ms a cut ($runs)" \
  awk -v r="$removed" -v c="$cut_words" -v k="$runs" 'BEGIN { exit !(r <= c + 0.5 + 0.08 * k) }'
out_dur=$(media_duration "$WORK/cut/video/edited.mp4")
assert_near "output duration vs planned" "$out_dur" "$edur" 0.07
# Every kept word is audible at its edited time, at the level it had.
ffmpeg -hide_banner -loglevel error -y -i "$WORK/cut/video/edited.mp4" -vn -ac 1 -ar 48000 \
  -c:a pcm_s16le "$WORK/cut.wav"
cut -d' ' -f1,2 "$WORK/kw" >"$WORK/kw_src"
cut -d' ' -f3,4 "$WORK/kw" >"$WORK/kw_out"
paste -d' ' <(rms_db "$WORK/src.wav" "$WORK/kw_src") <(rms_db "$WORK/cut.wav" "$WORK/kw_out") \
  >"$WORK/levels"
spread=$(awk '{ d = $2 - $1; if (NR == 1 || d < lo) lo = d; if (NR == 1 || d > hi) hi = d }
  END { print hi - lo }' "$WORK/levels")
quiet=$(awk '$2 < -40 { q++ } END { print q + 0 }' "$WORK/levels")
echo "kept words: output vs source level spread $spread dB"
assert_eq "kept words silent in the output" "$quiet" 0
assert_true "kept words keep their relative level (spread $spread dB <= 3)" \
  awk -v s="$spread" 'BEGIN { exit !(s <= 3) }'
assert_eq "edited subtitles" "$(subs_text "$WORK/cut/subtitles/edited.srt")" "$CLEAN"

# --- 2. --mute-fillers --------------------------------------------------------------
run_ave process "$WORK/clip.mp4" --output "$WORK/mute" "${COMMON[@]}" --mute-fillers
assert_eq "mute: exit code (stderr: $ERR)" "$RC" 0
tr="$WORK/mute/transcript.json"
assert_eq "mute: muted words" "$(jq -c '[.words | to_entries[] | select(.value.muted) | .key]' "$tr")" \
  "[2,6,7,8,9,15]"
assert_eq "mute: nothing cut" "$(jq '[.words[] | select(.cut)] | length' "$tr")" 0
assert_eq "mute: no content cut on the timeline" \
  "$(jq '[.segments[] | select(.action != "keep")] | length' "$WORK/mute/timeline.json")" 0
mdur=$(media_duration "$WORK/mute/video/edited.mp4")
assert_near "mute: duration kept within a frame" "$mdur" "$in_dur" 0.034
ffmpeg -hide_banner -loglevel error -y -i "$WORK/mute/video/edited.mp4" -vn -ac 1 -ar 48000 \
  -c:a pcm_s16le "$WORK/mute.wav"
# Muted spans (inside the 5 ms fades) are silent; their neighbours are not.
jq -r '.words[] | select(.muted) | "\(.start + 0.01) \(.end - 0.01)"' "$tr" >"$WORK/muted"
paste -d' ' "$WORK/muted" <(rms_db "$WORK/mute.wav" "$WORK/muted") \
  <(rms_db "$WORK/src.wav" "$WORK/muted") >"$WORK/muted_levels"
while read -r s e m o; do
  echo "muted span $s-$e: $m dBFS (source $o dBFS)"
  assert_true "span $s-$e silent ($m dBFS < -50)" awk -v m="$m" 'BEGIN { exit !(m < -50) }'
done <"$WORK/muted_levels"
jq -r '.words[] | select(.muted | not) | "\(.start) \(.end)"' "$tr" >"$WORK/unmuted"
loud=$(rms_db "$WORK/mute.wav" "$WORK/unmuted" | awk '$1 > -40 { n++ } END { print n + 0 }')
assert_eq "mute: kept words audible (> -40 dBFS)" "$loud" "$(wc -l <"$WORK/unmuted")"
assert_eq "mute: edited subtitles" "$(subs_text "$WORK/mute/subtitles/edited.srt")" "$CLEAN"
assert_true "mute: source subtitles still show the filler" grep -qw um "$WORK/mute/subtitles/source.srt"
finish
