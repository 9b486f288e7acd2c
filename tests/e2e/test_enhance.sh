#!/usr/bin/env bash
# End to end: the "enhance" stage after render. A noisy espeak-ng clip (pink
# noise 10 dB below the speech RMS, 640x360 video) through `process` with cuts
# off, so every output is time-aligned with the clean speech: the result must
# be at -14 LUFS +- 0.5 LU and at most -0.9 dBTP, measured independently with
# ffmpeg's ebur128 filter; the metrics' audio section must be present and
# agree with that measurement; the video stream must be copied.
#
# SI-SDR: computed here in awk over 16 kHz text samples (sox -t dat), the
# simplest independent implementation: a = <s,y>/<s,s>, SI-SDR =
# 10 log10(|a s|^2 / |a s - y|^2). SI-SDR punishes any change of waveform, so
# the chain's intended changes would swamp the denoiser's effect when
# comparing against the raw clean speech: the 80 Hz high-pass rotates the
# phase of espeak's strong low harmonics, and reaching -14 LUFS under
# -1 dBTP takes 10+ dB of limiting on espeak's peaky voice (its peak to
# loudness ratio is about 19 dB). So the reference is the clean speech
# through the same chain with --no-denoise, the "input" is the noisy clip
# through that same chain, and the output is the full chain: the output must
# beat the input by more than 1 dB. Both raw figures are printed too.
#
# Then, on the audio alone (the stage's settings, not the video path, are
# under test there, so the WAV goes in and audio/edited.m4a comes out):
# --type music (no denoise), --denoise overriding it, --no-enhance,
# -16 LUFS. And edge cases: digital silence, a clipped input, a 1-second
# file, 8 kHz, 96 kHz, 6 channels (the render downmixes wider audio to
# stereo; 6-channel enhancement itself is tested in test_enhance_process),
# and a file with no audio stream (stage skipped).
. "$(dirname "$0")/lib.sh"

# Thumbnails and the render's PSNR pass look only at the picture.
FAST=(--asr off --cut-silences off --no-thumbnails --no-measure-quality --no-progress
  --temp-dir "$WORK/tmp")
mkdir -p "$WORK/tmp"

# ebur128_summary FILE -> "I TP" from ffmpeg's own meter
ebur128_summary() {
  ffmpeg -hide_banner -nostats -i "$1" -map a:0 -af ebur128=peak=true -f null - 2>&1 |
    awk '/Integrated loudness:/ { s = 1 } s && /I:/ { i = $2 } /True peak:/ { t = 1 } t && /Peak:/ { p = $2 } END { print i, p }'
}

# si_sdr REF.wav EST(any media) -> dB, both as 16 kHz mono over the reference length
si_sdr() {
  local n
  sox "$1" -r 16000 -c 1 -t dat "$WORK/ref.dat"
  ffmpeg -hide_banner -loglevel error -y -i "$2" -map a:0 -ac 1 -ar 16000 "$WORK/est.wav"
  sox "$WORK/est.wav" -t dat "$WORK/est.dat"
  paste <(grep -v '^;' "$WORK/ref.dat" | awk '{ print $2 }') \
        <(grep -v '^;' "$WORK/est.dat" | awk '{ print $2 }') |
    awk 'NF == 2 { ss += $1 * $1; sy += $1 * $2; y[NR] = $2; s[NR] = $1 }
         END { a = sy / ss; e = 0; t = 0
               for (i in s) { d = a * s[i] - y[i]; e += d * d; t += a * a * s[i] * s[i] }
               printf "%.2f\n", 10 * log(t / e) / log(10) }'
}

metric() { jq -r ".audio.$2" "$1/analytics/performance_metrics.json"; }

# --- the main case -------------------------------------------------------
gen_speech "$WORK/p1.wav" "the quick brown fox jumps over the lazy dog"
gen_speech "$WORK/p2.wav" "clean audio matters more than most people think"
gen_silence "$WORK/g.wav" 0.6
sox "$WORK/g.wav" "$WORK/p1.wav" "$WORK/g.wav" "$WORK/p2.wav" "$WORK/g.wav" "$WORK/clean.wav"
# pink noise 10 dB below the speech's RMS over the file
rms_of() { sox "$1" -n stat 2>&1 | awk '/RMS +amplitude/ { print $3 }'; }
sox -n -r 48000 -c 1 "$WORK/unit.wav" synth "$(soxi -D "$WORK/clean.wav")" pinknoise
sox "$WORK/unit.wav" "$WORK/noise.wav" vol "$(awk -v s="$(rms_of "$WORK/clean.wav")" \
  -v n="$(rms_of "$WORK/unit.wav")" 'BEGIN { print s / n / 3.1623 }')"
