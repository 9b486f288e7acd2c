#!/usr/bin/env bash
# Real-speech benchmark for the cuts (issue 18): every recording under
# ../shared/media/real-dev/speech_disfluent (real disfluent speech with
# verbatim transcripts) and ../shared/media/real (read speech, no fillers:
# every filler cut there is a false alarm) goes through
#   process --type educational --no-enhance --export-only
# and bench/fillers_real_eval.py scores timeline.json against the word times:
# the corpus's own (three clips have them), else a forced alignment of the
# known transcript by bench_align (PocketSphinx). Printed per file and in
# total: fillers wholly removed / partly / left, real words damaged (and by
# silence cuts), stutter-like events and stutter cuts, false cuts per minute
# of read speech. The generated corpus stays in bench/bench_fillers.sh.
#
# usage: bench/bench_fillers_real.sh [BUILD_DIR]
# env: KEEP=1 keeps the work folder; JOBS (default 2) parallel files;
#      EXTRA="flags" added to process; MEDIA (default ../shared/media).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
bin=$build/ai-video-editor
align=$build/bench_align
media=${MEDIA:-$here/../../shared/media}
[ -x "$bin" ] && [ -x "$align" ] || { echo "no $bin or $align: build first" >&2; exit 1; }
[ -d "$media/real" ] && [ -d "$media/real-dev" ] || { echo "no real media in $media" >&2; exit 1; }
work=$(mktemp -d /tmp/bench_fillers_real.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

specs=()
add() { # KIND AUDIO
  local audio=$2 name
  name=$(basename "${audio%.*}")
  [ -f "${audio%.*}.txt" ] || return 0
  specs+=("$name:$1:$audio:${audio%.*}.txt")
}
for f in "$media"/real-dev/speech_disfluent/*.wav "$media"/real-dev/speech_disfluent/*.flac; do
  case $f in *2spk*) continue ;; esac # a stereo mix of two clips already in the set
  add disfluent "$f"
done
for f in "$media"/real/*/*.wav "$media"/real/*/*.flac; do add read "$f"; done

run_one() { # NAME KIND AUDIO TRANSCRIPT
  local d="$work/$1"
  mkdir -p "$d"
  sox "$3" -r 16000 -c 1 -b 16 -e signed -t raw "$d/audio.raw" 2>/dev/null
  "$align" "$d/audio.raw" "$4" >"$d/align.tsv" 2>"$d/align.err" || rm -f "$d/align.tsv"
  rm -f "$d/audio.raw"
  /usr/bin/time -f "%e %U" -o "$d/time.txt" "$bin" process "$3" --type educational --no-enhance \
    --export-only --no-report --no-cache --no-progress --output "$d/out" ${EXTRA:-} \
    >/dev/null 2>"$d/log.txt" || echo "process failed: $1 (see $d/log.txt)" >&2
}
export -f run_one
export work bin align
printf '%s\n' "${specs[@]}" | tr ':' ' ' | xargs -P "${JOBS:-2}" -n 4 bash -c 'run_one "$0" "$1" "$2" "$3"'
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
python3 "$here/fillers_real_eval.py" "$work" "${specs[@]}"
