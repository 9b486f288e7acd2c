#!/usr/bin/env bash
# Benchmark of the denoiser on real noise (not a test: it prints numbers and
# the targets of issue 20, it does not fail on them).
# Data: ../shared/media/real-dev/noise_denoise (README.md there): six real
# clean read utterances (CMU ARCTIC, 16 kHz) and three real noise
# recordings (Speech Commands: dishes, exercise bike, running tap).
#  1. the twelve mixtures of its pairs.tsv (0 and 5 dB), per file;
#  2. more mixtures made here: each speaker's three utterances joined with
#     0.8 s pauses, x every noise x 0/5/10 dB, the noise taken from offsets
#     the pairs do not use (18 files).
# Each mixture is denoised by ours (as the enhance chain runs it: the whole
# file known in advance), speexdsp (inside bench_enhance) and ffmpeg's
# afftdn, and scored against the clean utterance by `bench_enhance real`:
# SI-SDR, segmental SI-SDR (50 ms), how much quieter the pauses are, and
# two musical-noise measures in the pauses (kurtosis of the normalised
# power, isolated time-frequency peaks per 1000 points), each next to the
# same measure of the noisy input. A pause is where the clean speech is 20
# dB under the noise with 100 ms to spare on both sides (the pairs' short
# silences rarely qualify: their kurtosis is then nan and left out).
# Usage: bench/bench_denoise_real.sh [path/to/bench_enhance]
# DATA=DIR overrides the data folder; ROWS=FILE keeps the raw rows.
set -euo pipefail
bin=${1:-build/bench_enhance}
[ -x "$bin" ] || { echo "bench_enhance not found at $bin (build first)" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$here/../shared/media/real-dev/noise_denoise}
[ -f "$data/pairs.tsv" ] || { echo "no real noise set at $data" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# As in bench_enhance.sh: afftdn's defaults barely act; give it what
# speexdsp gets (25 dB of reduction, noise tracking, -30 dB start floor).
afftdn=${AFFTDN:-afftdn=nr=25:nf=-30:tn=1}
rows=$work/rows.tsv
: > "$rows"

denoise() { # NAME SNR REF MIX
  ffmpeg -nostdin -loglevel error -y -i "$4" -af "$afftdn" -c:a pcm_f32le "$work/aff.wav"
  "$bin" real "$1" "$2" "$3" "$4" "$work/aff.wav" >> "$rows"
}

# 1. the pairs as shipped; the reference is the clean file scaled as in the
# mixture (bench_enhance mix rebuilds both from the table, so the noise is
# known sample for sample and the pauses can be found).
tail -n +2 "$data/pairs.tsv" | while IFS=$'\t' read -r noisy clean nz off snr; do
  "$bin" mix "$data/clean/$clean" "$data/noise/$nz" "$snr" "$off" "$work/m.wav" "$work/r.wav"
  denoise "pair:${noisy%.wav}" "$snr" "$work/r.wav" "$work/m.wav"
done
# 2. more mixtures: each speaker's three utterances in a row with 0.8 s
# pauses between them (about 12 s: pauses long enough to hear musical
# noise in), in each noise at 0, 5 and 10 dB, from noise offsets the pairs
# do not use (13 s on). SNR is over the whole file, pauses included (they
# are 20% of it, so the SNR while speaking is about 1 dB higher).
for spk in aew axb; do
  parts=()
  for c in "$data"/clean/cmu_arctic_us_${spk}_*.wav; do
    sox "$c" "$work/p$((${#parts[@]})).wav" pad 0 0.8
    parts+=("$work/p$((${#parts[@]})).wav")
  done
  sox "${parts[@]}" "$work/$spk.wav" trim 0 -0.4
done
i=0
for spk in aew axb; do
  for nz in "$data"/noise/*.wav; do
    for snr in 0 5 10; do
      off=$(awk -v i=$i 'BEGIN { printf "%.3f", 13 + (i * 0.77) % 4 }')
      "$bin" mix "$work/$spk.wav" "$nz" "$snr" "$off" "$work/m.wav" "$work/r.wav"
      n=$(basename "$nz" .wav)
      denoise "gen:${spk}_3utt__${n#speechcommands_}" "$snr" "$work/r.wav" "$work/m.wav"
      i=$((i + 1))
    done
  done
done
[ -n "${ROWS:-}" ] && cp "$rows" "$ROWS"

echo "afftdn: $afftdn; ours: strength 0.7 (default), offline; speexdsp: 20 ms frames, suppress -25 dB"
# Row layout: name snr, then 5 values each for the input, ours, speexdsp and
# afftdn: SI-SDR, segmental SI-SDR, pause reduction, kurtosis, peaks.
echo "REAL PAIRS, per file. in: SI-SDR, segmental SI-SDR, kurtosis, isolated peaks/1000 of the noisy input;"
echo "per system: SI-SDR and segmental SI-SDR gained over the input, pause noise reduction (dB), kurtosis, peaks/1000"
awk -F'\t' '
function sys(name, b) {
  printf " | %-5s %5.2f %5.2f %5.1f %5.2f %5.2f", name, $(b) - $3, $(b + 1) - $4, $(b + 2), $(b + 3), $(b + 4)
}
/^pair:/ { printf "%-50s %2s in %5.2f %5.2f %5.2f %5.2f", substr($1, 17), $2, $3, $4, $6, $7
  sys("ours", 8); sys("speex", 13); sys("aff", 18); printf "\n" }
' "$rows"
awk -F'\t' '
# Kurtosis and peaks need 8 STFT frames of pause; files with fewer (nan)
# are left out of those two means, per system and for the input alike.
{ split($1, p, "__"); nz = p[2]; k = nz " " $2; n[k]++; keys[k] = 1
  ok = $6 !~ /nan/; for (s = 0; s < 3; s++) ok = ok && $(8 + 5 * s + 3) !~ /nan/
  if (ok) { nm_[k]++; ink[k] += $6; inp[k] += $7 }
  for (s = 0; s < 3; s++) { b = 8 + 5 * s
    sdr[k, s] += $(b) - $3; seg[k, s] += $(b + 1) - $4; pz[k, s] += $(b + 2)
    if (ok) { ku[k, s] += $(b + 3); pk[k, s] += $(b + 4) } }
  if ($2 == 5) { n5++; if (ok) { m5++; ik += $6; ip += $7 }
    for (s = 0; s < 3; s++) { b = 8 + 5 * s
      Tseg[s] += $(b + 1) - $4; Tpz[s] += $(b + 2); if (ok) { Tku[s] += $(b + 3); Tpk[s] += $(b + 4) } } }
}
END {
  for (k in keys) {
    d = nm_[k] ? nm_[k] : 1
    printf "T %-22s %3d | %5.2f %5.2f", k, n[k], ink[k] / d, inp[k] / d
    for (s = 0; s < 3; s++) printf " | %5.2f %5.2f %5.1f %5.2f %5.2f", sdr[k, s] / n[k], seg[k, s] / n[k], pz[k, s] / n[k], ku[k, s] / d, pk[k, s] / d
    printf "\n" }
  split("ours speexdsp afftdn", nm, " ")
  for (s = 0; s < 3; s++)
    printf "S SUMMARY %s @5dB (%d files; musical noise on the %d with enough pause): segSI-SDRi %.2f dB (>=4: %s), pause noise -%.1f dB (>=15: %s), kurtosis %.2f vs input %.2f, isolated peaks %.2f vs input %.2f per 1000 (musical noise: both at most the input'"'"'s x 1.25: %s)\n",
      nm[s + 1], n5, m5, Tseg[s] / n5, (Tseg[s] / n5 >= 4) ? "MET" : "NOT MET",
      Tpz[s] / n5, (Tpz[s] / n5 >= 15) ? "MET" : "NOT MET", Tku[s] / m5, ik / m5, Tpk[s] / m5, ip / m5,
      (Tku[s] <= 1.25 * ik && Tpk[s] <= 1.25 * ip) ? "MET" : "NOT MET"
}' "$rows" > "$work/table"
echo
echo "ALL FILES by noise and SNR (pairs + generated). in: kurtosis, peaks; per system: means of SI-SDRi, segSI-SDRi, pause reduction, kurtosis, peaks"
printf "%-22s %3s | %-11s | %-29s | %-29s | %-29s\n" noise n in ours speexdsp afftdn
grep '^T ' "$work/table" | cut -c3- | sort -k1,1 -k2,2n
grep '^S ' "$work/table" | cut -c3-
