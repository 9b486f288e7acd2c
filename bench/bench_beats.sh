#!/usr/bin/env bash
# Beat tracking benchmark on generated music with a known beat grid.
#
#   bench/bench_beats.sh BUILD_DIR [SECONDS_PER_TRACK]
#
# Generates drum tracks at 97, 120, 128 and 140 BPM, a drum-less plucked
# track at 110 BPM and one changing from 100 to 130 BPM (sox synth pieces
# cut to the exact beat period at 48 kHz, so the truth is sample-exact),
# runs `process --type music` on each and prints tempo error, octave check,
# beat F-measure (+-70 ms), downbeat accuracy and the beats stage's speed
# (x real time) next to a baseline measured in the same run: `sox TRACK -n
# stat` (one pass over the samples computing level statistics).
#
# Sourced with BEATS_LIB_ONLY=1 it only defines the generator and evaluator,
# which tests/e2e/test_beats.sh shares.
set -euo pipefail

# beats_piece OUT SAMPLES SYNTH...: a sox synth sound padded/cut to SAMPLES.
beats_piece() {
  local out=$1 n=$2
  shift 2
  sox -V1 -n -r 48000 -c 1 -b 16 "$out" "$@" pad 0 3 trim 0 "${n}s"
}

# beats_period BPM: the beat period in samples at 48 kHz.
beats_period() { awk -v b="$1" 'BEGIN { printf "%d", 48000 * 60 / b + 0.5 }'; }

# beats_gen_bar OUT KIND BPM GAIN_DB: one 4-beat bar. drums: kick and chord on
# 1, snare on 3, hats on every beat; pluck: a bass pluck on 1, higher on 2-4.
beats_gen_bar() {
  local out=$1 kind=$2 p d
  p=$(beats_period "$3")
  d=$(mktemp -d)
  if [ "$kind" = drums ]; then
    beats_piece "$d/k.wav" "$p" synth 0.15 sine 110:45 fade 0 0.15 0.13 gain -3
    beats_piece "$d/s.wav" "$p" synth 0.12 noise fade 0 0.12 0.11 gain -10
    beats_piece "$d/h.wav" "$p" synth 0.04 noise highpass 6000 fade 0 0.04 0.035 gain -14
    beats_piece "$d/c.wav" "$p" synth 0.5 sine 220 sine 277 sine 330 fade 0.005 0.5 0.3 gain -14
    sox -V1 -m "$d/k.wav" "$d/h.wav" "$d/c.wav" "$d/b1.wav"
    sox -V1 -m "$d/s.wav" "$d/h.wav" "$d/b3.wav"
    sox -V1 "$d/b1.wav" "$d/h.wav" "$d/b3.wav" "$d/h.wav" "$d/bar.wav" gain "$4"
  else
    beats_piece "$d/n1.wav" "$p" synth 0.6 pluck 110 gain -2
    beats_piece "$d/n2.wav" "$p" synth 0.6 pluck 220 gain -8
    beats_piece "$d/n3.wav" "$p" synth 0.6 pluck 277 gain -8
    beats_piece "$d/n4.wav" "$p" synth 0.6 pluck 330 gain -8
    sox -V1 "$d/n1.wav" "$d/n2.wav" "$d/n3.wav" "$d/n4.wav" "$d/bar.wav" gain "$4"
  fi
  mv "$d/bar.wav" "$out"
  rm -rf "$d"
}

# beats_gen OUT.wav "KIND BPM BARS [GAIN_DB]"...: concatenated parts; writes
# OUT.truth (one true beat time per line, s) and OUT.tempi (BPM per part,
# exact for the integer period).
beats_gen() {
  local out=$1 d i=0 pos=0 part kind bpm bars gain p
  shift
  d=$(mktemp -d)
  : >"$out.truth"
  : >"$out.tempi"
  for part in "$@"; do
    read -r kind bpm bars gain <<<"$part"
    beats_gen_bar "$d/bar.wav" "$kind" "$bpm" "${gain:-0}"
    sox -V1 "$d/bar.wav" "$d/part$i.wav" repeat $((bars - 1))
    p=$(beats_period "$bpm")
    awk -v p="$p" -v n=$((bars * 4)) -v o="$pos" 'BEGIN { for (k = 0; k < n; k++) printf "%.6f\n", (o + k * p) / 48000 }' >>"$out.truth"
    awk -v p="$p" 'BEGIN { printf "%.4f\n", 48000 * 60 / p }' >>"$out.tempi"
    pos=$((pos + bars * 4 * p))
    i=$((i + 1))
  done
  sox -V1 $(for ((j = 0; j < i; j++)); do echo "$d/part$j.wav"; done) "$out"
  rm -rf "$d"
}

