#!/usr/bin/env bash
# Speed of the whole edit against a plain transcode (issue 25), not a test.
# For each input, in the same run and on the same file, it times
#   ffmpeg -c:v libx264 -preset medium -crf 20 -c:a aac -b:a 160k  (= --quality high, the default)
#   process at the defaults
#   ffmpeg -preset veryfast -crf 28 -b:a 96k                          (= --quality low)
#   process --quality low
#   process --asr off --no-enhance --no-measure-quality              (render alone, defaults)
# and prints wall and CPU (user+sys) seconds, the ratios process/ffmpeg,
# the stage times of performance_metrics.json, peak RSS, and the render per
# second of output against ffmpeg per second of input (wall, and CPU for the
# whole render-only process, frames and thumbnails stages included: on a
# loaded machine CPU seconds are the steadier figure). With a second binary
# (BASE, e.g. main built in another folder) every process run is repeated
# with it and the video streams are compared by md5 (same settings, so a
# pure speed-up must give the same bytes). Times are medians of REPS runs.
#
# Inputs: "real" is the real-dev face clip (tears_of_steel, 640x360 24 fps,
# looped and scaled to 1280x720 30 fps) under the real disfluent speech of
# real-dev with pauses; "gen" is testsrc2 with camera grain under espeak-ng
# phrases with pauses (the issue's talk). Both get light grain, which is
# what makes a camera talk expensive to encode.
# Usage: bench/bench_speed.sh [BIN] [SECONDS] ; env BASE=path/to/old/bin
#        REPS=3 SOURCES="real gen" (default both, SECONDS 60; 180 as in the issue)
set -euo pipefail
bin=${1:-build/ai-video-editor}
secs=${2:-60}
reps=${REPS:-1}
base=${BASE:-}
sources=${SOURCES:-real gen}
here=$(cd "$(dirname "$0")" && pwd)
media=${AVE_MEDIA:-$here/../../shared/media}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grain="noise=alls=5:allf=t"

make_gen() { # $1: output
  local phrases=("in this lecture we look at how sound is measured"
                 "every few milliseconds we compute the energy of the signal"
                 "the background noise sets the floor for what counts as silence"
                 "long pauses are removed and short ones are kept")
  local pauses=(0.5 1.5 0.7 2.5 0.4 3.0 1.0 2.0) list=() total=0 n=0 i=0 p
  for p in "${phrases[@]}"; do
    espeak-ng -s 155 -w "$work/p$i.wav" "$p"
    sox -v 0.8 "$work/p$i.wav" -r 48000 -c 1 "$work/q$i.wav"
    i=$((i + 1))
  done
  while awk -v t="$total" -v m="$secs" 'BEGIN { exit !(t < m) }'; do
    sox -n -r 48000 -c 1 "$work/g$n.wav" trim 0 "${pauses[$((n % 8))]}"
    list+=("$work/q$((n % 4)).wav" "$work/g$n.wav")
    total=$(awk -v t="$total" -v a="$(soxi -D "$work/q$((n % 4)).wav")" -v b="${pauses[$((n % 8))]}" \
      'BEGIN { print t + a + b }')
    n=$((n + 1))
  done
  sox "${list[@]}" "$work/speech.wav" trim 0 "$secs"
  sox -n -r 48000 -c 1 "$work/noise.wav" synth "$secs" pinknoise vol 0.003
  sox -m "$work/speech.wav" "$work/noise.wav" "$work/talk.wav"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30,$grain" \
    -i "$work/talk.wav" -map 0:v -map 1:a -t "$secs" -c:v libx264 -preset veryfast -crf 23 \
    -pix_fmt yuv420p -c:a aac -b:a 160k "$1"
}

