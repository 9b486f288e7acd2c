#!/usr/bin/env bash
# --aspect and the highlight shorts (issue 22), on generated video.
# 1. A face (scikit-image's astronaut photograph, python3-skimage) slides
#    across a 1280x720 frame on a known path, x = 640 + 340 sin(2 pi t / 12),
#    while flite reads six sentences (words served at known times by the
#    stand-in ASR server). --aspect 9:16 --aspect 1:1 --highlights 1:
#    - edited_9x16.mp4 (404x720) and edited_1x1.mp4 (720x720) have the
#      edit's frames and length, audio included;
#    - the face's centre lies inside the 9:16 crop in >= 95% of the frames
#      (video/reframe_9x16.json against the known path), the window never
#      moves more than 12 px between frames, and a frame of edited_9x16.mp4
#      is the source frame cropped where the plan says (PSNR);
#    - edited.mp4 is byte-identical to a run without --aspect/--highlights;
#    - shorts/01.mp4 is 9:16, listed in highlights.json, as long as its
#      highlight, which starts and ends on sentence boundaries; OCR of its
#      frames reads the highlight's words, and its title in the first 3 s;
#      the report's Highlights section plays it.
# 2. Two faces side by side, one mouth moving (a darkening box every 0.2 s):
#    the camera frames the speaking one, on either side.
# 3. No face (a plain picture): every 9:16 frame is letterboxed over a
#    darkened blurred copy.
. "$(dirname "$0")/lib.sh"

command -v tesseract >/dev/null || { echo "SKIP: tesseract missing (tesseract-ocr)"; finish; exit 0; }
PY=/usr/bin/python3
$PY -c "import numpy, imageio" 2>/dev/null || { echo "SKIP: python3-numpy/imageio missing"; finish; exit 0; }
photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
[ -f "$photo" ] || { echo "SKIP: $photo missing (python3-skimage)"; finish; exit 0; }

sentences=(
  "What are the three parts of an electric motor?"
  "First, the magnet of the electric motor stays still."
  "Second, the coil of the electric motor spins around it."
  "Third, the switch of the electric motor costs twenty dollars."
  "The library opened again in the spring."
  "Thank you for listening to this lecture."
)
gen_silence "$WORK/lead.wav" 0.5
parts=("$WORK/lead.wav")
t=0.5
: >"$WORK/parts"  # start, length and words of each sentence (for the ASR answer)
: >"$WORK/bounds" # start and end of each sentence, seconds
for i in "${!sentences[@]}"; do
  flite -voice slt -t "${sentences[$i]}" -o "$WORK/raw$i.wav"
  sox "$WORK/raw$i.wav" -r 48000 -c 1 "$WORK/s$i.wav" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
  d=$(soxi -D "$WORK/s$i.wav")
  echo "$t $d $(echo "${sentences[$i]}" | tr 'A-Z' 'a-z' | tr -d '?,.')" >>"$WORK/parts"
  echo "$t $(awk -v a="$t" -v d="$d" 'BEGIN { print a + d }')" >>"$WORK/bounds"
  gen_silence "$WORK/g$i.wav" 0.8
  parts+=("$WORK/s$i.wav" "$WORK/g$i.wav")
  t=$(awk -v a="$t" -v d="$d" 'BEGIN { print a + d + 0.8 }')
done
sox "${parts[@]}" "$WORK/talk.wav"
python3 "$(dirname "$0")/even_words.py" "$WORK/parts" 0.95 >"$WORK/response.json"
python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/server.log" "$WORK/port" &
server=$!
trap 'kill $server 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$WORK/port")"

# The photograph at 680 px: its face (centre at 300,159 of it) is about
# 120 px wide, 30 px in the frames stage's 320x180 picture.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=c=0x2a4d69:size=1280x720:rate=25" \
  -loop 1 -i "$photo" -i "$WORK/talk.wav" \
  -filter_complex "[1:v]scale=680:680[a];[0:v][a]overlay=x='340+340*sin(2*PI*t/12)':y=40:shortest=1[v]" \
  -map "[v]" -map 2:a -shortest -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 50 \
  -c:a aac -b:a 96k "$WORK/face.mp4"

