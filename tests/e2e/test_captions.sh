#!/usr/bin/env bash
# End to end: burned-in captions (--captions, docs/CAPTIONS.md), read back
# with tesseract. Three flite sentences with pauses between them (cut by the
# editor), words served by the stand-in ASR server at known times:
# 1. --captions both: edited.mp4 stays clean (OCR finds none of the words),
#    edited.captioned.mp4 has the same length and frame count; at the middle
#    of each sentence OCR reads its words, and 0.2 s before a sentence's
#    first word none of that sentence's words is on screen yet; the box
#    (pixels that differ from the clean file) lies inside the lower safe
#    area, centred.
# 2. a face at the bottom of the picture (scikit-image's astronaut): the
#    captions move above it.
# 3. a word corrected in transcript.txt + `render`: the captions, subtitles,
#    transcript.json and metadata say the corrected word, not the heard one.
. "$(dirname "$0")/lib.sh"

command -v tesseract >/dev/null || { echo "SKIP: tesseract missing (tesseract-ocr)"; finish; exit 0; }
PY=/usr/bin/python3
$PY -c "import numpy, imageio" 2>/dev/null || { echo "SKIP: python3-numpy/imageio missing"; finish; exit 0; }
photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png

S1="video editing takes a lot of time"
S2="please remember to save your work often"
S3="thank you for watching this short video"
n=0
for s in "$S1" "$S2" "$S3"; do
  n=$((n + 1))
  flite -voice slt -t "$s" -o "$WORK/raw$n.wav"
  sox "$WORK/raw$n.wav" -r 48000 -c 1 "$WORK/p$n.wav" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
done
gen_silence "$WORK/g1.wav" 1.0
gen_silence "$WORK/g2.wav" 1.5
sox "$WORK/g1.wav" "$WORK/p1.wav" "$WORK/g2.wav" "$WORK/p2.wav" "$WORK/g2.wav" "$WORK/p3.wav" \
  "$WORK/g1.wav" "$WORK/talk.wav"
t=1.0
: >"$WORK/parts"
for n in 1 2 3; do
  d=$(soxi -D "$WORK/p$n.wav")
  case $n in 1) s=$S1 ;; 2) s=$S2 ;; 3) s=$S3 ;; esac
  echo "$t $d $s" >>"$WORK/parts"
  t=$(awk -v a="$t" -v d="$d" 'BEGIN { print a + d + 1.5 }')
done
python3 "$(dirname "$0")/even_words.py" "$WORK/parts" >"$WORK/response.json"
python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/server.log" "$WORK/port" &
server=$!
trap 'kill $server 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$WORK/port")"
# A plain picture (OCR reads captions reliably on it) and the same with the
# astronaut's face in the lower third.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=c=0x2a4d69:size=640x360:rate=30" \
  -i "$WORK/talk.wav" -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p -g 60 -c:a aac -b:a 96k "$WORK/plain.mp4"

