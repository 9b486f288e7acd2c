#!/usr/bin/env bash
# Benchmark of the whole enhancement chain (issue 4), as `ai-video-editor
# enhance IN OUT` runs it: high-pass, denoise, EQ, compressor, loudness
# normalisation, true-peak limiter, and the passes that measure and check.
# Not a test: it prints numbers and the targets, it does not fail on them.
#
#  1. Loudness and true peak on every file, measured independently by
#     ffmpeg's ebur128 filter (peak=true): 8 voices (espeak-ng, flite) x
#     clean / white / pink / brown / babble at 5 dB, and the real JFK
#     recording, at -14 and -16 LUFS. Target: within +-0.5 LU, true peak
#     <= ceiling + 0.1 dB.
#  2. Speed: CPU seconds of `enhance` on 5.5 minutes of 48 kHz mono speech
#     (the JFK clip repeated, pink noise at 15 dB), against a plain ffmpeg
#     decode + encode of the same file in the same run. Target: >= 50x real
#     time on one core (the chain is single-threaded).
# usage: bench/bench_enhance_chain.sh [BUILD_DIR]   (RelWithDebInfo build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
bin=$build/ai-video-editor
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 2; }
jfk=$(ls "$here"/../../shared/media/real/jfk/*.flac 2>/dev/null | head -1 || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rate=48000

echo "generating the corpus in $work ..." >&2
text="please remember to bring your notes, because tomorrow we will review every chapter"
n=0
for v in en-us en+f3 en+m7 en-gb; do
  espeak-ng -v "$v" -s 150 -w "$work/raw$n.wav" "$text"
  n=$((n + 1))
done
for v in slt kal awb rms; do
  flite -voice "$v" -t "$text" -o "$work/raw$n.wav"
  n=$((n + 1))
done
sox -R -n -r $rate -c 1 -b 16 "$work/white.wav" synth 12 whitenoise vol 0.5
sox -R -n -r $rate -c 1 -b 16 "$work/pink.wav" synth 12 pinknoise vol 0.5
sox -R -n -r $rate -c 1 -b 16 "$work/brown.wav" synth 12 brownnoise vol 0.5
b=0
for v in en-us+m3 en+f2 en-gb+m5 en+f4; do
  espeak-ng -v "$v" -s 170 -w "$work/bv$b.wav" "many people talk at once in a crowded room and the market opened early"
  sox "$work/bv$b.wav" -r $rate -c 1 "$work/bt$b.wav" pad "0.$((b * 3))" repeat 2
  b=$((b + 1))
done
sox -m "$work"/bt?.wav -b 16 "$work/babble.wav" tremolo 0.5 60 norm -3 trim 0 12

# mix CLEAN NOISE SNR OUT: noise scaled to SNR dB below the speech's RMS
mix() {
  local s_rms n_rms
  s_rms=$(sox "$1" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
  n_rms=$(sox "$2" -n trim 0 "$(soxi -D "$1")" stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
  sox -m -v 1 "$1" -v "$(awk -v s="$s_rms" -v n="$n_rms" -v d="$3" 'BEGIN {print s / n / 10 ^ (d / 20)}')" \
      "$2" -b 16 "$4" trim 0 "$(soxi -D "$1")"
}
files=()
for ((i = 0; i < n; i++)); do
  sox -V1 "$work/raw$i.wav" -r $rate -c 1 -b 16 "$work/c$i.wav" norm -12 pad 0.3 0.3
  files+=("$work/c$i.wav")
  for nz in white pink brown babble; do
    mix "$work/c$i.wav" "$work/$nz.wav" 5 "$work/m${i}_$nz.wav"
    files+=("$work/m${i}_$nz.wav")
  done
done
if [ -n "$jfk" ]; then
  sox "$jfk" -r $rate -c 1 -b 16 "$work/jfk.wav"
  files+=("$work/jfk.wav")
fi

# ebur128 FILE -> "I TP" from ffmpeg's meter
ebur128() {
  ffmpeg -hide_banner -nostats -i "$1" -af ebur128=peak=true -f null - 2>&1 |
    awk '/Integrated loudness:/ {s = 1} s && /^ +I:/ {i = $2} s && /^ +Peak:/ {p = $2} END {print i, p}'
}

echo "running the chain on ${#files[@]} files at -14 and -16 LUFS ..." >&2
printf '%-8s %6s %9s %9s %9s %9s\n' target files "max|dI|" "mean|dI|" "max TP" "TP over"
for target in -14 -16; do
  worst=0 sum=0 tpmax=-99 over=0 k=0
  for f in "${files[@]}"; do
    out="$work/out.wav"
    "$bin" enhance "$f" "$out" --loudness-target "$target" --no-progress 2>"$work/log" >/dev/null ||
      { echo "enhance failed on $f: $(tail -1 "$work/log")" >&2; continue; }
    read -r i tp <<<"$(ebur128 "$out")"
    read -r worst sum tpmax over <<<"$(awk -v i="$i" -v tp="$tp" -v t="$target" -v w="$worst" \
      -v s="$sum" -v m="$tpmax" -v o="$over" 'BEGIN {
        d = i - t; if (d < 0) d = -d; if (d > w) w = d; if (tp > m) m = tp;
        if (tp > -1.0 + 0.1) o++; print w, s + d, m, o }')"
    k=$((k + 1))
  done
  printf '%-8s %6d %9.2f %9.3f %9.2f %9d\n' "$target" "$k" "$worst" \
    "$(awk -v s="$sum" -v k="$k" 'BEGIN {print s / k}')" "$tpmax" "$over"
done
echo "targets: |dI| <= 0.5 LU on every file; true peak <= -0.9 dBTP (ceiling -1 + 0.1)"

# Speed on a long file.
if [ -n "$jfk" ]; then
  sox "$work/jfk.wav" "$work/long1.wav" repeat 29
else
  sox "${files[0]}" "$work/long1.wav" repeat 110
fi
mix "$work/long1.wav" "$work/pink.wav" 15 "$work/long.wav" 2>/dev/null ||
  cp "$work/long1.wav" "$work/long.wav"
dur=$(soxi -D "$work/long.wav")
best() { # CMD... -> the least user+sys CPU seconds of 3 runs
  local b=999999 t
  for _ in 1 2 3; do
    /usr/bin/time -f "%U %S" -o "$work/t" "$@" >/dev/null 2>&1
    t=$(awk '{print $1 + $2}' "$work/t")
    b=$(awk -v a="$b" -v t="$t" 'BEGIN {print (t < a ? t : a)}')
  done
  echo "$b"
}
base=$(best ffmpeg -nostdin -v error -y -i "$work/long.wav" -c:a pcm_s16le "$work/copy.wav")
ours=$(best "$bin" enhance "$work/long.wav" "$work/out.wav" --no-progress)
awk -v d="$dur" -v b="$base" -v o="$ours" 'BEGIN {
  printf "SPEED: enhance %.1f s CPU for %.1f s of 48 kHz mono = %.0fx real time (target >= 50x); ", o, d, d / o;
  printf "ffmpeg decode+encode %.2f s CPU (%.0fx); ratio enhance/ffmpeg %.1f\n", b, d / b, o / b }'
