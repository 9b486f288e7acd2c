#!/usr/bin/env bash
# End to end: punch-in zoom at jump cuts (--zoom-cuts, docs/ZOOM.md).
# A 1280x720 30 fps clip: a real face photograph (scikit-image's astronaut,
# 640x640) sliding right at 30 px/s over a test pattern, with four tone
# bursts separated by 1.2 s silences, so the silence stage makes three
# jump cuts (four kept spans). Checks:
# - video/zoom_plan.json: spans alternate full / punch, the punches sit on
#   the face, and the face (the frames stage's boxes in the span, and the
#   head's true place in the photo) lies inside the crop with a margin;
# - the first frame after each punching cut equals a Lanczos crop + scale
#   of the source frame made by ffmpeg's own crop and scale filters
#   (PSNR > 30 dB), and not the uncropped frame (< 20 dB);
# - full-frame spans match a render without --zoom-cuts (the encoder gets
#   the very same frames; only x264's references differ);
# - --zoom-motion: the crop shrinks over a punched span around the face;
# - a rotated (phone) file: the crop on the coded picture holds the head
#   where the coded picture has it, and matches a reference crop;
# - `render` with a full-frame B-roll card over part of a punched span: the
#   frames under the card are not zoomed, and the setting carries over;
#   `render --no-zoom-cuts` then replaces the plan with an all-full one.
. "$(dirname "$0")/lib.sh"

photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
[ -f "$photo" ] || { echo "SKIP: $photo missing (python3-skimage)"; finish; exit 0; }

W=1280 H=720 FPS=30
# The photo's top-left at time t is (PX0 + PV t, PY); the head (hair to
# chin, ear to ear) fills [0.30, 0.58] x [0.03, 0.31] of the photo (read
# off the frames, docs/ZOOM.md "Looking at it").
PX0=100 PV=30 PY=40 PS=640
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=${W}x${H}:rate=1" -frames:v 1 "$WORK/bg.png"
sox -n -r 48000 -c 1 "$WORK/tone.wav" synth 1.6 sine 220 vol 0.3
gen_silence "$WORK/gap.wav" 1.2
gen_silence "$WORK/edge.wav" 0.4
sox "$WORK/edge.wav" "$WORK/tone.wav" "$WORK/gap.wav" "$WORK/tone.wav" "$WORK/gap.wav" \
  "$WORK/tone.wav" "$WORK/gap.wav" "$WORK/tone.wav" "$WORK/edge.wav" "$WORK/talk.wav"
ffmpeg -hide_banner -loglevel error -y -loop 1 -framerate $FPS -i "$WORK/bg.png" \
  -loop 1 -framerate $FPS -i "$photo" -i "$WORK/talk.wav" \
  -filter_complex "[1:v]scale=$PS:$PS[f];[0:v][f]overlay=x='$PX0+$PV*t':y=$PY:eval=frame,format=yuv420p[v]" \
  -map "[v]" -map 2:a -shortest -c:v libx264 -preset ultrafast -crf 16 -g 60 -c:a aac -b:a 96k \
  "$WORK/face.mp4"

# CRF 18: x264's own loss stays well above the 30 dB bar.
FAST=(--no-progress --asr off --quality low --crf 18 --no-thumbnails --no-enhance --no-report
  --no-measure-quality)
run_ave process "$WORK/face.mp4" --output "$WORK/zoom" "${FAST[@]}" --zoom-cuts
assert_eq "zoom run exit code (stderr: $ERR)" "$RC" 0
run_ave process "$WORK/face.mp4" --output "$WORK/plain" "${FAST[@]}"
assert_eq "plain run exit code (stderr: $ERR)" "$RC" 0
plan="$WORK/zoom/video/zoom_plan.json"
assert_true "zoom_plan.json written" test -s "$plan"
assert_true "no zoom_plan.json without --zoom-cuts" test ! -e "$WORK/plain/video/zoom_plan.json"
[ -s "$plan" ] || { finish; exit 1; }

kept=$(jq '[.segments[] | select(.action == "keep")] | length' "$WORK/zoom/timeline.json")
assert_eq "kept spans (three jump cuts)" "$kept" 4
assert_eq "one plan entry per kept span" "$(jq '.spans | length' "$plan")" "$kept"
assert_eq "framing alternates at each cut" "$(jq -c '[.spans[].framing]' "$plan")" \
  '["full","punch","full","punch"]'