common=(--no-progress --asr http --asr-url "$url" --quality low --no-thumbnails
  --no-measure-quality --type educational --no-enable-broll-generation)
out="$WORK/out"
run_ave process "$WORK/face.mp4" --output "$out" "${common[@]}" --aspect 9:16 --aspect 1:1 \
  --highlights 1 --highlight-length 20
assert_eq "process --aspect --highlights exit code (stderr: $ERR)" "$RC" 0

# --- the aspect versions ------------------------------------------------------
dims() { ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$1"; }
nf() { ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$1"; }
main="$out/video/edited.mp4"
assert_eq "9:16 size" "$(dims "$out/video/edited_9x16.mp4")" "404,720"
assert_eq "1:1 size" "$(dims "$out/video/edited_1x1.mp4")" "720,720"
for v in 9x16 1x1; do
  f="$out/video/edited_$v.mp4"
  assert_eq "$v frames" "$(nf "$f")" "$(nf "$main")"
  assert_near "$v length" "$(media_duration "$f")" "$(media_duration "$main")" 0.05
  assert_eq "$v audio" "$(stream_count "$f" a)" 1
done

plan="$out/video/reframe_9x16.json"
assert_true "reframe plan written" test -s "$plan"
read -r inside total maxjump <<<"$($PY - "$plan" <<'EOF'
import json, math, sys
p = json.load(open(sys.argv[1]))
w, inside, jump, prev = p["width"], 0, 0, None
for t, mode, x, y, cut, sx, sy in p["keys"]:
    fx = 640 + 340 * math.sin(2 * math.pi * t / 12)  # the face's centre, source pixels
    inside += mode == "crop" and x <= fx <= x + w
    if prev is not None and not cut:
        jump = max(jump, abs(x - prev))
    prev = x
print(inside, len(p["keys"]), jump)
EOF
)"
pct=$(awk -v a="$inside" -v n="$total" 'BEGIN { printf "%.1f", 100 * a / n }')
echo "face centre inside the 9:16 crop: $inside of $total frames ($pct %), largest move $maxjump px/frame"
assert_true "face in the crop in >= 95% of frames ($pct %)" awk -v p="$pct" 'BEGIN { exit !(p >= 95) }'
assert_true "the window moves at most 12 px a frame ($maxjump)" test "$maxjump" -le 12
m="$out/analytics/performance_metrics.json"
assert_eq "the render measured the same largest move" "$(jq .render.aspect_9x16_max_jump_px "$m")" "$maxjump"
assert_eq "no 9:16 frame letterboxed (a face throughout)" "$(jq .render.aspect_9x16_letterboxed_frames "$m")" 0

# A frame of the 9:16 file is the edit's frame cropped where the plan says.
read -r et x <<<"$($PY - "$plan" "$out/transcript.json" <<'EOF'
import json, sys
p, tr = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
w = [w for w in tr["words"] if not w["cut"]][len(tr["words"]) // 2]  # a kept word mid-talk
t = w["start"] + 0.1
k = min(p["keys"], key=lambda k: abs(k[0] - t))
print(round(w["edited_start"] + 0.1 + k[0] - t, 3), k[2])
EOF
)"
psnr_at() {
  ffmpeg -hide_banner -nostats -ss "$et" -i "$out/video/edited_9x16.mp4" -ss "$et" -i "$main" \
    -filter_complex "[1:v]crop=404:720:$1:0[c];[0:v][c]psnr" -frames:v 1 -f null - 2>&1 |
    sed -n 's/.*average:\([0-9.inf]*\).*/\1/p'
}
psnr=$(psnr_at "$x")
near=$(psnr_at $((x >= 8 ? x - 8 : x + 8)))
echo "9:16 frame at $et s against the edit cropped at x=$x: PSNR $psnr dB (8 px aside: $near dB)"
assert_true "9:16 frame = the plan's crop of the edit ($psnr dB, aside $near dB)" \
  awk -v p="$psnr" -v q="$near" 'BEGIN { exit !(p == "inf" || (p >= 25 && p >= q + 5)) }'

# The 16:9 edit does not change when the extra versions are made.
run_ave process "$WORK/face.mp4" --output "$WORK/plain16" "${common[@]}"
assert_eq "plain process exit code (stderr: $ERR)" "$RC" 0
assert_eq "edited.mp4 byte-identical without --aspect/--highlights" \
  "$(md5sum <"$WORK/plain16/video/edited.mp4")" "$(md5sum <"$main")"
assert_true "no aspect files without --aspect" test ! -e "$WORK/plain16/video/edited_9x16.mp4"

# --- the short ------------------------------------------------------------------
hl="$out/shorts/highlights.json"
short="$out/shorts/01.mp4"
assert_eq "highlights.json names the short" "$(jq -r '.highlights[0].file' "$hl")" shorts/01.mp4
assert_true "shorts/01.mp4 written" test -s "$short"
assert_eq "short is 9:16" "$(dims "$short")" "404,720"
dur=$(jq '.highlights[0].duration' "$hl")
assert_near "short as long as its highlight ($dur s)" "$(media_duration "$short" v:0)" "$dur" 0.1
assert_eq "short has audio" "$(stream_count "$short" a)" 1
s=$(jq '.highlights[0].source_start' "$hl")
e=$(jq '.highlights[0].source_end' "$hl")
assert_true "short starts on a sentence start ($s)" \
  awk -v s="$s" '{ if (s >= $1 - 0.1 && s <= $1 + 0.3) ok = 1 } END { exit !ok }' "$WORK/bounds"
assert_true "short ends on a sentence end ($e)" \
  awk -v e="$e" '{ if (e >= $2 - 0.3 && e <= $2 + 0.1) ok = 1 } END { exit !ok }' "$WORK/bounds"

# OCR: every 0.5 s of the short, the words read, against the words spoken.
# ocr PNG CROP: lower-case words in that part of the picture, its white
# text turned black on white (the photograph behind confuses tesseract).
ocr() {
  ffmpeg -hide_banner -loglevel error -y -i "$1" \
    -vf "$2,scale=iw*2:ih*2:flags=bicubic,format=gray,lut=y='if(gt(val,215),0,255)'" "$1.ocr.png"
  tesseract "$1.ocr.png" - --psm 6 2>/dev/null | tr 'A-Z' 'a-z' | tr -c 'a-z\n' ' '
}
low="crop=iw:ih*0.4:0:ih*0.6"
top="crop=iw:ih/4:0:0"
: >"$WORK/read"
for ts in $(awk -v d="$dur" 'BEGIN { for (t = 0.25; t < d; t += 0.5) print t }'); do
  ffmpeg -hide_banner -loglevel fatal -y -ss "$ts" -i "$short" -frames:v 1 "$WORK/sf.png"
  ocr "$WORK/sf.png" "$low" >>"$WORK/read"
done
read -r found want <<<"$(jq -r '.highlights[0].text' "$hl" | tr ' ' '\n' | awk 'length >= 4' |
  sort -u | while read -r w; do grep -qw "$w" "$WORK/read" && echo 1 || echo 0; done |
  awk '{ f += $1; n++ } END { print f, n }')"
