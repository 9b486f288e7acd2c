#!/usr/bin/env bash
# Publishable text on real speech (issue 23): every recording with a
# transcript under ../shared/media/real (read speech: jfk, librivox,
# pocketsphinx) and ../shared/media/real-dev/speech_disfluent goes through
#   process --type educational --no-enhance --export-only
# and bench/text_real_eval.py reads metadata/metadata.json: the words of the
# headline, the five titles and the tags that come from the transcript
# (template words such as "Explained" or "Guide" left out), and how many of
# them are in the reference transcript (plural-tolerant). Printed per file:
# headline, the SEO title, tags, reliability, and the share in the
# reference; then the total (target: >= 90 %).
#
# usage: bench/bench_text_real.sh [BUILD_DIR]
# env: KEEP=1 keeps the work folder; JOBS (default 2) parallel files;
#      EXTRA="flags" added to process; MEDIA (default ../shared/media).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
bin=$build/ai-video-editor
media=${MEDIA:-$here/../../shared/media}
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 1; }
[ -d "$media/real" ] && [ -d "$media/real-dev" ] || { echo "no real media in $media" >&2; exit 1; }
work=$(mktemp -d /tmp/bench_text_real.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

specs=()
for f in "$media"/real/*/*.wav "$media"/real/*/*.flac \
         "$media"/real-dev/speech_disfluent/*.wav "$media"/real-dev/speech_disfluent/*.flac; do
  [ -f "$f" ] && [ -f "${f%.*}.txt" ] || continue
  case $f in *2spk*) continue ;; esac # a stereo mix of two clips already in the set
  specs+=("$(basename "${f%.*}"):$f:${f%.*}.txt")
done

run_one() { # NAME AUDIO
  "$bin" process "$2" --type educational --no-enhance --export-only --no-report --no-cache \
    --no-progress --output "$work/$1" ${EXTRA:-} >/dev/null 2>"$work/$1.log" ||
    echo "process failed: $1 (see $work/$1.log)" >&2
}
export -f run_one
export work bin
printf '%s\n' "${specs[@]}" | cut -d: -f1,2 | tr ':' ' ' |
  xargs -P "${JOBS:-2}" -n 2 bash -c 'run_one "$0" "$1"'
python3 "$here/text_real_eval.py" "$work" "${specs[@]}"