assert_eq "punches centred on the face" "$(jq -c '[.spans[] | select(.framing == "punch") | .anchor]' "$plan")" \
  '["face","face"]'
assert_eq "115 % by default" "$(jq -c '[.spans[] | select(.framing == "punch") | .scale_start]' "$plan")" \
  '[1.15,1.15]'
assert_eq "crop size" "$(jq -c '.spans[1].crop_start | [.w, .h]' "$plan")" "[1112,626]"
assert_eq "metrics: punched spans" "$(jq .render.zoom_spans_punched "$WORK/zoom/analytics/performance_metrics.json")" 2

# Inside with a margin: box [x,y,w,h] within crop, MARGIN x the box's size
# clear of each crop edge (unless the crop edge is the frame's).
inside() { # BOX_JSON CROP_JSON MARGIN [FRAME_W FRAME_H]
  jq -ne --argjson b "$1" --argjson c "$2" --argjson m "$3" --argjson W "${4:-$W}" --argjson H "${5:-$H}" '
    ($b.w * $m) as $mx | ($b.h * $m) as $my |
    (($b.x - $c.x >= $mx) or ($c.x == 0 and $b.x >= 0)) and
    (($c.x + $c.w - $b.x - $b.w >= $mx) or ($c.x + $c.w == $W and $b.x + $b.w <= $W)) and
    (($b.y - $c.y >= $my) or ($c.y == 0 and $b.y >= 0)) and
    (($c.y + $c.h - $b.y - $b.h >= $my) or ($c.y + $c.h == $H and $b.y + $b.h <= $H))' >/dev/null
}
fj="$WORK/zoom/analysis/frames.json"
for k in 1 3; do
  read -r s0 s1 <<<"$(jq -r ".spans[$k] | \"\(.source_start) \(.source_end)\"" "$plan")"
  crop=$(jq -c ".spans[$k].crop_start" "$plan")
  # Every face the frames stage saw during the span, in pixels.
  boxes=$(jq -c --argjson a "$s0" --argjson b "$s1" --argjson W $W --argjson H $H \
    '[.frames[] | select(.time >= $a and .time < $b and (.faces | length) > 0) | .faces[0] |
      {x: (.x * $W), y: (.y * $H), w: (.w * $W), h: (.h * $H)}]' "$fj")
  n=$(jq length <<<"$boxes")
  assert_true "span $k: faces sampled in it ($n)" test "$n" -ge 4
  bad=0
  for i in $(seq 0 $((n - 1))); do
    inside "$(jq -c ".[$i]" <<<"$boxes")" "$crop" 0.15 || bad=$((bad + 1))
  done
  assert_eq "span $k: detected faces inside the crop with 15 % margin" "$bad" 0
  # The head's true place at both ends of the span (the photo moves).
  for t in "$s0" "$s1"; do
    head=$(jq -nc --argjson t "$t" "{x: ($PX0 + $PV * \$t + 0.30 * $PS), y: ($PY + 0.03 * $PS),
      w: (0.28 * $PS), h: (0.28 * $PS)}")
    assert_true "span $k: the head at $t s inside the crop $crop" inside "$head" "$crop" 0.05
  done
done

# PSNR of two single yuv420p frames (raw files), luma.
psnr() {
  ffmpeg -hide_banner -nostats -f rawvideo -pix_fmt yuv420p -s ${W}x$H -i "$1" \
    -f rawvideo -pix_fmt yuv420p -s ${W}x$H -i "$2" -lavfi psnr -f null - 2>&1 |
    sed -n 's/.*PSNR y:\([0-9.inf]*\).*/\1/p' | sed 's/inf/99/'
}
frame() { # IN INDEX OUT [FILTER]
  ffmpeg -hide_banner -loglevel error -y -i "$1" -vf "select=eq(n\\,$2)${4:+,$4}" -vsync 0 \
    -frames:v 1 -pix_fmt yuv420p -f rawvideo "$3"
}
for k in 1 3; do
  read -r e0 s0 x y w h <<<"$(jq -r ".spans[$k] | \"\(.edited_start) \(.source_start) \(.crop_start.x) \(.crop_start.y) \(.crop_start.w) \(.crop_start.h)\"" "$plan")"
  oi=$(awk -v t="$e0" -v f=$FPS 'BEGIN { printf "%d", t * f + 0.5 }')
  si=$(awk -v t="$s0" -v f=$FPS 'BEGIN { printf "%d", t * f + 0.5 }')
  frame "$WORK/zoom/video/edited.mp4" "$oi" "$WORK/out.yuv"
  frame "$WORK/face.mp4" "$si" "$WORK/ref.yuv" "crop=$w:$h:$x:$y,scale=$W:$H:flags=lanczos"
  frame "$WORK/face.mp4" "$si" "$WORK/uncropped.yuv"
  p=$(psnr "$WORK/out.yuv" "$WORK/ref.yuv")
  q=$(psnr "$WORK/out.yuv" "$WORK/uncropped.yuv")
  echo "cut into span $k (output frame $oi, source frame $si): PSNR $p dB against the reference crop, $q dB against the uncropped frame"
  assert_true "span $k: first frame = reference crop + scale ($p dB > 30)" awk -v p="$p" 'BEGIN { exit !(p > 30) }'
  assert_true "span $k: and not the uncropped frame ($q dB < 20)" awk -v p="$q" 'BEGIN { exit !(p < 20) }'