make_real() { # $1: output
  local d=$media/real-dev list=() f n=0
  for f in "$d"/speech_disfluent/mfa_acoustic_corpus_spont.wav "$d"/speech_disfluent/mfa_cold_corpus_spont.wav \
           "$d"/speech_disfluent/mfa_cold_corpus3_spont.wav; do
    sox "$f" -r 48000 -c 1 "$work/r$n.wav"
    sox -n -r 48000 -c 1 "$work/rg$n.wav" trim 0 "1.$((n * 3))"
    list+=("$work/r$n.wav" "$work/rg$n.wav")
    n=$((n + 1))
  done
  sox "${list[@]}" "$work/rone.wav"
  sox "$work/rone.wav" "$work/rtalk.wav" repeat "$(awk -v s="$secs" -v d="$(soxi -D "$work/rone.wav")" \
    'BEGIN { print int(s / d) + 1 }')" trim 0 "$secs"
  ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i "$d/video/tears_of_steel_10s_faces_noaudio.mp4" \
    -i "$work/rtalk.wav" -map 0:v -map 1:a -t "$secs" \
    -vf "scale=1280:720:flags=bicubic,fps=30,$grain" -c:v libx264 -preset veryfast -crf 23 \
    -pix_fmt yuv420p -c:a aac -b:a 160k "$1"
}

