#!/usr/bin/env bash
# End to end: speech recognition, transcript and subtitles.
# 1. Four flite sentences at known times (PocketSphinx hears flite well):
#    transcript.json, WER bound, every word inside its sentence, source cues
#    within 0.3 s of the sentences, edited cues = source times mapped through
#    timeline.json.
# 2. A recorded LibriVox clip (if the shared media is present): loose WER bound.
# 3. --asr http against a local stand-in server serving known word timings:
#    words come out as served, the "um" is cut, the multipart upload and the
#    Authorization header are right, and the API key appears nowhere.
. "$(dirname "$0")/lib.sh"

# wer REF HYP: word error rate (Levenshtein over words), lower-case, no punctuation.
wer() {
  awk -v r="$1" -v h="$2" 'BEGIN {
    nr = split(tolower(r), R, /[^a-z0-9'\'']+/); nh = split(tolower(h), H, /[^a-z0-9'\'']+/)
    n = 0; for (i = 1; i <= nr; i++) if (R[i] != "") A[++n] = R[i]; nr = n
    n = 0; for (i = 1; i <= nh; i++) if (H[i] != "") B[++n] = H[i]; nh = n
    for (i = 0; i <= nr; i++) D[i, 0] = i
    for (j = 0; j <= nh; j++) D[0, j] = j
    for (i = 1; i <= nr; i++) for (j = 1; j <= nh; j++) {
      c = D[i-1, j-1] + (A[i] != B[j]); d = D[i-1, j] + 1; e = D[i, j-1] + 1
      D[i, j] = c < d ? (c < e ? c : e) : (d < e ? d : e)
    }
    printf "%.3f", nr ? D[nr, nh] / nr : 0 }'
}

# srt_times FILE: "start end" per cue, in seconds.
srt_times() {
  grep -- '-->' "$1" | awk '{ split($1, a, /[:,]/); split($3, b, /[:,]/);
    printf "%.3f %.3f\n", a[1]*3600 + a[2]*60 + a[3] + a[4]/1000, b[1]*3600 + b[2]*60 + b[3] + b[4]/1000 }'
}

# --- 1. flite sentences ------------------------------------------------------
S1="the quick brown fox jumps over the lazy dog"
S2="video editing takes a lot of time"
S3="please remember to save your work often"
S4="thank you for watching this short video"
i=0
for s in "$S1" "$S2" "$S3" "$S4"; do
  i=$((i + 1))
  flite -voice slt -t "$s" -o "$WORK/raw$i.wav"
  sox "$WORK/raw$i.wav" -r 48000 -c 1 "$WORK/s$i.wav" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
done
gen_silence "$WORK/g1.wav" 1.0
gen_silence "$WORK/g2.wav" 1.5
sox "$WORK/g1.wav" "$WORK/s1.wav" "$WORK/g2.wav" "$WORK/s2.wav" "$WORK/g2.wav" "$WORK/s3.wav" \
  "$WORK/g2.wav" "$WORK/s4.wav" "$WORK/g1.wav" "$WORK/talk.wav"
mux_video "$WORK/talk.wav" "$WORK/talk.mp4"
# Known sentence extents: "start end" per line.
t=1.0
: >"$WORK/truth"
for i in 1 2 3 4; do
  d=$(soxi -D "$WORK/s$i.wav")
  awk -v a="$t" -v d="$d" 'BEGIN { printf "%.3f %.3f\n", a, a + d }' >>"$WORK/truth"
  t=$(awk -v a="$t" -v d="$d" 'BEGIN { print a + d + 1.5 }')
done

run_ave process "$WORK/talk.mp4" --output "$WORK/out" --no-progress
assert_eq "exit code (stderr: $ERR)" "$RC" 0
out="$WORK/out"
tr="$out/transcript.json"
for f in "$tr" "$out/subtitles/source.srt" "$out/subtitles/source.vtt" \
  "$out/subtitles/edited.srt" "$out/subtitles/edited.vtt"; do
  assert_true "$f exists" test -s "$f"