# frame FILE T PNG: the frame shown at output time T.
# (Seeking onto x264's scene-cut I frames makes the decoder print "mmco:
# unref short failure"; a full decode of the same files reports nothing.)
frame() { ffmpeg -hide_banner -loglevel fatal -y -ss "$2" -i "$1" -frames:v 1 "$3"; }
# ocr PNG: lower-case words read in the picture (scaled 3x, grey: tesseract
# reads the 20 px captions of a 360p frame reliably only so).
ocr() {
  ffmpeg -hide_banner -loglevel error -y -i "$1" -vf "scale=iw*3:ih*3:flags=bicubic,format=gray" \
    "$1.ocr.png"
  tesseract "$1.ocr.png" - 2>/dev/null | tr 'A-Z' 'a-z' | tr -c 'a-z\n' ' '
}
# has_words TEXT WORD...: every word is in TEXT; lacks_words: none is.
has_words() { local t=" $(echo "$1" | tr '\n' ' ') " w; shift; for w; do [[ $t == *" $w "* ]] || return 1; done; }
lacks_words() { local t=" $(echo "$1" | tr '\n' ' ') " w; shift; for w; do [[ $t != *" $w "* ]] || return 1; done; }
# diff_box A.png B.png: "x0 y0 x1 y1 width height" of the rows and columns
# where at least 6 pixels differ by more than 60 levels (two encodes of the
# same photograph differ by less; caption text against its outline or box
# by far more).
diff_box() {
  $PY - "$1" "$2" <<'EOF'
import sys, imageio, numpy as np
a = imageio.imread(sys.argv[1]).astype(int)[..., :3]
b = imageio.imread(sys.argv[2]).astype(int)[..., :3]
d = np.abs(a - b).max(axis=2) > 60
ys = np.nonzero(d.sum(axis=1) >= 6)[0]
xs = np.nonzero(d.sum(axis=0) >= 6)[0]
if len(xs) == 0 or len(ys) == 0:
    print("none")
else:
    print(xs.min(), ys.min(), xs.max() + 1, ys.max() + 1, a.shape[1], a.shape[0])
EOF
}
# word_time OUT WORD: edited start of the first word WORD in OUT/transcript.json.
word_time() { jq -r --arg w "$2" '[.words[] | select(.text == $w and .cut == false)][0].edited_start' "$1/transcript.json"; }

# --- 1. both: clean file + captioned file, OCR at times -----------------------
out="$WORK/out"
run_ave process "$WORK/plain.mp4" --output "$out" --no-progress --asr http --asr-url "$url" \
  --quality low --no-thumbnails --no-measure-quality --captions both
