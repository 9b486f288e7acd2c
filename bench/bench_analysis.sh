#!/usr/bin/env bash
# What the analysis costs per input second, stage by stage (issue 25, item 3),
# for this build against main's binary in the same run, on a real clip first
# and a generated talk second. Not a test: no pass/fail.
#
# Inputs:
#   real       the real-dev face clip (tears_of_steel, 640x360 24 fps, its own
#              H.264 stream copied, looped) under three real spontaneous speech
#              recordings of speech_disfluent/ joined (77 s)
#   generated  a 1280x720 30 fps talk: espeak-ng and flite phrases with pauses
#              of 0.3-3 s and a -50 dB pink-noise floor, over the astronaut
#              photograph (python3-skimage) with light camera grain
#              (SECONDS long, 60 by default; 180 for the issue's talk)
#
# Runs per input and binary, alternating the binaries, REPS times:
#   analysis   process --export-only: every analysis stage, thumbnails and
#              the report, no render (user + sys of the whole process, wall)
#   speech     transcribe: decode, silence and speech only
# and prints medians in CPU seconds per input second; "frames + rest" is
# analysis minus speech. This build's own per-stage figures
# (module_cpu_times in performance_metrics.json: each stage's thread plus the
# threads it started) follow. The results of both binaries are compared
# (transcript.json, timeline.json, analysis/frames.json, scenes.json).
# With FULL=1, the whole pipeline at the defaults against ffmpeg at the same
# encoder settings (-preset medium -crf 20, AAC 160k), once per binary, on the
# generated talk.
#
# The machine is shared: read CPU time, not wall time, and run REPS >= 3.
#
# usage: bench/bench_analysis.sh [BUILD_DIR] [SECONDS]
# env:   BASE_BIN=path   main's binary (default: commit BASE_COMMIT, default
#                        5772db3, built once in build-base-<commit>/)
#        BASE_LABEL=text (how base is named in the output; with BASE_BIN)
#        REPS=N (3)  FULL=1  KEEP=1 (keep the work folder)
#        INPUTS="real generated" (either alone for a quicker run)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build}
secs=${2:-60}
bin=$build/ai-video-editor
reps=${REPS:-3}
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 1; }
for t in ffmpeg ffprobe sox soxi espeak-ng flite jq python3; do
  command -v $t >/dev/null || { echo "$t missing" >&2; exit 1; }
done
face_png=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
real_dev=$root/../shared/media/real-dev
[ -d "$real_dev" ] || real_dev=/work/shared/media/real-dev
[ -f "$face_png" ] || { echo "$face_png missing (python3-skimage)" >&2; exit 1; }

if [ -z "${BASE_BIN:-}" ]; then
  commit=${BASE_COMMIT:-5772db3}
  bdir=$root/build-base-$commit
  if [ ! -x "$bdir/ai-video-editor" ]; then
    echo "building main's binary ($commit) in $bdir ..." >&2
    rm -rf "$bdir-src"
    mkdir -p "$bdir-src"
    git -C "$root" archive "$commit" | tar -x -C "$bdir-src"
    cmake -S "$bdir-src" -B "$bdir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$bdir" -j2 --target ai-video-editor >/dev/null
  fi
  BASE_BIN=$bdir/ai-video-editor
fi

work=$(mktemp -d /tmp/bench_analysis.XXXXXX)
[ "${KEEP:-0}" = 1 ] && echo "work folder: $work" >&2 || trap 'rm -rf "$work"' EXIT

# --- inputs -----------------------------------------------------------------
make_real() {
  local d=$real_dev/speech_disfluent
  sox "$d/mfa_acoustic_corpus_spont.wav" "$d/mfa_cold_corpus_spont.wav" \
    "$d/mfa_cold_corpus3_spont.wav" -r 48000 -c 1 "$work/real.wav"
  ffmpeg -hide_banner -loglevel error -y -stream_loop -1 \
    -i "$real_dev/video/tears_of_steel_10s_faces_noaudio.mp4" -i "$work/real.wav" \
    -map 0:v -map 1:a -c:v copy -c:a aac -b:a 128k -shortest "$work/real.mp4"
}

