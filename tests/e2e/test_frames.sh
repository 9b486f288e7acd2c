#!/usr/bin/env bash
# End to end: the frames stage on a generated 15 s, 320x240, 30 fps video of
# six 2.5 s segments with known content:
#   0.0  sharp testsrc2           7.5  fade in from black (smptebars)
#   2.5  the same, gblur sigma 8  10.0 grey noise (new every frame)
#   5.0  black                    12.5 a real face photograph (scikit-image's
#                                      astronaut) looped as a still
# Checks analysis/frames.json and scenes.json: sample times on the 3 fps
# grid, scene boundaries within one sample of the true cuts (and none
# elsewhere), the fade marked gradual, black brightness < 0.05, blurred
# sharpness < 1/5 of sharp, faces in most astronaut frames and in none of
# the testsrc2, noise or black frames. The clip has B-frames, which the
# sampler lets the decoder skip between samples: the samples must still be
# exactly on the grid, and the very first (t = 0, testsrc2) must not read
# dark or open a scene of its own. A second run reads the frames stage's
# results from the cache and must write the very same files.
. "$(dirname "$0")/lib.sh"

photo=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
[ -f "$photo" ] || { echo "SKIP: $photo missing (python3-skimage)"; exit 0; }

S=2.5
enc="-c:v libx264 -preset ultrafast -bf 2 -pix_fmt yuv420p -r 30"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=320x240:rate=30:duration=$S" \
  -f lavfi -i "testsrc2=size=320x240:rate=30:duration=$S,gblur=sigma=8" \
  -f lavfi -i "color=black:size=320x240:rate=30:duration=$S" \
  -f lavfi -i "smptebars=size=320x240:rate=30:duration=$S,fade=in:st=0:d=$S" \
  -f lavfi -i "color=gray:size=320x240:rate=30:duration=$S,noise=c0s=60:c0f=t" \
  -loop 1 -framerate 30 -t $S -i "$photo" \
  -filter_complex "[5:v]scale=240:240,pad=320:240:40:0,setsar=1,format=yuv420p[p];
    [0:v]format=yuv420p[a];[1:v]format=yuv420p[b];[2:v]format=yuv420p[c];
    [3:v]format=yuv420p[d];[4:v]format=yuv420p[e];
    [a][b][c][d][e][p]concat=n=6:v=1:a=0[v]" \
  -map "[v]" $enc -g 30 "$WORK/clip.mp4"

run_ave process "$WORK/clip.mp4" --output "$WORK/out" --no-progress --disable-filler-detection
assert_eq "exit code (stderr: $ERR)" "$RC" 0
fj="$WORK/out/analysis/frames.json"
sj="$WORK/out/analysis/scenes.json"
assert_true "frames.json written" test -s "$fj"
assert_true "scenes.json written" test -s "$sj"
[ -s "$fj" ] && [ -s "$sj" ] || { finish; exit 1; }

assert_eq "analysis width" "$(jq .width "$fj")" 320
assert_eq "analysis height" "$(jq .height "$fj")" 240
assert_eq "sample rate (balanced)" "$(jq .sample_fps "$fj")" 3
# 15 s at 3 fps: 45 samples, each on the 1/3 s grid (a 30 fps frame lands
# exactly on every grid point).
assert_eq "frames sampled" "$(jq '.frames | length' "$fj")" 45
assert_eq "samples off the grid" \
  "$(jq '[.frames[] | select(((.time * 3) - ((.time * 3) | round)) | fabs > 0.01)] | length' "$fj")" 0

# Per segment helpers: frames strictly inside [a+0.2, b-0.2).
seg() { jq -c --argjson a "$1" --argjson b "$2" \
  '[.frames[] | select(.time >= $a + 0.2 and .time < $b - 0.2)]' "$fj"; }
sharp=$(seg 0 2.5 | jq '[.[].sharpness] | add / length')
blur=$(seg 2.5 5 | jq '[.[].sharpness] | add / length')
echo "sharpness: sharp $sharp, blurred $blur"
assert_true "blurred sharpness $blur < 1/5 of sharp $sharp" \
  awk -v s="$sharp" -v b="$blur" 'BEGIN { exit !(b < s / 5) }'
black=$(seg 5 7.5 | jq '[.[].brightness] | max')
assert_true "black segment brightness $black < 0.05" awk -v v="$black" 'BEGIN { exit !(v < 0.05) }'
assert_true "black segment clip_dark = 1" test "$(seg 5 7.5 | jq '[.[].clip_dark] | min')" = 1
# The fade rises: brightness grows from sample to sample.
rising=$(seg 7.5 10 | jq '[.[].brightness] as $b | [range(1; $b | length) | select($b[.] > $b[. - 1])] | length')
fadelen=$(seg 7.5 10 | jq 'length')
assert_eq "fade brightness rises at every sample" "$rising" "$((fadelen - 1))"
grey=$(seg 10 12.5 | jq '[.[].colourfulness] | max')
assert_true "grey noise colourfulness $grey < 5" awk -v v="$grey" 'BEGIN { exit !(v < 5) }'
bars=$(seg 9 10 | jq '[.[].colourfulness] | min')
assert_true "colour bars colourfulness $bars > 30" awk -v v="$bars" 'BEGIN { exit !(v > 30) }'
motion=$(seg 10 12.5 | jq '[.[].motion] | min')
assert_true "noise motion $motion > 0.05" awk -v v="$motion" 'BEGIN { exit !(v > 0.05) }'