sox -m "$WORK/clean.wav" "$WORK/noise.wav" "$WORK/noisy.wav"
mux_video "$WORK/noisy.wav" "$WORK/noisy.mp4"

run_ave process "$WORK/noisy.mp4" --output "$WORK/out" "${FAST[@]}"
assert_eq "exit code (stderr: $ERR)" "$RC" 0
video="$WORK/out/video/edited.mp4"
read -r lufs tp <<<"$(ebur128_summary "$video")"
echo "output: $lufs LUFS, $tp dBTP (ffmpeg ebur128)"
assert_near "integrated loudness" "$lufs" -14 0.5
assert_true "true peak $tp <= -0.9 dBTP" awk -v p="$tp" 'BEGIN { exit !(p <= -0.9) }'
assert_eq "audio metrics present" "$(jq 'has("audio")' "$WORK/out/analytics/performance_metrics.json")" true
assert_eq "stage ran" "$(jq -r '.stage_status.enhance' "$WORK/out/analytics/performance_metrics.json")" ok
assert_near "metrics output loudness vs ffmpeg" "$(metric "$WORK/out" output_integrated_lufs)" "$lufs" 0.2
assert_near "metrics true peak vs ffmpeg" "$(metric "$WORK/out" output_true_peak_dbtp)" "$tp" 0.2
assert_eq "denoise ran" "$(metric "$WORK/out" denoise)" true
assert_eq "snr source" "$(metric "$WORK/out" snr_source)" denoiser
for k in input_integrated_lufs input_loudness_range_lu input_true_peak_dbtp output_loudness_range_lu \
  noise_floor_before_db noise_floor_after_db snr_before_db snr_after_db gain_db blocks; do
  assert_true "metric $k" test "$(metric "$WORK/out" $k)" != null
done
# video copied packet for packet from the render: same stream, same size
assert_eq "video stream kept" "$(stream_count "$video" v)" 1
assert_near "durations" "$(media_duration "$video" a:0)" "$(media_duration "$video" v:0)" 0.05
mux_video "$WORK/clean.wav" "$WORK/clean.mp4"
run_ave process "$WORK/clean.mp4" --output "$WORK/ref" --no-denoise "${FAST[@]}"
assert_eq "reference run (stderr: $ERR)" "$RC" 0
run_ave process "$WORK/noisy.mp4" --output "$WORK/base" --no-denoise "${FAST[@]}"
assert_eq "baseline run (stderr: $ERR)" "$RC" 0
ffmpeg -hide_banner -loglevel error -y -i "$WORK/ref/video/edited.mp4" -map a:0 "$WORK/ref.wav"
in_sdr=$(si_sdr "$WORK/ref.wav" "$WORK/base/video/edited.mp4")
out_sdr=$(si_sdr "$WORK/ref.wav" "$video")
echo "SI-SDR vs the clean speech through the chain: noisy $in_sdr dB, enhanced $out_sdr dB"
echo "SI-SDR vs the raw clean speech: noisy $(si_sdr "$WORK/clean.wav" "$WORK/noisy.wav") dB," \
  "enhanced $(si_sdr "$WORK/clean.wav" "$video") dB"
assert_true "SI-SDR improves ($in_sdr -> $out_sdr dB)" awk -v a="$in_sdr" -v b="$out_sdr" 'BEGIN { exit !(b > a + 1) }'

# --- --type music: no denoise, compress or EQ; loudness and limiter only --
run_ave process "$WORK/noisy.wav" --output "$WORK/music" --type music "${FAST[@]}"
assert_eq "music exit code (stderr: $ERR)" "$RC" 0
assert_eq "music: stage ran" "$(jq -r '.stage_status.enhance' "$WORK/music/analytics/performance_metrics.json")" ok
assert_eq "music: denoise off" "$(metric "$WORK/music" denoise)" false
assert_eq "music: compress off" "$(metric "$WORK/music" compress)" false
assert_eq "music: eq off" "$(metric "$WORK/music" eq)" false
read -r lufs tp <<<"$(ebur128_summary "$WORK/music/audio/edited.m4a")"
assert_near "music loudness" "$lufs" -14 0.5
# an explicit --denoise wins over the type's default
run_ave process "$WORK/noisy.wav" --output "$WORK/music2" --type music --denoise "${FAST[@]}"
assert_eq "music --denoise: on" "$(metric "$WORK/music2" denoise)" true
# --no-enhance skips the stage; -16 LUFS selectable
run_ave process "$WORK/noisy.wav" --output "$WORK/off" --no-enhance "${FAST[@]}"
assert_eq "--no-enhance: exit code (stderr: $ERR)" "$RC" 0
assert_eq "--no-enhance: no audio section" "$(jq 'has("audio")' "$WORK/off/analytics/performance_metrics.json")" false
run_ave process "$WORK/noisy.wav" --output "$WORK/podcast" --loudness-target -16 "${FAST[@]}"
read -r lufs tp <<<"$(ebur128_summary "$WORK/podcast/audio/edited.m4a")"
assert_near "-16 LUFS target" "$lufs" -16 0.5