done

# Full-frame spans: the same frames as without --zoom-cuts, up to x264's
# loss (different references around the punched spans).
for k in 0 2; do
  read -r e0 e1 <<<"$(jq -r ".spans[$k] | \"\(.edited_start) \(.edited_end)\"" "$plan")"
  a=$(awk -v t="$e0" -v f=$FPS 'BEGIN { printf "%d", t * f + 0.5 }')
  b=$(awk -v t="$e1" -v f=$FPS 'BEGIN { printf "%d", t * f - 0.5 }')
  min=$(ffmpeg -hide_banner -nostats -i "$WORK/zoom/video/edited.mp4" -i "$WORK/plain/video/edited.mp4" \
    -lavfi "[0:v]select='between(n\\,$a\\,$b)'[x];[1:v]select='between(n\\,$a\\,$b)'[y];[x][y]psnr" -f null - 2>&1 |
    sed -n 's/.*min:\([0-9.inf]*\).*/\1/p' | sed 's/inf/99/')
  echo "full span $k (frames $a-$b): worst PSNR against the plain render $min dB"
  assert_true "span $k: full frame as without zoom ($min dB > 40)" awk -v p="$min" 'BEGIN { exit !(p > 40) }'
done
assert_eq "first span bit-exact before the first cut's GOP" \
  "$(ffmpeg -hide_banner -loglevel error -i "$WORK/zoom/video/edited.mp4" -vf "select=lt(n\\,30)" -vsync 0 -f md5 -)" \
  "$(ffmpeg -hide_banner -loglevel error -i "$WORK/plain/video/edited.mp4" -vf "select=lt(n\\,30)" -vsync 0 -f md5 -)"

# --zoom-motion: a slow push-in, still holding the face.
run_ave process "$WORK/face.mp4" --output "$WORK/motion" "${FAST[@]}" --zoom-cuts --zoom-motion
assert_eq "motion run exit code (stderr: $ERR)" "$RC" 0
mp="$WORK/motion/video/zoom_plan.json"
jq_true() { jq -e "$@" >/dev/null; }
assert_true "push-in: the punch grows over the span" \
  jq_true '.spans[1].scale_end > .spans[1].scale_start + 0.03 and .spans[1].crop_end.w < .spans[1].crop_start.w' "$mp"
mface=$(jq -c '.spans[1].face' "$mp")
assert_true "push-in: the face stays inside the final crop" inside "$mface" "$(jq -c '.spans[1].crop_end' "$mp")" 0.15

# A phone-style rotated file: the same picture stored turned 90 degrees
# clockwise (720x1280 coded) and tagged to be shown turned back. Faces are
# found upright; the crop is on the coded picture, so the head must be in
# it where the coded picture has it: display (x, y) -> coded (720 - y, x).
ffmpeg -hide_banner -loglevel error -y -i "$WORK/face.mp4" -vf transpose=1 -c:v libx264 \
  -preset ultrafast -crf 16 -g 60 -c:a copy "$WORK/coded.mp4"
ffmpeg -hide_banner -loglevel error -y -i "$WORK/coded.mp4" -c copy -metadata:s:v:0 rotate=90 \
  "$WORK/rot.mp4"
