#!/usr/bin/env bash
# Benchmark for the speech denoiser (not a test: it prints numbers and the
# targets of issue 4, it does not fail on them).
# Builds a corpus in a temp folder: clean speech from espeak-ng (4 voices)
# and flite (4 voices), 48 kHz mono; white, pink and brown noise (sox) and
# two non-stationary noises: an amplitude-modulated babble of overlapped
# espeak voices, and "swell", pink noise whose level swings by 8 dB at
# 0.5 Hz (traffic, a fan changing speed); mixtures at 0,
# 5 and 10 dB SNR plus the clean input. Each mixture is denoised by ours,
# speexdsp (inside bench_enhance) and ffmpeg's afftdn (here), and scored
# against the clean reference by bench_enhance.
# Usage: bench/bench_enhance.sh [path/to/bench_enhance]   (an optimised build:
# `make` uses RelWithDebInfo; an unoptimised build is ~3x slower)
# ORACLE=1 also runs ours with the true noise PSD averaged over spans from
# one frame to the whole file (bench_enhance oracle), at 5 dB: how far a
# better noise tracker could go, per noise type.
# BENCH_CORPUS=DIR keeps the corpus (clean files, mixtures, afftdn outputs)
# in DIR and reuses it on the next run, so tuning runs only re-evaluate.
set -euo pipefail
bin=${1:-build/bench_enhance}
[ -x "$bin" ] || { echo "bench_enhance not found at $bin (build first)" >&2; exit 2; }
rate=48000
if [ -n "${BENCH_CORPUS:-}" ]; then
  work=$BENCH_CORPUS
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
keep=${BENCH_CORPUS:+1}

texts=("the quick brown fox jumps over the lazy dog while the farmer watches from a distance"
       "please remember to bring your notes, because tomorrow we will review every chapter"
       "measurements of the river showed that the water level rose slowly during the night"
       "she sold the old bicycle and bought a ticket for the morning train to the coast")
babble=("many people talk at once in a crowded room and nothing can be understood clearly"
        "the market opened early and the traders shouted their prices across the square"
        "after lunch the committee discussed the budget for the next three years in detail"
        "children were playing outside and the teacher called them back into the classroom"
        "a long list of numbers was read aloud while everyone waited for the results")

if [ -f "$work/corpus.done" ]; then
  n=$(cat "$work/corpus.done")
else
echo "generating the corpus in $work ..." >&2
# Clean speech, one file per voice: espeak-ng voices then flite voices.
n=0
for v in en-us en+f3 en+m7 en-gb; do
  espeak-ng -v "$v" -s 150 -w "$work/raw$n.wav" "${texts[$((n % 4))]}. ${texts[$(((n + 1) % 4))]}"
  n=$((n + 1))
done
for v in slt kal awb rms; do
  flite -voice "$v" -t "${texts[$((n % 4))]}" -o "$work/raw$n.wav"
  n=$((n + 1))
done
for ((i = 0; i < n; i++)); do
  # 0.3 s of leading and trailing silence; at most 10 s.
  sox -V1 "$work/raw$i.wav" -r $rate -c 1 -b 16 "$work/clean$i.wav" norm -3 pad 0.3 0.3 trim 0 10
done

# Noises, 14 s each.
sox -R -n -r $rate -c 1 -b 16 "$work/white.wav" synth 14 whitenoise vol 0.5
sox -R -n -r $rate -c 1 -b 16 "$work/pink.wav" synth 14 pinknoise vol 0.5
sox -R -n -r $rate -c 1 -b 16 "$work/brown.wav" synth 14 brownnoise vol 0.5
# Level swing: sox's tremolo at 60% depth, 0.5 Hz.
sox -R -n -r $rate -c 1 -b 16 "$work/swell.wav" synth 14 pinknoise vol 0.5 tremolo 0.5 60
parts=()
b=0
for v in en-us+m3 en+f2 en-gb+m5 en+f4 en-us+m1; do
  espeak-ng -v "$v" -s 170 -w "$work/bv$b.wav" "${babble[$b]}. ${babble[$(((b + 2) % 5))]}. ${babble[$(((b + 4) % 5))]}"
  # Each talker starts at another offset and has its own slow level swing.
  sox "$work/bv$b.wav" -r $rate -c 1 -b 16 "$work/bt$b.wav" pad "0.$((b * 2))" \
      tremolo "0.$((3 + b))" 70
  parts+=("$work/bt$b.wav")
  b=$((b + 1))
