#!/usr/bin/env bash
# Beat tracking on real sampled instruments, against aubio in the same run.
#
#   bench/bench_beats_real.sh BUILD_DIR [SECONDS]
#
# Files: the real loops in $AVE_REAL_DEV/music_beats (electronic drum and
# synth loops, grids derived from the loop length; default
# /work/shared/media/real-dev, skipped when missing) and a 4 s excerpt of
# each (from 5.3 s, off the beat: *_cut4), then the MIDI corpus
# that bench/beats_corpus.py writes and renders with fluidsynth and the
# FluidR3 GM soundfont (waltz, 6/8, swing, rubato, tempo changes, funk,
# strings, country, speech over music, 4-5 s excerpts), SECONDS long
# (default 20). Each file goes to 16 kHz mono (the pipeline's analysis
# audio) for our tracker (bench_beats_track: the beats stage's analysis)
# and, as is, to `aubio beat` (aubio-tools).
#
# With BEATS_HOLDOUT=1, two held-out sets follow, with their own totals:
# the corpus's held-out styles (beats_corpus.py --holdout: fast rock and
# punk, ska, reggae steppers, pop at another tempo) and every corpus piece
# again with another seed (11: other humanising and velocities).
#
# Per file: true tempo, ours, its error and octave flag (ok within 4%), beat
# F-measure (+-70 ms), our tempo segments (count, BPM range), aubio's F,
# tempo and octave flag, our beat count. Then the totals against the
# targets of issue 20: mean F >= 0.8, F >= aubio's on every file (to 0.005,
# the printed precision), tempo ok on >= 90% of files, a grid on every
# excerpt of 4 s or more.
set -euo pipefail
export SOX_OPTS=-R # no random dither: the same files every run

BUILD=${1:?usage: bench_beats_real.sh BUILD_DIR [SECONDS]}
SECS=${2:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
REAL=${AVE_REAL_DEV:-/work/shared/media/real-dev}/music_beats
TOOL=$BUILD/bench_beats_track
command -v aubio >/dev/null || { echo "bench_beats_real: needs aubio-tools" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench_beats_real.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/in"
if [ -d "$REAL" ]; then
  for f in "$REAL"/*.flac; do
    n=$(basename "$f" .flac)
    sox -V1 "$f" "$WORK/in/real_$n.wav"
    cp "$REAL/$n.beats.txt" "$WORK/in/real_$n.beats.txt"
    # a 4 s excerpt from an arbitrary point (not on a beat)
    sox -V1 "$f" "$WORK/in/real_${n}_cut4.wav" trim 5.3 4
    awk '{ t = $1 - 5.3; if (t >= 0 && t < 4) printf "%.4f\n", t }' "$REAL/$n.beats.txt" \
      >"$WORK/in/real_${n}_cut4.beats.txt"
  done
fi
python3 "$HERE/beats_corpus.py" "$WORK/in" --seconds "$SECS"

# score DIR TITLE: one row per file of DIR/in (real loops first), then totals
score() {
  local d=$1
  echo "== $2"
  printf "%-28s %6s %7s %6s %-5s %5s %4s %-9s %5s %7s %-5s %5s\n" file true ours err% oct F segs seg_bpm \
    aubioF aubio aoct beats
  : >"$d/rows"
  for f in $(ls "$d"/in/real_*.wav 2>/dev/null) $(ls "$d"/in/*.wav | grep -v /real_); do
    n=$(basename "$f" .wav)
    sox -V1 "$f" -r 16000 -c 1 -t raw -e signed -b 16 "$d/$n.s16"
    "$TOOL" "$d/$n.s16" >"$d/$n.json"
    aubio beat -i "$f" >"$d/$n.aubio" 2>/dev/null
    python3 "$HERE/beats_eval.py" "${f%.wav}.beats.txt" "$d/$n.json" "$d/$n.aubio" "$n" |
      tee -a "$d/rows"
  done
  awk '{ n++; f += $6; if ($6 + 0.005 >= $9) ge++; if ($5 == "ok") ok++
         if (($1 !~ /^real_/ && $1 ~ /_x[0-9]$/) || $1 ~ /_cut[0-9]$/) { ex++; if ($12 > 0) grid++ } }
       END { printf "\nmean F %.3f (target >= 0.8), F >= aubio on %d/%d, tempo ok on %d/%d = %.0f%% (target 90%%), grid on %d/%d excerpts\n\n",
               f / n, ge, n, ok, n, 100 * ok / n, grid, ex }' "$d/rows"
}
score "$WORK" "real loops, then the corpus (seed 7)"
if [ "${BEATS_HOLDOUT:-0}" = 1 ]; then
  mkdir -p "$WORK/hold/in" "$WORK/seed11/in"
  python3 "$HERE/beats_corpus.py" "$WORK/hold/in" --seconds "$SECS" --holdout
  python3 "$HERE/beats_corpus.py" "$WORK/seed11/in" --seconds "$SECS" --seed 11
  score "$WORK/hold" "held out: the held-out styles (beats_corpus.py --holdout)"
  score "$WORK/seed11" "held out: the corpus with seed 11"
fi
