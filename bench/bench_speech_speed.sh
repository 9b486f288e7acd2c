#!/usr/bin/env bash
# Speed of transcription + filler detection (issue 3: <= 0.25x real time on
# 2 cores for clean speech). Joins the clean clips of the filler corpus
# (bench/fillers_corpus.py, about 21 s each) into one clip of >= 2 minutes,
# so model loading is amortised as in a real recording, and runs
# `ai-video-editor transcribe` on it with one decoder (--no-parallel) and with
# two (--parallel), one after the other in the same invocation. Prints per
# run: wall-clock real-time factor (whole run / audio length), CPU seconds per
# audio second (user + sys, all threads), the model load (wall, CPU), the
# decoders' CPU, the filler detection's CPU, regions and WER of the kept
# words, and idleRTF: the wall-clock RTF the run would have on 2 idle cores,
# (CPU time - decoder threads' CPU + the busiest decoder thread's CPU) /
# audio, i.e. the serial parts plus the decoders' critical path. Wall
# figures need a quiet machine; on a shared one read CPU/s and idleRTF.
#
# usage: bench/bench_speech_speed.sh [BUILD_DIR] [CLIPS]   (default build, 6 clips)
# env: CORPUS=dir reuses a generated corpus (its clean/ clips); KEEP=1 keeps
#      the work folder; REPS=N runs each mode N times (default 1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
clips=${2:-6}
bin=$build/ai-video-editor
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 1; }
for t in flite espeak-ng sox python3 jq; do
  command -v $t >/dev/null || { echo "$t missing" >&2; exit 1; }
done
work=$(mktemp -d /tmp/bench_speech_speed.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
corpus=${CORPUS:-$work/corpus}
if [ -z "${CORPUS:-}" ]; then
  python3 "$here/fillers_corpus.py" "$corpus" --clips "$clips" --snr >/dev/null
fi
mapfile -t wavs < <(ls "$corpus"/clean/clip*.wav | head -n "$clips")
sox "${wavs[@]}" "$work/long.wav"
python3 - "$corpus" "$work/long.txt" "${wavs[@]}" <<'EOF'
import json, os, sys
corpus, out, wavs = sys.argv[1], sys.argv[2], sys.argv[3:]
text = []
for w in wavs:
    text += json.load(open(os.path.join(corpus, os.path.basename(w)[:-4] + ".json")))["text"]
open(out, "w").write(" ".join(text))
EOF
audio=$(soxi -D "$work/long.wav")
echo "clip: ${#wavs[@]} clean corpus clips, $audio s; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-12s %8s %8s %7s %8s %8s %9s %9s %8s %7s %6s\n' mode wallRTF idleRTF CPU/s load_s \
  loadCPU decCPU/s detCPU/s threads regions WER
for r in $(seq "${REPS:-1}"); do
  for mode in --no-parallel --parallel; do
    out=$work/out$mode.$r
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$bin" transcribe "$work/long.wav" --output "$out" \
      --no-progress --no-cache $mode 2>"$work/log" >/dev/null || { cat "$work/log" >&2; exit 1; }
    read -r wall user sys <"$work/time"
    jq -r '[.words[] | select(.filler | not) | .text] | join(" ")' "$out/transcript.json" >"$work/hyp"
    BENCH_DIR="$here" python3 - "$work/long.txt" "$work/hyp" "$audio" "$wall" "$user" "$sys" "$mode" \
      "$out/analytics/performance_metrics.json" <<'EOF'
import json, os, sys
sys.path.insert(0, os.environ["BENCH_DIR"])
from fillers_eval import wer  # one edit distance for both benchmarks
ref, hyp = open(sys.argv[1]).read().split(), open(sys.argv[2]).read().split()
audio, wall, user, sys_ = (float(x) for x in sys.argv[3:7])
sp = json.load(open(sys.argv[8]))["speech"]
errors, words = wer(ref, hyp)
cpu = user + sys_
idle = cpu - sp.get("decode_cpu_s", 0) - sp.get("model_load_cpu_s", 0) + \
    sp.get("decode_busiest_thread_cpu_s", 0)
print("%-12s %8.3f %8.3f %7.3f %8.2f %8.2f %9.3f %9.3f %8d %7d %6.3f" % (
    sys.argv[7].lstrip("-"), wall / audio, idle / audio, cpu / audio, sp.get("model_load_s", 0),
    sp.get("model_load_cpu_s", 0), sp.get("decode_cpu_s", 0) / audio,
    sp.get("filler_detect_cpu_s", 0) / audio, sp.get("threads", 0), sp.get("regions", 0),
    errors / max(words, 1)))
EOF
  done
done