# --- edge cases ------------------------------------------------------------
# Inputs the chain itself must survive go through `enhance IN OUT` (the same
# ave_enhance_process the stage runs, without re-rendering a video each time).
# check_case NAME INPUT [expect_loudness]: enhances INPUT into EOUT=$WORK/NAME.wav,
# checks the peak and (when asked) the loudness with ffmpeg's meter
check_case() {
  local name=$1 input=$2 loud=${3:-yes}
  EOUT="$WORK/case_$name.wav"
  run_ave enhance "$input" "$EOUT" --no-progress --temp-dir "$WORK/tmp"
  assert_eq "$name: exit code (stderr: $ERR)" "$RC" 0
  assert_true "$name: output exists" test -s "$EOUT"
  read -r lufs tp <<<"$(ebur128_summary "$EOUT")"
  echo "$name: $lufs LUFS, $tp dBTP"
  if [ "$loud" = yes ]; then
    assert_near "$name: loudness" "$lufs" -14 0.5
    assert_true "$name: true peak $tp" awk -v p="$tp" 'BEGIN { exit !(p <= -0.9) }'
  fi
}

gen_silence "$WORK/silent.wav" 3
check_case silence "$WORK/silent.wav" no
assert_true "silence: not normalised (warning)" grep -q "loudness not normalised" "$WORK/stderr"
assert_true "silence: stays below -90 dBFS (16-bit dither at most)" \
  awk -v p="$tp" 'BEGIN { exit !(p == "-inf" || p < -90) }'

sox "$WORK/noisy.wav" "$WORK/clipped.wav" gain 20 2>/dev/null  # hard-clipped by sox
check_case clipped "$WORK/clipped.wav"

sox "$WORK/noisy.wav" "$WORK/one.wav" trim 0.6 1.0
check_case one_second "$WORK/one.wav"
assert_near "1 s: length kept" "$(soxi -D "$EOUT")" 1.0 0.001

sox "$WORK/noisy.wav" -r 8000 "$WORK/n8k.wav"
check_case 8khz "$WORK/n8k.wav"
assert_eq "8 kHz kept" "$(soxi -r "$EOUT")" 8000

sox "$WORK/noisy.wav" -r 96000 "$WORK/n96k.wav"
check_case 96khz "$WORK/n96k.wav"
assert_eq "96 kHz kept" "$(soxi -r "$EOUT")" 96000

# 5.1: speech in the centre, noise everywhere, silent LFE
sox -M "$WORK/noisy.wav" "$WORK/noisy.wav" "$WORK/noisy.wav" "$WORK/silent.wav" "$WORK/noisy.wav" \
  "$WORK/noisy.wav" "$WORK/six.wav" 2>/dev/null
mux_video "$WORK/six.wav" "$WORK/six.mp4" -ac 6
run_ave process "$WORK/six.mp4" --output "$WORK/case_six_channels" "${FAST[@]}"
assert_eq "6 channels: exit code (stderr: $ERR)" "$RC" 0
read -r lufs tp <<<"$(ebur128_summary "$WORK/case_six_channels/video/edited.mp4")"
assert_near "6 channels: loudness" "$lufs" -14 0.5
assert_true "6 channels: true peak $tp" awk -v p="$tp" 'BEGIN { exit !(p <= -0.9) }'
# render's stereo downmix reaches the stage; channel count kept from there
assert_eq "6 channels: stage sees the stereo render" "$(metric "$WORK/case_six_channels" channels)" 2
assert_eq "channels in the file" "$(ffprobe -v error -select_streams a:0 -show_entries stream=channels -of csv=p=0 "$WORK/case_six_channels/video/edited.mp4")" 2

ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=25" -t 2 \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$WORK/mute.mp4"
run_ave process "$WORK/mute.mp4" --output "$WORK/mute" "${FAST[@]}"
assert_eq "no audio: exit code (stderr: $ERR)" "$RC" 0
assert_eq "no audio: stage skipped" "$(jq -r ".stage_status.enhance" "$WORK/mute/analytics/performance_metrics.json")" "skipped: no audio stream"
assert_eq "temp folder cleaned" "$(ls -A "$WORK/tmp")" ""
finish
