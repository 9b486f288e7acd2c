#!/usr/bin/env bash
# Generates the built-in demo recording: about 60 s of 1280x720 30 fps video
# with espeak-ng speech separated by pauses of 0.4 to 4 s, over a faint room
# noise, so that silence removal has real work to do.
# Usage: make-demo.sh OUT.mp4
set -euo pipefail
out=${1:?usage: make-demo.sh OUT.mp4}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sentences=(
  "Welcome to this short lecture about how video editors find the pauses in a recording."
  "First, we measure how loud every few milliseconds of sound are."
  "Then we estimate the level of the background noise, which changes from room to room."
  "Anything well above that floor is speech. Everything else may be a pause."
  "Short pauses are natural, so we keep them."
  "Long pauses, like the one before this sentence, are cut."
  "Finally, the kept pieces are joined with short crossfades, so there are no clicks."
  "Pauses shorter than about a second stay, because they help the listener."
  "Thank you for watching."
)
pauses=(1.8 0.4 2.5 0.6 3.0 4.0 1.2 2.5 2.0)

parts=()
i=0
for s in "${sentences[@]}"; do
  espeak-ng -s 150 -w "$work/s$i.wav" "$s"
  sox -v 0.8 "$work/s$i.wav" -r 48000 -c 1 "$work/r$i.wav"
  sox -n -r 48000 -c 1 "$work/p$i.wav" trim 0 "${pauses[$i]}"
  parts+=("$work/r$i.wav" "$work/p$i.wav")
  i=$((i + 1))
done
sox -n -r 48000 -c 1 "$work/lead.wav" trim 0 1.5
sox "$work/lead.wav" "${parts[@]}" "$work/speech.wav"
len=$(soxi -D "$work/speech.wav")
sox -n -r 48000 -c 1 "$work/noise.wav" synth "$len" pinknoise vol 0.004
sox -m "$work/speech.wav" "$work/noise.wav" "$work/mix.wav"

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=1280x720:rate=30" -i "$work/mix.wav" \
  -map 0:v -map 1:a -shortest -c:v libx264 -preset veryfast -pix_fmt yuv420p \
  -c:a aac -b:a 128k "$out"
echo "demo recording: $out ($(printf '%.1f' "$len") s)"