assert_eq "process --captions both exit code (stderr: $ERR)" "$RC" 0
clean="$out/video/edited.mp4"
capd="$out/video/edited.captioned.mp4"
assert_true "edited.captioned.mp4 written" test -s "$capd"
nf() { ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$1"; }
assert_eq "same frame count in both files" "$(nf "$capd")" "$(nf "$clean")"
assert_near "same length in both files" "$(media_duration "$capd")" "$(media_duration "$clean")" 0.05
assert_eq "audio in the captioned file" "$(stream_count "$capd" a)" 1
m="$out/analytics/performance_metrics.json"
assert_eq "captions metric" "$(jq -r .render.captions "$m")" both
assert_eq "line budget 32..42 at 16:9" "$(jq '.render.caption_line_chars >= 32 and .render.caption_line_chars <= 42' "$m")" true
ncap=$(jq .render.captions_count "$m")
assert_true "captions laid out ($ncap)" test "$ncap" -ge 3

for s in "$S1" "$S2" "$S3"; do
  read -r -a w <<<"$s"
  t0=$(word_time "$out" "${w[0]}")
  tm=$(awk -v a="$t0" 'BEGIN { print a + 0.5 }')
  frame "$capd" "$tm" "$WORK/c.png"
  frame "$clean" "$tm" "$WORK/k.png"
  text=$(ocr "$WORK/c.png")
  echo "OCR at $tm s: $(echo "$text" | tr -s ' \n' ' ')"
  # the longer words: tesseract may drop a lone "a" or "to"
  long=()
  for x in "${w[@]}"; do [ ${#x} -ge 4 ] && long+=("$x"); done
  assert_true "words of '$s' on screen at $tm s" has_words "$text" "${long[@]}"
  assert_true "clean file has no caption at $tm s" lacks_words "$(ocr "$WORK/k.png")" "${long[@]}"
  read -r x0 y0 x1 y1 fw fh <<<"$(diff_box "$WORK/c.png" "$WORK/k.png")"
  echo "caption box at $tm s: $x0,$y0 - $x1,$y1 in ${fw}x$fh"
  assert_true "box in the lower safe area ($x0,$y0 - $x1,$y1)" awk -v x0="$x0" -v y0="$y0" \
    -v x1="$x1" -v y1="$y1" -v w="$fw" -v h="$fh" 'BEGIN { exit !(x0 >= 0.05 * w && x1 <= 0.95 * w &&
      y1 <= 0.93 * h && y0 >= 0.6 * h && (x0 + x1) / 2 > 0.45 * w && (x0 + x1) / 2 < 0.55 * w) }'
  # not before their time (the first sentence starts the video)
  tb=$(awk -v a="$t0" 'BEGIN { print a - 0.2 }')
  if awk -v t="$tb" 'BEGIN { exit !(t > 0) }'; then
    frame "$capd" "$tb" "$WORK/b.png"
    assert_true "no word of '$s' at $tb s" lacks_words "$(ocr "$WORK/b.png")" "${long[@]}"
  fi
done

assert_true "heard word in metadata/ before the correction" grep -rqw editing "$out/metadata"

# --- 2. a face low in the picture moves the captions up -----------------------
if [ -f "$photo" ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=c=0x2a4d69:size=640x360:rate=30" \
    -loop 1 -i "$photo" -i "$WORK/talk.wav" \
    -filter_complex "[1:v]scale=300:300[a];[0:v][a]overlay=170:230:shortest=1[v]" \
    -map "[v]" -map 2:a -shortest -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 60 \
    -c:a aac -b:a 96k "$WORK/face.mp4"
  fout="$WORK/face"
  run_ave process "$WORK/face.mp4" --output "$fout" --no-progress --asr http --asr-url "$url" \
    --quality low --no-thumbnails --no-measure-quality --captions both --caption-style bold
  assert_eq "process with a face exit code (stderr: $ERR)" "$RC" 0
  moved=$(jq .render.captions_moved_for_faces "$fout/analytics/performance_metrics.json")
  assert_true "captions moved for the face ($moved)" test "$moved" -ge 1
  tm=$(awk -v a="$(word_time "$fout" please)" 'BEGIN { print a + 0.5 }')
  frame "$fout/video/edited.captioned.mp4" "$tm" "$WORK/fc.png"
  frame "$fout/video/edited.mp4" "$tm" "$WORK/fk.png"
  read -r x0 y0 x1 y1 fw fh <<<"$(diff_box "$WORK/fc.png" "$WORK/fk.png")"
  # the face's top in the frames analysis near that time
  ftop=$(jq '[.frames[] | select(.faces | length > 0) | .faces[0].y] | min' "$fout/analysis/frames.json")
  echo "face top at $ftop of the height; caption box $x0,$y0 - $x1,$y1"
  assert_true "caption box above the face" awk -v y1="$y1" -v f="$ftop" -v h="$fh" \
    'BEGIN { exit !(f > 0.5 && y1 <= f * h) }'
  assert_true "words still read above the face" has_words "$(ocr "$WORK/fc.png")" please remember
else
  echo "note: $photo missing (python3-skimage); face check skipped"
fi

# --- 3. a corrected word is re-burned -------------------------------------------
sed -i 's/video editing takes/video cutting takes/' "$out/transcript.txt"
run_ave render "$out" --no-progress
assert_eq "render exit code (stderr: $ERR)" "$RC" 0
assert_eq "render counts the correction" "$(jq .edit.words_corrected "$out/analytics/performance_metrics.json")" 1
tm=$(awk -v a="$(word_time "$out" video)" 'BEGIN { print a + 0.5 }')
frame "$capd" "$tm" "$WORK/r.png"
text=$(ocr "$WORK/r.png")
echo "OCR after the correction at $tm s: $(echo "$text" | tr -s ' \n' ' ')"
assert_true "corrected word burned in" has_words "$text" cutting takes
assert_true "heard word gone from the captions" lacks_words "$text" editing
assert_true "corrected word in the edited subtitles" grep -qw cutting "$out/subtitles/edited.srt"
assert_true "heard word gone from the subtitles" bash -c "! grep -qw editing '$out/subtitles/edited.srt'"
assert_eq "corrected word in transcript.json" "$(jq -r '[.words[].text] | index("cutting") != null' "$out/transcript.json")" true
assert_true "corrected word in metadata/" grep -rqw cutting "$out/metadata"
assert_true "heard word gone from metadata/" bash -c "! grep -rqw editing '$out/metadata'"
finish