done
assert_eq "PocketSphinx stays quiet on stderr" "$(grep -c 'Current configuration\|INFO:' <<<"$ERR")" 0
assert_eq "engine" "$(jq -r .engine "$tr")" pocketsphinx
assert_eq "edited transcript" "$(jq -r .edited "$tr")" true
hyp=$(jq -r '[.words[].text] | join(" ")' "$tr")
w=$(wer "$S1 $S2 $S3 $S4" "$hyp")
echo "flite WER $w: $hyp"
assert_true "flite WER $w <= 0.4" awk -v w="$w" 'BEGIN { exit !(w <= 0.4) }'
# Every word lies inside a sentence (0.15 s slack for the decoder's frames).
outside=$(jq -r '.words[] | "\(.start) \(.end)"' "$tr" | awk 'NR == FNR { a[NR] = $1; b[NR] = $2; n = NR; next }
  { ok = 0; for (i = 1; i <= n; i++) if ($1 >= a[i] - 0.15 && $2 <= b[i] + 0.15) ok = 1; if (!ok) bad++ }
  END { print bad + 0 }' "$WORK/truth" -)
assert_eq "words outside the spoken sentences" "$outside" 0
# One source cue per sentence, starting within 0.3 s of it and ending
# within 0.3 s of its end (plus the 0.25 s linger).
srt_times "$out/subtitles/source.srt" >"$WORK/cues"
assert_eq "source cue count" "$(wc -l <"$WORK/cues")" 4
paste -d' ' "$WORK/truth" "$WORK/cues" | while read -r a b ca cb; do
  assert_near "cue start vs sentence start $a" "$ca" "$a" 0.3
  assert_near "cue end vs sentence end $b" "$cb" "$(awk -v b="$b" 'BEGIN { print b + 0.25 }')" 0.3
done
assert_eq "VTT header" "$(head -1 "$out/subtitles/source.vtt")" WEBVTT
assert_eq "VTT uses dots" "$(grep -c -- '-->.*,' "$out/subtitles/source.vtt")" 0
# Edited cue starts are the source cue starts mapped through timeline.json.
mapped=$(jq -r '.segments[] | select(.action == "keep") | "\(.start) \(.end) \(.edited_start)"' \
  "$out/timeline.json" | awk 'NR == FNR { s[NR] = $1; e[NR] = $2; o[NR] = $3; n = NR; next }
  { for (i = 1; i <= n; i++) if ($1 >= s[i] && $1 < e[i]) { printf "%.3f\n", $1 - s[i] + o[i]; next }
    for (i = 1; i <= n; i++) if (s[i] > $1) { printf "%.3f\n", o[i]; next } }' - "$WORK/cues")
srt_times "$out/subtitles/edited.srt" | cut -d' ' -f1 >"$WORK/edited_starts"
assert_eq "edited cue count" "$(wc -l <"$WORK/edited_starts")" 4
paste -d' ' <(echo "$mapped") "$WORK/edited_starts" | while read -r m e; do
  assert_near "edited cue start = mapped source start" "$e" "$m" 0.0015
done
edur=$(jq .edited_duration "$out/timeline.json")
assert_true "edited cues end inside the edited video" \
  awk -v d="$edur" '{ if ($2 > d + 0.001) exit 1 }' <(srt_times "$out/subtitles/edited.srt")
assert_eq "metrics: speech words" "$(jq '.speech.words' "$out/analytics/performance_metrics.json")" \
  "$(jq '.words | length' "$tr")"

# --- 2. a recorded clip ------------------------------------------------------
real="${AVE_SOURCE_DIR:-$(dirname "$0")/../..}/../shared/media/real/librivox"
clip="$real/sense_and_sensibility_01_austen_64kb-0870"
if [ -f "$clip.wav" ]; then
  run_ave process "$clip.wav" --output "$WORK/real" --no-progress --cut-silences off
  assert_eq "real clip exit code (stderr: $ERR)" "$RC" 0
  hyp=$(jq -r '[.words[].text] | join(" ")' "$WORK/real/transcript.json")
  w=$(wer "$(cat "$clip.txt")" "$hyp")
  echo "LibriVox WER $w: $hyp"
  assert_true "LibriVox WER $w <= 0.5" awk -v w="$w" 'BEGIN { exit !(w <= 0.5) }'
else
  echo "skipping the recorded clip: $real not found"
fi

# --- 3. --asr http against a local server ---------------------------------------
KEY="sk-test-4f9a1c77e2SECRET"
cat >"$WORK/response.json" <<'JSON'
{"task": "transcribe", "language": "english", "duration": 15.0,
 "text": "The quick brown fox, um, video editing.",
 "words": [
  {"word": "The", "start": 1.0, "end": 1.12},
  {"word": "quick", "start": 1.12, "end": 1.4},
  {"word": "brown", "start": 1.4, "end": 1.7},
  {"word": "fox,", "start": 1.7, "end": 2.1},
  {"word": "um,", "start": 2.4, "end": 2.9},
  {"word": "video", "start": 5.1, "end": 5.45},
  {"word": "editing.", "start": 5.45, "end": 5.9}]}
JSON
python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/server.log" "$WORK/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
port=$(cat "$WORK/port")
set +e
AI_VIDEO_EDITOR_ASR_API_KEY="$KEY" "$AVE_BIN" process "$WORK/talk.mp4" --output "$WORK/http" \
  --no-progress --asr http --asr-url "http://127.0.0.1:$port" -v >"$WORK/stdout" 2>"$WORK/stderr"
RC=$?
set -e
assert_eq "http exit code (stderr: $(cat "$WORK/stderr"))" "$RC" 0
tr="$WORK/http/transcript.json"
assert_eq "http engine" "$(jq -r .engine "$tr")" http
assert_eq "http words" "$(jq -r '[.words[].text] | join(" ")' "$tr")" "the quick brown fox um video editing"
assert_eq "http word times as served" "$(jq -c '[.words[] | [.start, .end]]' "$tr")" \
  "[[1,1.12],[1.12,1.4],[1.4,1.7],[1.7,2.1],[2.4,2.9],[5.1,5.45],[5.45,5.9]]"
assert_eq "um flagged and cut" "$(jq -c '[.words[] | select(.filler) | [.text, .cut]]' "$tr")" '[["um",true]]'
assert_eq "filler cut on the timeline" \
  "$(jq '[.segments[] | select(.reason == "filler" and .start >= 2.35 and .end <= 2.95)] | length' "$WORK/http/timeline.json")" 1
assert_eq "kept words lose nothing" "$(jq '[.words[] | select(.cut | not)] | length' "$tr")" 6
assert_eq "one request" "$(wc -l <"$WORK/server.log")" 1
req=$(head -1 "$WORK/server.log")
assert_eq "request path" "$(jq -r .path <<<"$req")" /v1/audio/transcriptions
assert_eq "Authorization header" "$(jq -r '.headers.Authorization' <<<"$req")" "Bearer $KEY"
assert_eq "multipart form" "$(jq -r '.headers["Content-Type"]' <<<"$req" | cut -d';' -f1)" multipart/form-data
assert_eq "form fields" "$(jq -r '.fields | join(",")' <<<"$req")" \
  "file,model,response_format,timestamp_granularities[],language"
assert_eq "one WAV uploaded" "$(jq .riff <<<"$req")" 1
# 15.5 s of 16 kHz 16-bit mono is ~496 kB.
assert_true "upload size" test "$(jq '.body_size > 490000 and .body_size < 520000' <<<"$req")" = true
assert_eq "api calls counted" "$(jq .api_calls_made.asr "$WORK/http/analytics/performance_metrics.json")" 1
assert_eq "API key not in stdout/stderr" "$(cat "$WORK/stdout" "$WORK/stderr" | grep -c "$KEY")" 0
assert_eq "API key not in outputs" "$(grep -rl "$KEY" "$WORK/http" | wc -l)" 0
# `transcribe`: transcript and source subtitles only; no edit, no video.
# Words from the stand-in server: which files the command writes does not
# depend on the recogniser (test_fillers runs `transcribe` with PocketSphinx).
run_ave transcribe "$WORK/talk.mp4" --output "$WORK/tr" --no-progress --asr http \
  --asr-url "http://127.0.0.1:$port"
assert_eq "transcribe exit code (stderr: $ERR)" "$RC" 0
for f in transcript.json subtitles/source.srt subtitles/source.vtt analytics/performance_metrics.json; do
  assert_true "transcribe wrote $f" test -s "$WORK/tr/$f"
done
for f in video timeline.json subtitles/edited.srt; do
  assert_true "transcribe did not write $f" test ! -e "$WORK/tr/$f"
done
assert_eq "transcribe: not edited" "$(jq -r .edited "$WORK/tr/transcript.json")" false
assert_eq "transcribe: render not run" \
  "$(jq -r '.stage_status.render' "$WORK/tr/analytics/performance_metrics.json")" "not part of this command"
# A refused request names the server, never the key.
set +e
AI_VIDEO_EDITOR_ASR_API_KEY="$KEY" "$AVE_BIN" process "$WORK/talk.mp4" --output "$WORK/http2" \
  --no-progress --asr http --asr-url "http://127.0.0.1:1" >"$WORK/stdout" 2>"$WORK/stderr"
RC=$?
set -e
assert_true "unreachable server fails" test "$RC" -ne 0
assert_eq "error names the endpoint" "$(grep -c '127.0.0.1:1/v1/audio/transcriptions' "$WORK/stderr")" 1
assert_eq "API key not in the error" "$(grep -c "$KEY" "$WORK/stderr")" 0
assert_true "nothing published on failure" test ! -e "$WORK/http2/transcript.json"
finish