# Scenes: cover 0..15 s, boundaries at true cuts. The sharp->blurred change
# is the same picture losing focus, so a boundary there is allowed but not
# required; every other change must be found within one sample (1/3 s).
jq -r '.scenes[] | "\(.start) \(.gradual)"' "$sj" >"$WORK/bounds"
cat "$WORK/bounds" | tr '\n' ';'; echo
assert_eq "first scene starts at 0" "$(jq '.scenes[0].start' "$sj")" 0
first=$(jq '.frames[0].brightness' "$fj")
assert_true "first sample (testsrc2) brightness $first > 0.3" awk -v v="$first" 'BEGIN { exit !(v > 0.3) }'
assert_true "first scene lasts >= 2.4 s" \
  awk -v e="$(jq '.scenes[0].end' "$sj")" 'BEGIN { exit !(e >= 2.4) }'
assert_true "last scene ends at 15 s" \
  awk -v e="$(jq '.scenes[-1].end' "$sj")" 'BEGIN { exit !(e >= 14.9 && e <= 15.1) }'
assert_eq "scenes are contiguous" \
  "$(jq '[.scenes as $s | range(1; $s | length) | select($s[.].start != $s[. - 1].end)] | length' "$sj")" 0
near() { awk -v t="$1" 'NR > 1 { d = $1 - t; if (d < 0) d = -d; if (d <= 0.34) { print $2; exit } }' "$WORK/bounds"; }
for t in 5 7.5 10 12.5; do
  assert_true "a scene boundary within one sample of $t s" test -n "$(near $t)"
done
assert_eq "the fade from black is gradual" "$(near 7.5)" true
assert_eq "the cut to noise is not gradual" "$(near 10)" false
assert_eq "the cut to the photograph is not gradual" "$(near 12.5)" false
stray=$(awk 'NR > 1 { ok = 0; n = split("2.5 5 7.5 10 12.5", T, " ");
  for (i = 1; i <= n; i++) { d = $1 - T[i]; if (d < 0) d = -d; if (d <= 0.34) ok = 1 }
  if (!ok) print $1 }' "$WORK/bounds" | tr '\n' ' ')
assert_eq "boundaries away from any true change" "$stray" ""
# Frames point at the scene whose span holds them.
assert_eq "frame scene indices match scene spans" "$(jq -n --slurpfile f "$fj" --slurpfile s "$sj" \
  '[$f[0].frames[] | . as $x | $s[0].scenes[$x.scene] | select($x.time < .start or $x.time >= .end)] | length')" 0

# Faces: the cascade must have been used, then most astronaut frames have a
# face (normalised, inside the picture) and no other segment has any.
assert_eq "faces detected (cascade loaded)" "$(jq .faces_detected "$fj")" true
astro=$(seg 12.5 15 | jq 'length')
withface=$(seg 12.5 15 | jq '[.[] | select(.faces | length > 0)] | length')
echo "faces in $withface of $astro astronaut frames"
assert_true "faces in most astronaut frames ($withface of $astro)" test "$withface" -ge $((astro * 3 / 4))
for range in "0 2.5" "2.5 5" "5 7.5" "10 12.5"; do
  n=$(jq --argjson a "${range% *}" --argjson b "${range#* }" \
    '[.frames[] | select(.time >= $a and .time < $b and (.faces | length) > 0)] | length' "$fj")
  assert_eq "frames with faces in $range s" "$n" 0
done
# The astronaut's face: right of the picture's left pad, upper half,
# about a fifth of the picture's height.
fx=$(seg 12.5 15 | jq '[.[] | .faces[0] | select(. != null)] | .[0]')
if [ "$fx" != null ]; then
  assert_true "face box $fx plausible" jq -e '.x > 0.3 and .x + .w < 0.8 and .y < 0.5 and .h > 0.12 and .h < 0.45' <<<"$fx" >/dev/null
fi
assert_eq "metrics: frames_sampled" \
  "$(jq '.frames.frames_sampled' "$WORK/out/analytics/performance_metrics.json")" 45
# 450 frames, two B-frames (unreferenced) in three: most of those fall
# between samples and are never decoded.
decoded=$(jq '.frames.frames_decoded' "$WORK/out/analytics/performance_metrics.json")
assert_true "B-frames skipped: $decoded of 450 decoded" test "$decoded" -lt 350

# --- the same input again: the frames stage comes from the results cache --------
cp "$fj" "$WORK/frames1.json"
cp "$sj" "$WORK/scenes1.json"
run_ave process "$WORK/clip.mp4" --output "$WORK/out2" --no-progress --disable-filler-detection
assert_eq "second run: exit code (stderr: $ERR)" "$RC" 0
M2="$WORK/out2/analytics/performance_metrics.json"
assert_eq "second run: frames stage cached" "$(jq -r .stage_status.frames "$M2")" cached
assert_true "second run: identical frames.json" cmp -s "$WORK/frames1.json" "$WORK/out2/analysis/frames.json"
assert_true "second run: identical scenes.json" cmp -s "$WORK/scenes1.json" "$WORK/out2/analysis/scenes.json"
assert_eq "second run: metrics restored" "$(jq '.frames.frames_sampled' "$M2")" 45
assert_true "second run: thumbnails chosen from the cached frames" \
  test -s "$WORK/out2/thumbnails/thumbnails.json"

finish
