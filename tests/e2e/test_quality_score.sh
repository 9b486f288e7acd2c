#!/usr/bin/env bash
# The render measures its own output quality: PSNR of sampled frames decoded
# back from the encoded video, mapped to output_quality_score in [0,1]. A
# lower CRF must measure higher; --no-measure-quality and audio-only output
# leave the score null.
. "$(dirname "$0")/lib.sh"

# 5 s of steady tone (no pauses, so no cuts) under a 640x360 test pattern.
sox -n -r 48000 -c 1 "$WORK/tone.wav" synth 5 sine 440 vol 0.3
mux_video "$WORK/tone.wav" "$WORK/clip.mp4"

psnr_of() { jq -r '.render.video_psnr_db' "$WORK/$1/analytics/performance_metrics.json"; }
in_range() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x + 0 == x && x >= lo && x <= hi) }'; }

for q in low ultra; do
  run_ave process "$WORK/clip.mp4" --output "$WORK/$q" --no-progress --quality "$q"
  assert_eq "--quality $q exit code (stderr: $ERR)" "$RC" 0
  m="$WORK/$q/analytics/performance_metrics.json"
  score=$(jq -r '.output_quality_score' "$m")
  assert_eq "$q: score is a number" "$(jq -r '.output_quality_score | type' "$m")" number
  assert_true "$q: score $score in [0,1]" in_range "$score" 0 1
  assert_true "$q: PSNR $(psnr_of "$q") dB in [25,60]" in_range "$(psnr_of "$q")" 25 60
  assert_true "$q: worst frame <= mean" \
    awk -v a="$(jq -r '.render.video_psnr_min_db' "$m")" -v b="$(psnr_of "$q")" 'BEGIN { exit !(a <= b) }'
  assert_true "$q: at least 4 frames measured" \
    test "$(jq -r '.render.quality_frames_measured' "$m")" -ge 4
done
# x264 reports every frame's PSNR as it encodes; the figure must agree with
# an independent measurement: FFmpeg's psnr filter on the output against the
# decoded input (nothing is cut, so the encoder's input is the input).
m="$WORK/low/analytics/performance_metrics.json"
assert_eq "low: every encoded frame measured" "$(jq -r '.render.quality_frames_measured' "$m")" \
  "$(jq -r '.render.video_frames_encoded' "$m")"
ref=$(ffmpeg -hide_banner -nostats -i "$WORK/low/video/edited.mp4" -i "$WORK/clip.mp4" \
  -lavfi "[0:v][1:v]psnr" -f null - 2>&1 | sed -n 's/.*PSNR y:\([0-9.]*\).*/\1/p' | tail -1)
assert_true "low: reported $(psnr_of low) dB within 0.1 dB of the psnr filter's $ref dB" \
  awk -v a="$(psnr_of low)" -v b="$ref" 'BEGIN { d = a - b; exit !(b + 0 > 0 && d < 0.1 && d > -0.1) }'

low=$(psnr_of low)
ultra=$(psnr_of ultra)
assert_true "low ($low dB) measures below ultra ($ultra dB)" \
  awk -v a="$low" -v b="$ultra" 'BEGIN { exit !(a < b) }'

run_ave process "$WORK/clip.mp4" --output "$WORK/off" --no-progress --quality low --no-measure-quality
assert_eq "--no-measure-quality exit code (stderr: $ERR)" "$RC" 0
m="$WORK/off/analytics/performance_metrics.json"
assert_eq "off: score is null" "$(jq -r '.output_quality_score' "$m")" null
assert_eq "off: no PSNR" "$(jq -r '.render.video_psnr_db' "$m")" null

# Audio-only output has no objective score: null, not an invented figure.
run_ave process "$WORK/tone.wav" --output "$WORK/audio" --no-progress
assert_eq "audio-only exit code (stderr: $ERR)" "$RC" 0
assert_eq "audio-only: score is null" \
  "$(jq -r '.output_quality_score' "$WORK/audio/analytics/performance_metrics.json")" null
finish