echo "OCR of the short: $found of $want spoken words (4+ letters) read"
assert_true "the short's captions read as spoken (>= 80%: $found/$want)" \
  awk -v f="$found" -v n="$want" 'BEGIN { exit !(n > 0 && f >= 0.8 * n) }'
has_words() { local t=" $(echo "$1" | tr '\n' ' ') " w; shift; for w; do [[ $t == *" $w "* ]] || return 1; done; }
title=$(jq -r '.highlights[0].title' "$hl" | tr 'A-Z' 'a-z')
read -r -a tw <<<"$title"
ffmpeg -hide_banner -loglevel fatal -y -ss 0.5 -i "$short" -frames:v 1 "$WORK/title.png"
ffmpeg -hide_banner -loglevel fatal -y -ss 4 -i "$short" -frames:v 1 "$WORK/late.png"
t0=$(ocr "$WORK/title.png" "$top")
t4=$(ocr "$WORK/late.png" "$top")
echo "OCR of the top at 0.5 s: $(echo $t0); at 4 s: $(echo $t4)"
assert_true "the title '$title' at the start" has_words "$t0" "${tw[@]}"
assert_true "the title gone after 3 s" bash -c "! grep -qw '${tw[0]}' <<<'$t4'"
assert_eq "shorts metric" "$(jq .render.shorts "$m")" 1
assert_true "the report plays the short" grep -q 'class="short" src="../shorts/01.mp4"' \
  "$out/analytics/report.html"