make_generated() {
  local n=0 i=0 total=0 q g pz
  local phrases=("in this lecture we look at how sound is measured"
    "every few milliseconds we compute the energy of the signal"
    "the background noise sets the floor for what counts as silence"
    "long pauses are removed and short ones are kept"
    "so the next thing we need is a threshold"
    "a camera records thirty pictures every second")
  local pauses=(0.5 1.5 0.7 2.5 0.4 3.0 1.0 2.0 0.3) list=()
  for p in "${phrases[@]}"; do
    if [ $((i % 2)) = 0 ]; then espeak-ng -s 150 -w "$work/p$i.wav" "$p"
    else flite -voice slt -t "$p" -o "$work/p$i.wav"; fi
    sox -v 0.8 "$work/p$i.wav" -r 48000 -c 1 "$work/q$i.wav"
    i=$((i + 1))
  done
  while awk -v t="$total" -v m="$secs" 'BEGIN { exit !(t < m) }'; do
    q=$work/q$((n % 6)).wav
    g=$work/g$n.wav
    pz=${pauses[$((n % 9))]}
    sox -n -r 48000 -c 1 "$g" trim 0 "$pz"
    list+=("$q" "$g")
    total=$(awk -v t="$total" -v a="$(soxi -D "$q")" -v b="$pz" 'BEGIN { print t + a + b }')
    n=$((n + 1))
  done
  sox "${list[@]}" "$work/speech.wav" trim 0 "$secs"
  sox -n -r 48000 -c 1 "$work/floor.wav" synth "$secs" pinknoise vol 0.003
  sox -m "$work/speech.wav" "$work/floor.wav" "$work/gen.wav"
  ffmpeg -hide_banner -loglevel error -y -loop 1 -framerate 30 -i "$face_png" -i "$work/gen.wav" \
    -filter_complex "[0:v]scale=-2:720,pad=1280:720:(ow-iw)/2:0,setsar=1,noise=alls=6:allf=t,format=yuv420p[v]" \
    -map "[v]" -map 1:a -t "$secs" -c:v libx264 -preset veryfast -crf 20 -g 60 \
    -c:a aac -b:a 128k "$work/generated.mp4"
}

inputs=${INPUTS:-real generated}
echo "generating inputs ($inputs) ..." >&2
for input in $inputs; do make_$input; done

# --- runs -------------------------------------------------------------------
# run LABEL BIN ARGS...: appends "label cpu wall" to $work/times; the
# output folder is $work/LABEL.
run() {
  local label=$1 b=$2
  shift 2
  rm -rf "$work/$label"
  /usr/bin/time -f "%U %S %e" -o "$work/t" "$b" "$@" --output "$work/$label" --no-progress \
    --no-cache >/dev/null 2>"$work/log" || { echo "$label failed:" >&2; cat "$work/log" >&2; exit 1; }
  read -r u s e <"$work/t"
  echo "$label $(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }') $e" >>"$work/times"
}

: >"$work/times"
for input in $inputs; do
  for r in $(seq "$reps"); do
    for who in base new; do
      b=$bin
      [ $who = base ] && b=$BASE_BIN
      run "$input.$who.analysis.$r" "$b" process "$work/$input.mp4" --export-only
      run "$input.$who.speech.$r" "$b" transcribe "$work/$input.mp4"
    done
  done
done

# --- tables -----------------------------------------------------------------
python3 - "$work" "$reps" "$(git -C "$root" rev-parse --short HEAD)" "${BASE_LABEL:-main ${BASE_COMMIT:-5772db3}}" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" $inputs <<'EOF'
import json, os, statistics as st, subprocess, sys
work, reps, head, base, load = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
inputs = sys.argv[6:]
times = {}
for line in open(os.path.join(work, "times")):
    label, cpu, wall = line.split()
    times[label] = (float(cpu), float(wall))

def dur(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                          "csv=p=0", path], capture_output=True, text=True).stdout
    return float(out)

def med(vals):
    return st.median(vals) if vals else float("nan")

def same(a, b, rel):
    try:
        return open(os.path.join(a, rel), "rb").read() == open(os.path.join(b, rel), "rb").read()
    except OSError:
        return False