# beats_eval BEATS_JSON TRUTH_BASE: prints "tempo_err_pct octave_ok F downbeat_acc"
# (tempo error: worst part against the nearest tempo segment; F-measure with
# a +-70 ms window, one-to-one; downbeat accuracy: share of detected downbeats
# within 70 ms of a true bar start).
beats_eval() {
  python3 - "$1" "$2" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
truth = [float(x) for x in open(sys.argv[2] + ".truth")]
tempi = [float(x) for x in open(sys.argv[2] + ".tempi")]
segs = [s["bpm"] for s in b["tempo_segments"]] or [b["tempo"]]
err = max(min(abs(s - t) / t for s in segs) for t in tempi) * 100
octave = all(min(abs(s - t) / t for s in segs) < 0.1 for t in tempi)
est = b["beats"]; used = set(); hit = 0
for t in truth:
    best = None
    for j, x in enumerate(est):
        if j not in used and abs(x - t) <= 0.07 and (best is None or abs(x - t) < abs(est[best] - t)):
            best = j
    if best is not None:
        used.add(best); hit += 1
p = hit / len(est) if est else 0; r = hit / len(truth)
f = 2 * p * r / (p + r) if hit else 0
bars = truth[::4]
down = b["downbeats"]
dacc = sum(1 for x in down if min(abs(x - t) for t in bars) <= 0.07) / len(down) if down else 0
print("%.3f %d %.3f %.2f" % (err, octave, f, dacc))
PY
}

# The corpus: NAME "PARTS..." with SECONDS of music per track (approximately).
beats_corpus() {
  local dir=$1 secs=${2:-16} bars
  bars() { awk -v s="$secs" -v b="$1" 'BEGIN { n = int(s * b / 240 + 0.5); print n < 2 ? 2 : n }'; }
  beats_gen "$dir/drums97.wav" "drums 97 $(bars 97)"
  beats_gen "$dir/drums120.wav" "drums 120 $(bars 120)"
  beats_gen "$dir/drums128.wav" "drums 128 $(bars 128)"
  beats_gen "$dir/drums140.wav" "drums 140 $(bars 140)"
  beats_gen "$dir/pluck110.wav" "pluck 110 $(bars 110)"
  beats_gen "$dir/change100to130.wav" "drums 100 $(bars 100)" "drums 130 $(bars 130)"
}

[ "${BEATS_LIB_ONLY:-0}" = 1 ] && return 0

BUILD=${1:?usage: bench_beats.sh BUILD_DIR [SECONDS_PER_TRACK]}
SECS=${2:-60}
BIN=$BUILD/ai-video-editor
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench_beats.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
beats_corpus "$WORK" "$SECS"
printf "%-16s %7s %8s %8s %6s %6s %6s %9s %9s\n" track dur_s bpm_est tempo_err% octave F down_acc beats_x sox_stat_x
for f in "$WORK"/*.wav; do
  name=$(basename "$f" .wav)
  dur=$(soxi -D "$f")
  "$BIN" process "$f" --type music --asr off --no-enhance --quality low --output "$WORK/$name" \
    --no-progress >/dev/null 2>&1
  read -r err oct fm dacc <<<"$(beats_eval "$WORK/$name/analysis/beats.json" "$f")"
  bpm=$(jq -r '.tempo' "$WORK/$name/analysis/beats.json")
  speed=$(jq -r '.beats.speed_x_realtime' "$WORK/$name/analytics/performance_metrics.json")
  t0=$(date +%s.%N); sox "$f" -n stat 2>/dev/null; t1=$(date +%s.%N)
  base=$(awk -v d="$dur" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", d / (b - a) }')
  printf "%-16s %7.1f %8.3f %8.3f %6s %6.3f %6.2f %9.0f %9s\n" "$name" "$dur" "$bpm" "$err" \
    "$oct" "$fm" "$dacc" "$speed" "$base"
done