# --- two faces, one speaking -----------------------------------------------------
# The photograph twice, side by side (too far apart for one 9:16 crop); one
# mouth darkens every 0.2 s, as a mouth opening and closing does. The camera
# frames that face, whichever side it is on (the faces are the same size, so
# "the larger" alone would pick the same side both times).
two() {
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=c=0x2a4d69:size=1280x720:rate=25" \
    -loop 1 -i "$photo" -filter_complex "[1:v]scale=620:620,split[p][q];[p]$1[a];[q]$2[b];\
[0:v][a]overlay=x=0:y=40[v1];[v1][b]overlay=x=660:y=40:shortest=1[v]" -map "[v]" -t 6 \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 50 "$3"
}
mouth="drawbox=x=250:y=170:w=46:h=16:color=black@0.45:t=fill:enable='lt(mod(t,0.4),0.2)'"
two "$mouth" null "$WORK/left.mp4"
two null "$mouth" "$WORK/right.mp4"
for side in left right; do
  run_ave process "$WORK/$side.mp4" --output "$WORK/two_$side" --no-progress --quality low \
    --no-thumbnails --no-measure-quality --aspect 9:16
  assert_eq "two faces ($side speaks) exit code (stderr: $ERR)" "$RC" 0
  on=$(jq --arg s "$side" '[.keys[] | select(if $s == "left" then .[2] + 202 < 640 else .[2] + 202 > 640 end)] | length' \
    "$WORK/two_$side/video/reframe_9x16.json")
  n=$(jq '.keys | length' "$WORK/two_$side/video/reframe_9x16.json")
  echo "two faces, the $side one speaking: the camera on it in $on of $n frames"
  assert_true "the camera on the speaking $side face in >= 90% of frames ($on/$n)" \
    awk -v a="$on" -v n="$n" 'BEGIN { exit !(n > 0 && a >= 0.9 * n) }'
done

# --- no face: letterboxed -------------------------------------------------------
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=25" -i "$WORK/talk.wav" \
  -map 0:v -map 1:a -shortest -t 8 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac \
  -b:a 96k "$WORK/noface.mp4"
run_ave process "$WORK/noface.mp4" --output "$WORK/nf" "${common[@]}" --aspect 9:16
assert_eq "no-face process exit code (stderr: $ERR)" "$RC" 0
m="$WORK/nf/analytics/performance_metrics.json"
assert_eq "every frame letterboxed" "$(jq .render.aspect_9x16_letterboxed_frames "$m")" \
  "$(jq .render.aspect_9x16_frames "$m")"
ffmpeg -hide_banner -loglevel fatal -y -ss 2 -i "$WORK/nf/video/edited_9x16.mp4" -frames:v 1 "$WORK/lb.png"
read -r top mid <<<"$($PY - "$WORK/lb.png" <<'EOF'
import sys, imageio, numpy as np
a = imageio.imread(sys.argv[1]).astype(float)[..., :3]
h = a.shape[0]
# the band above the picture (blurred, darkened) against the picture itself
print(round(a[: h // 5].std(axis=(0, 1)).mean(), 1), round(a[2 * h // 5 : 3 * h // 5].std(axis=(0, 1)).mean(), 1))
EOF
)"
echo "letterbox: detail (std) above the picture $top, in the picture $mid"
assert_eq "9:16 size without a face" "$(dims "$WORK/nf/video/edited_9x16.mp4")" "202,360"
assert_true "the background is a blurred copy ($top < $mid)" awk -v a="$top" -v b="$mid" 'BEGIN { exit !(a > 1 && a < b) }'
finish