# timed LABEL CMD...: appends "wall cpu rss_kb" to $work/LABEL.t
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/t.tmp" "$@" >/dev/null 2>"$work/$label.log" || {
    echo "$label failed:" >&2; tail -5 "$work/$label.log" >&2; exit 1; }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/t.tmp" >> "$work/$label.t"
}
median() { # LABEL FIELD(1 wall, 2 cpu, 3 rss)
  awk -v f="$2" '{ print $f }' "$work/$1.t" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
stages() { # metrics.json -> "speech 1.2, frames ..."
  jq -r '.module_processing_times | to_entries | map("\(.key) \(.value * 10 | round / 10)") | join(", ")' "$1"
}
# CPU seconds and wall before the render (analysis) and in it, from the
# resource monitor's 1 s samples: what overlapping the two could win is
# bounded by the cores the analysis leaves idle.
phases() {
  jq -r '(.stage_timeline | map(select(.stage == "render"))[0]) as $r
    | [.resource_monitor.samples | . as $s | range(1; length) as $i
       | {t: $s[$i].t, dt: ($s[$i].t - $s[$i - 1].t), c: $s[$i].cpu_percent}]
    | (map(select(.t <= $r.start_s)) | map(.dt * .c / 100) | add // 0) as $a
    | (map(select(.t > $r.start_s and .t <= $r.end_s)) | map(.dt * .c / 100) | add // 0) as $b
    | "analysis \($r.start_s * 10 | round / 10) s wall, \($a * 10 | round / 10) cpu s (\($a / $r.start_s * 100 | round) % of a core); render \(($r.end_s - $r.start_s) * 10 | round / 10) s wall, \($b * 10 | round / 10) cpu s"' "$1"
}
vmd5() { ffmpeg -hide_banner -loglevel error -i "$1" -map 0:v -c copy -f md5 - | sed 's/MD5=//'; }

run_source() {
  local src=$1 in=$work/$1.mp4 b tag
  echo "generating $src (${secs} s) ..." >&2
  "make_$src" "$in"
  rm -f "$work"/*.t
  bins=("new:$bin"); [ -n "$base" ] && bins+=("base:$base")
  local rep order
  for rep in $(seq "$reps"); do
    # The machine's load drifts: alternate which binary runs first.
    order=("${bins[@]}")
    if [ ${#bins[@]} = 2 ] && [ $((rep % 2)) = 0 ]; then order=("${bins[1]}" "${bins[0]}"); fi
    timed ff_high ffmpeg -hide_banner -y -i "$in" -c:v libx264 -preset medium -crf 20 -c:a aac -b:a 160k "$work/ffh.mp4"
    timed ff_low ffmpeg -hide_banner -y -i "$in" -c:v libx264 -preset veryfast -crf 28 -c:a aac -b:a 96k "$work/ffl.mp4"
    for b in "${order[@]}"; do
      tag=${b%%:*}
      rm -rf "$work/$tag-def" "$work/$tag-low" "$work/$tag-ren"
      timed "${tag}_def" "${b#*:}" process "$in" --output "$work/$tag-def" --no-progress --no-cache
      timed "${tag}_low" "${b#*:}" process "$in" --output "$work/$tag-low" --no-progress --no-cache --quality low
      timed "${tag}_ren" "${b#*:}" process "$in" --output "$work/$tag-ren" --no-progress --no-cache \
        --asr off --no-enhance --no-measure-quality
    done
  done
  local fh fl; fh=$(median ff_high 1); fl=$(median ff_low 1)
  local in_dur; in_dur=$(jq .input_duration "$work/new-def/analytics/performance_metrics.json")
  printf '\n== %s: %.0f s 1280x720 30 fps, %s rep(s), medians; wall s (cpu s) ==\n' "$src" "$in_dur" "$reps"
  printf '%-6s %-10s %8s %8s %15s %15s %7s %7s  %s\n' bin run ffmpeg "" process "" ratio cpu_r "peak RSS / stage times of the last run (s)"
  for b in "${bins[@]}"; do
    tag=${b%%:*}
    local m=$work/$tag-def/analytics/performance_metrics.json l=$work/$tag-low/analytics/performance_metrics.json
    printf '%-6s %-10s %8.1f (%5.1f) %8.1f (%5.1f) %7s %7s  %s MB; %s\n' "$tag" defaults "$fh" "$(median ff_high 2)" \
      "$(median "${tag}_def" 1)" "$(median "${tag}_def" 2)" "$(ratio "$(median "${tag}_def" 1)" "$fh")" \
      "$(ratio "$(median "${tag}_def" 2)" "$(median ff_high 2)")" "$(($(median "${tag}_def" 3) / 1024))" "$(stages "$m")"
    printf '%-6s %-10s %8.1f (%5.1f) %8.1f (%5.1f) %7s %7s  %s MB; %s\n' "$tag" "q low" "$fl" "$(median ff_low 2)" \
      "$(median "${tag}_low" 1)" "$(median "${tag}_low" 2)" "$(ratio "$(median "${tag}_low" 1)" "$fl")" \
      "$(ratio "$(median "${tag}_low" 2)" "$(median ff_low 2)")" "$(($(median "${tag}_low" 3) / 1024))" "$(stages "$l")"
    local r=$work/$tag-ren/analytics/performance_metrics.json out_dur rs
    out_dur=$(jq .output_duration "$r")
    rs=$(jq '.module_processing_times.render' "$r")
    printf '%-6s render only: %.1f s output; render %.1f s = %.3f s per output s; ffmpeg %.3f s per s -> %s (process wall %.1f s)\n' \
      "$tag" "$out_dur" "$rs" "$(awk -v a="$rs" -v o="$out_dur" 'BEGIN { print a / o }')" \
      "$(awk -v a="$fh" -v i="$in_dur" 'BEGIN { print a / i }')" \
      "$(awk -v a="$rs" -v o="$out_dur" -v f="$fh" -v i="$in_dur" 'BEGIN { printf "%.2f", (a / o) / (f / i) }')" \
      "$(median "${tag}_ren" 1)"
    printf '%-6s render only, whole process CPU %.1f s = %.3f s per output s; ffmpeg CPU %.3f s per s -> %s\n' \
      "$tag" "$(median "${tag}_ren" 2)" "$(awk -v a="$(median "${tag}_ren" 2)" -v o="$out_dur" 'BEGIN { print a / o }')" \
      "$(awk -v a="$(median ff_high 2)" -v i="$in_dur" 'BEGIN { print a / i }')" \
      "$(awk -v a="$(median "${tag}_ren" 2)" -v o="$out_dur" -v f="$(median ff_high 2)" -v i="$in_dur" \
        'BEGIN { printf "%.2f", (a / o) / (f / i) }')"
    printf '%-6s phases (defaults): %s\n' "$tag" "$(phases "$m")"
    printf '%-6s PSNR %s dB (min %s), score %s; video md5 def %s low %s\n' "$tag" \
      "$(jq '.module_metrics.render.video_psnr_db // .render.video_psnr_db // "?"' "$m" 2>/dev/null)" \
      "$(jq '.module_metrics.render.video_psnr_min_db // .render.video_psnr_min_db // "?"' "$m" 2>/dev/null)" \
      "$(jq '.output_quality_score' "$m")" "$(vmd5 "$work/$tag-def/video/edited.mp4")" \
      "$(vmd5 "$work/$tag-low/video/edited.mp4")"
  done
}

for s in $sources; do run_source "$s"; done