done
# Overall amplitude modulation (0.5 Hz, deep) on top: non-stationary.
# About 12 s (all five talkers); mixtures loop it from an offset.
sox -m "${parts[@]}" -b 16 "$work/babble.wav" tremolo 0.5 60 norm -3 trim 0 12
[ -n "$keep" ] && echo "$n" > "$work/corpus.done"
fi

# afftdn's defaults assume a -50 dB noise floor and barely act on these
# mixtures (SI-SDRi ~0); give it what speexdsp gets: 25 dB of reduction,
# noise tracking on, a -30 dB starting floor.
afftdn=${AFFTDN:-afftdn=nr=25:nf=-30:tn=1}
rows="$work/rows.tsv"
: > "$rows"
: > "$work/oracle.tsv"
echo "denoising $((n * 16)) mixtures ..." >&2
for ((i = 0; i < n; i++)); do
  for nz in white pink brown swell babble; do
    for snr in 0 5 10; do
      m="$work/mix_${i}_${nz}_${snr}"
      if [ ! -f "$m.aff.wav" ]; then
        "$bin" mix "$work/clean$i.wav" "$work/$nz.wav" "$snr" "0.$i" "$m.wav" "$m.ref.wav"
        ffmpeg -nostdin -loglevel error -y -i "$m.wav" -af "$afftdn" -c:a pcm_f32le "$m.aff.wav"
      fi
      "$bin" eval "$nz" "$snr" "$m.ref.wav" "$m.wav" "$m.aff.wav" >> "$rows"
      if [ -n "${ORACLE:-}" ] && [ "$snr" = 5 ]; then
        "$bin" oracle "$nz" "$snr" "$m.ref.wav" "$m.wav" >> "$work/oracle.tsv"
      fi
      [ -n "$keep" ] || rm -f "$m.wav" "$m.ref.wav" "$m.aff.wav"
    done
  done
  m="$work/mix_${i}_clean"
  if [ ! -f "$m.aff.wav" ]; then
    "$bin" mix "$work/clean$i.wav" "$work/white.wav" inf 0 "$m.wav" "$m.ref.wav"
    ffmpeg -nostdin -loglevel error -y -i "$m.wav" -af "$afftdn" -c:a pcm_f32le "$m.aff.wav"
  fi
  "$bin" eval clean inf "$m.ref.wav" "$m.wav" "$m.aff.wav" >> "$rows"
done
[ -n "${BENCH_ROWS:-}" ] && cp "$rows" "$BENCH_ROWS"
echo "afftdn setting: $afftdn; ours: strength 0.7 (default); speexdsp: 20 ms frames, denoise on, suppress -25 dB"
"$bin" report "$rows"
if [ -n "${ORACLE:-}" ]; then
  echo "ORACLE: SI-SDRi at 5 dB, ours with the tracked noise PSD, then with the true one averaged over a span"
  printf "%-8s %8s | %7s %7s %7s %7s %7s %7s %7s\n" noise tracked "1 frame" "75 ms" "0.25 s" "0.5 s" "1 s" "2 s" file
  awk '{ k = $1; n[k]++; for (j = 4; j <= NF; j++) s[k, j] += $j - $3 }
       END { for (k in n) { printf "%-8s %8.2f |", k, s[k, 4] / n[k]; for (j = 5; j <= 11; j++) printf " %7.2f", s[k, j] / n[k]; printf "\n" } }' \
      "$work/oracle.tsv" | sort
fi
"$bin" mix "$work/clean0.wav" "$work/pink.wav" 5 0 "$work/speed.wav" "$work/speed.ref.wav"
"$bin" speed "$work/speed.wav"