print(f"load average at the end: {load}; medians of {reps} runs; CPU = user + sys, all threads")
print(f"base = {base}, new = this build ({head})")
for inp in inputs:
    d = dur(os.path.join(work, inp + ".mp4"))
    print(f"\n## {inp} ({d:.1f} s)")
    print(f"{'':34} {'base':>8} {'new':>8} {'change':>8}")
    rows = {}
    for who in ("base", "new"):
        a = [times[f"{inp}.{who}.analysis.{r}"] for r in range(1, reps + 1)]
        s = [times[f"{inp}.{who}.speech.{r}"] for r in range(1, reps + 1)]
        rows[who] = {
            "analysis CPU s per input s": med([x[0] for x in a]) / d,
            "  speech (transcribe) CPU s/s": med([x[0] for x in s]) / d,
            "  frames + rest (difference)": (med([x[0] for x in a]) - med([x[0] for x in s])) / d,
            "analysis wall s per input s": med([x[1] for x in a]) / d,
        }
        # The recognisers' own counters, over both runs of each repetition:
        # CPU of the decoder threads, and how much audio they decoded.
        sp = [json.load(open(os.path.join(work, f"{inp}.{who}.{kind}.{r}",
                                          "analytics/performance_metrics.json"))).get("speech", {})
              for r in range(1, reps + 1) for kind in ("analysis", "speech")]
        rows[who]["recognisers' decode CPU s/s"] = med([m.get("decode_cpu_s", 0) for m in sp]) / d
        rows[who]["audio decoded s per input s"] = med([m.get("speech_decoded_s", 0) for m in sp]) / d
    for k in rows["base"]:
        b, n = rows["base"][k], rows["new"][k]
        print(f"{k:34} {b:8.3f} {n:8.3f} {100 * (n - b) / b if b else 0:+7.1f}%")
    # This build's own breakdown.
    per = {}
    for r in range(1, reps + 1):
        m = json.load(open(os.path.join(work, f"{inp}.new.analysis.{r}",
                                        "analytics/performance_metrics.json")))
        for k, v in m.get("module_cpu_times", {}).items():
            per.setdefault(k, []).append(v)
        per.setdefault("(total_cpu_time)", []).append(m.get("total_cpu_time", 0))
    print("new, module_cpu_times (CPU s per input s):",
          ", ".join(f"{k} {med(v) / d:.3f}" for k, v in per.items() if med(v) / d >= 0.0005))
    for rel in ("transcript.json", "timeline.json", "analysis/frames.json", "analysis/scenes.json"):
        ok = all(same(os.path.join(work, f"{inp}.base.analysis.{r}"),
                      os.path.join(work, f"{inp}.new.analysis.{r}"), rel) for r in range(1, reps + 1))
        print(f"  {rel}: {'identical' if ok else 'DIFFERENT'} (base vs new)")
EOF

# --- the whole pipeline against ffmpeg -------------------------------------------
if [ "${FULL:-0}" = 1 ]; then
  [ -f "$work/generated.mp4" ] || make_generated
  in=$work/generated.mp4
  echo
  echo "## whole pipeline at the defaults vs ffmpeg -preset medium -crf 20, AAC 160k (generated)"
  /usr/bin/time -f "%U %S %e" -o "$work/t" ffmpeg -hide_banner -loglevel error -y -i "$in" \
    -c:v libx264 -preset medium -crf 20 -c:a aac -b:a 160k "$work/plain.mp4"
  read -r u s ff_wall <"$work/t"
  ff_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
  printf '%-10s %8s %8s %8s %8s %9s %9s\n' binary wall_s cpu_s ratio cpu_ratio analysis render
  printf '%-10s %8.1f %8.1f\n' ffmpeg "$ff_wall" "$ff_cpu"
  for who in base new; do
    b=$bin
    [ $who = base ] && b=$BASE_BIN
    run "full.$who" "$b" process "$in"
    read -r _ cpu wall < <(grep "^full.$who " "$work/times")
    m=$work/full.$who/analytics/performance_metrics.json
    printf '%-10s %8.1f %8.1f %8.2f %8.2f %9.1f %9.1f\n' "$who" "$wall" "$cpu" \
      "$(awk -v a="$wall" -v b="$ff_wall" 'BEGIN { print a / b }')" \
      "$(awk -v a="$cpu" -v b="$ff_cpu" 'BEGIN { print a / b }')" \
      "$(jq '.stage_timeline | map(select(.stage == "speech" or .stage == "frames")) | map(.end_s) | max' "$m")" \
      "$(jq '.module_processing_times.render' "$m")"
  done
  echo "(analysis = when the last analysis stage ended, s from the start; render = render's wall)"
fi
