#!/usr/bin/env bash
# Filler detection benchmark (issue 3): a corpus generated at run time with
# exact truth (bench/fillers_corpus.py: flite and espeak-ng voices, phrases
# joined with known pauses, um/uh/er/hmm short and drawn-out at known
# times), clean and with pink noise at 20 and 10 dB SNR. Each clip goes
# through `ai-video-editor transcribe` (PocketSphinx + filler detection);
# bench/fillers_eval.py prints per condition: filler event precision,
# recall, F1, WER, the share of real words that would lose audio, and
# real-time factors (the stage's own timing and the run's CPU time).
#
# usage: bench/bench_fillers.sh [BUILD_DIR] [CLIPS]   (default build, 8 clips)
# env: KEEP=1 keeps the work folder; CORPUS=dir reuses a generated corpus;
#      CONDS="clean snr20" limits the conditions; JOBS (default 2) parallel clips;
#      EXTRA="flags" passed to transcribe.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
clips=${2:-8}
bin=$build/ai-video-editor
jobs=${JOBS:-2}
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 1; }
for t in flite espeak-ng sox python3; do
  command -v $t >/dev/null || { echo "$t missing" >&2; exit 1; }
done
work=$(mktemp -d /tmp/bench_fillers.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
if [ -n "${CORPUS:-}" ]; then
  ln -s "$CORPUS" "$work/corpus" # reuse a corpus (tuning)
else
  echo "corpus: $clips clips per condition in $work"
  python3 "$here/fillers_corpus.py" "$work/corpus" --clips "$clips"
fi

run_one() { # COND CLIP
  local out="$work/res/$1/$2"
  mkdir -p "$out"
  /usr/bin/time -f "%e %U %S" -o "$out/time.txt" \
    "$bin" transcribe "$work/corpus/$1/$2.wav" --output "$out" --no-progress --no-cache \
    -v -v -v ${EXTRA:-} 2>"$out/log.txt" >/dev/null || echo "failed: $1/$2 (see $out/log.txt)" >&2
}
export -f run_one
export work bin
for c in ${CONDS:-clean snr20 snr10}; do
  for f in "$work/corpus/$c"/clip*.wav; do
    echo "$c $(basename "$f" .wav)"
  done
done | xargs -P "$jobs" -n 2 bash -c 'run_one "$0" "$1"'
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
python3 "$here/fillers_eval.py" "$work/corpus" "$work/res" ${CONDS:-clean snr20 snr10}