run_ave process "$WORK/rot.mp4" --output "$WORK/rot" "${FAST[@]}" --zoom-cuts
assert_eq "rotated run exit code (stderr: $ERR)" "$RC" 0
rp="$WORK/rot/video/zoom_plan.json"
assert_eq "rotated: coded size and rotation" "$(jq -c '[.width, .height, .rotation]' "$rp")" "[$H,$W,270]"
assert_eq "rotated: punches on the face" "$(jq -c '[.spans[1].anchor, .spans[3].anchor]' "$rp")" '["face","face"]'
read -r s0 s1 e0 x y w h <<<"$(jq -r '.spans[1] | "\(.source_start) \(.source_end) \(.edited_start) \(.crop_start.x) \(.crop_start.y) \(.crop_start.w) \(.crop_start.h)"' "$rp")"
for t in "$s0" "$s1"; do
  head=$(jq -nc --argjson t "$t" "{x: ($H - $PY - 0.31 * $PS), y: ($PX0 + $PV * \$t + 0.30 * $PS),
    w: (0.28 * $PS), h: (0.28 * $PS)}")
  assert_true "rotated: the head at $t s inside the coded crop" \
    inside "$head" "$(jq -c '.spans[1].crop_start' "$rp")" 0.05 $H $W
done
oi=$(awk -v t="$e0" -v f=$FPS 'BEGIN { printf "%d", t * f + 0.5 }')
si=$(awk -v t="$s0" -v f=$FPS 'BEGIN { printf "%d", t * f + 0.5 }')
ffmpeg -hide_banner -loglevel error -y -noautorotate -i "$WORK/rot/video/edited.mp4" \
  -vf "select=eq(n\\,$oi)" -vsync 0 -frames:v 1 -pix_fmt yuv420p -f rawvideo "$WORK/rout.yuv"
ffmpeg -hide_banner -loglevel error -y -noautorotate -i "$WORK/rot.mp4" \
  -vf "select=eq(n\\,$si),crop=$w:$h:$x:$y,scale=$H:$W:flags=lanczos" -vsync 0 -frames:v 1 \
  -pix_fmt yuv420p -f rawvideo "$WORK/rref.yuv"
p=$(ffmpeg -hide_banner -nostats -f rawvideo -pix_fmt yuv420p -s ${H}x$W -i "$WORK/rout.yuv" \
  -f rawvideo -pix_fmt yuv420p -s ${H}x$W -i "$WORK/rref.yuv" -lavfi psnr -f null - 2>&1 |
  sed -n 's/.*PSNR y:\([0-9.inf]*\).*/\1/p' | sed 's/inf/99/')
echo "rotated: first punched frame $p dB against the coded reference crop"
assert_true "rotated: first frame = reference crop of the coded picture ($p dB > 30)" \
  awk -v p="$p" 'BEGIN { exit !(p > 30) }'

# render with a full-frame card over 0.6 s of the last punched span: those
# frames are left full (the card covers them), and --zoom-cuts carries over
# from the first run's settings.
read -r s0 s1 <<<"$(jq -r '.spans[3] | "\(.source_start) \(.source_end)"' "$plan")"
cs=$(awk -v a="$s0" 'BEGIN { print a + 0.5 }')
ce=$(awk -v a="$s0" 'BEGIN { print a + 1.1 }')
mkdir -p "$WORK/zoom/broll"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=c=0x2040a0:size=${W}x$H" -frames:v 1 "$WORK/zoom/broll/card.png"
echo "{\"cards\":[{\"file\":\"broll/card.png\",\"placement\":\"full\",\"source_start_s\":$cs,\"source_end_s\":$ce,\"fade_ms\":0}]}" \
  >"$WORK/zoom/broll/broll_plan.json"
run_ave render "$WORK/zoom" --no-progress
assert_eq "render exit code (stderr: $ERR)" "$RC" 0
metrics="$WORK/zoom/analytics/performance_metrics.json"
assert_eq "render: the card's 18 frames are not zoomed" "$(jq .render.zoom_frames_under_cards "$metrics")" 18
assert_eq "render: the card is listed in the plan" "$(jq -c '.full_frame_cards | length' "$plan")" 1
assert_eq "render: --zoom-cuts carried over" "$(jq -r '.configuration["render.zoom-cuts"].value' "$metrics")" true
# Turned off on a re-render: the earlier plan (kept by a partial run) is
# replaced by one that says so, every span full frame.
run_ave render "$WORK/zoom" --no-progress --no-zoom-cuts
assert_eq "render --no-zoom-cuts exit code (stderr: $ERR)" "$RC" 0
assert_eq "render --no-zoom-cuts: the plan says off, all full" \
  "$(jq -c '[.zoom_cuts, ([.spans[].framing] | unique)]' "$plan")" '[false,["full"]]'
finish
