#!/usr/bin/env bash
# End to end: thumbnail selection and composition on a generated video whose
# segments are known (2.5 s each, 640x360, 30 fps, a steady tone so nothing
# is cut as silence):
#   0.0- 2.5 sharp testsrc2        (good)
#   2.5- 5.0 testsrc2, gblur 12    (blurred)
#   5.0- 7.5 black
#   7.5-10.0 testsrc2 fading in from black
#  10.0-12.5 grey noise, new every frame
#  12.5-15.0 the astronaut photograph (scikit-image) as a still (a face)
# Every chosen frame must come from the sharp or face segments, the
# recommended one from the face segment; black and blurred frames are
# excluded with their reason; the JPEGs are 1280x720 and under 2 MB; the
# strategies follow --type; --thumbnail-text is used.
. "$(dirname "$0")/lib.sh"

FACE=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
if [ ! -f "$FACE" ]; then
  echo "test_thumbnails: $FACE missing (python3-skimage); skipped"
  exit 77
fi

V="$WORK/segments.mp4"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=30:duration=2.5" \
  -f lavfi -i "testsrc2=size=640x360:rate=30:duration=2.5,gblur=sigma=12" \
  -f lavfi -i "color=black:size=640x360:rate=30:duration=2.5" \
  -f lavfi -i "testsrc2=size=640x360:rate=30:duration=2.5,fade=in:st=0:d=2.5" \
  -f lavfi -i "color=gray:size=640x360:rate=30:duration=2.5,noise=alls=100:allf=t" \
  -loop 1 -framerate 30 -t 2.5 -i "$FACE" \
  -f lavfi -i "sine=frequency=220:sample_rate=48000:duration=15" \
  -filter_complex "[5:v]scale=-2:360,pad=640:360:(ow-iw)/2:0,setsar=1,format=yuv420p[f];
    [0:v][1:v][2:v][3:v][4:v][f]concat=n=6:v=1:a=0,format=yuv420p[v]" \
  -map "[v]" -map 6:a -c:v libx264 -preset ultrafast -g 30 -c:a aac -b:a 96k "$V"

# A tone has no words and no picture check needs the audio chain or PSNR.
run_ave process "$V" --output "$WORK/out" --no-progress --type educational \
  --thumbnail-text "Why Astronauts Train Underwater" --thumbnail-count 2 \
  --asr off --no-enhance --no-measure-quality
assert_eq "exit code (stderr: $ERR)" "$RC" 0

J="$WORK/out/thumbnails/thumbnails.json"
assert_true "thumbnails.json written" test -s "$J"
[ -s "$J" ] || { finish; exit 1; }

# in_ok T: 1 when T is inside the sharp or the face segment
in_ok() { awk -v t="$1" 'BEGIN { exit !((t >= 0 && t < 2.5) || (t >= 12.5 && t < 15.0)) }'; }

npicks=$(jq '.picks | length' "$J")
assert_true "at least one pick ($npicks)" test "$npicks" -ge 1
for t in $(jq -r '.picks[].time, .files[].time' "$J"); do
  assert_true "chosen frame at $t s is in the sharp or face segment" in_ok "$t"
done
rec=$(jq -r '.picks[0].time' "$J")
assert_true "recommended frame at $rec s is in the face segment" \
  awk -v t="$rec" 'BEGIN { exit !(t >= 12.5 && t < 15.0) }'
assert_true "recommended pick has a face" test "$(jq '.picks[0].components.face' "$J")" = 1
echo "picks: $(jq -c '[.picks[] | {time, total, vs_baseline_ratio}]' "$J")"
echo "baseline: $(jq -c '.baseline | {time, total, excluded}' "$J")"

# black and blurred segments: every sampled frame excluded with that reason
# (away from the segment edges, where the scene-change margin may win)
black_bad=$(jq '[.candidates[] | select(.time >= 5.6 and .time <= 6.9) | select(.excluded != "black")] | length' "$J")
black_n=$(jq '[.candidates[] | select(.time >= 5.6 and .time <= 6.9)] | length' "$J")
assert_true "black segment sampled ($black_n)" test "$black_n" -ge 2
assert_eq "black frames not excluded as black" "$black_bad" 0
blur_bad=$(jq '[.candidates[] | select(.time >= 3.1 and .time <= 4.4) | select(.excluded != "blurred")] | length' "$J")
assert_eq "blurred frames not excluded as blurred" "$blur_bad" 0
assert_eq "hook text" "$(jq -r .text "$J")" "Why Astronauts Train Underwater"

# the educational strategies, each with 2 thumbnails, and recommended.jpg
for s in educational authority curiosity; do
  assert_true "$s thumbnail" test -s "$WORK/out/thumbnails/$s/segments.jpg"
done
assert_true "recommended.jpg" test -s "$WORK/out/thumbnails/recommended.jpg"
for f in "$WORK"/out/thumbnails/*/*.jpg "$WORK/out/thumbnails/recommended.jpg"; do
  size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0:s=x "$f")
  assert_eq "$(basename "$(dirname "$f")")/$(basename "$f") size" "$size" "1280x720"
  bytes=$(stat -c %s "$f")
  assert_true "$f is $bytes bytes, under 2 MB" test "$bytes" -lt 2097152
done

M="$WORK/out/analytics/performance_metrics.json"
assert_true "metrics: candidates" test "$(jq '.thumbnails.candidates // 0' "$M")" -ge 20
assert_true "metrics: black exclusions" test "$(jq '.thumbnails.excluded_black // 0' "$M")" -ge 2
finish
