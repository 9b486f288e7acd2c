#!/usr/bin/env bash
# `render` on hostile edits (issue 17, case 8; docs/EDITING.md):
# 1. transcript.txt with one line of two million words that kept its [time]:
#    accepted (was exit 6, "too many lines without their [time]"); the extra
#    words are reported once as matching nothing and change nothing.
# 2. timeline.json of alternating 10 ms keep/cut pieces at 25 fps: rendered
#    with half the time kept, within a frame (was exit 3, "the edit removes
#    everything": each 10 ms cut grew to a whole 40 ms frame), audio and
#    video cut together, and a warning says what the frame grid did.
# Words come from a local stand-in ASR server, so they are known exactly.
. "$(dirname "$0")/lib.sh"

flite -voice slt -t "the quick brown fox jumps over the lazy dog" -o "$WORK/raw.wav"
sox "$WORK/raw.wav" -r 48000 -c 1 "$WORK/talk.wav" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse pad 0.5 0.5
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x180:rate=25" -i "$WORK/talk.wav" \
  -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 50 \
  -c:a aac -b:a 96k "$WORK/talk.mp4"
python3 - "$(soxi -D "$WORK/talk.wav")" >"$WORK/response.json" <<'PY'
import json, sys
words = "the quick brown fox jumps over the lazy dog".split()
t, d = 0.5, float(sys.argv[1]) - 1.0
out = [{"word": w, "start": round(t + d * i / len(words), 3),
        "end": round(t + d * (i + 1) / len(words) - 0.02, 3)} for i, w in enumerate(words)]
print(json.dumps({"text": " ".join(words), "words": out}))
PY
python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/server.log" "$WORK/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done

out="$WORK/out"
run_ave process "$WORK/talk.mp4" --output "$out" --no-progress --asr http \
  --asr-url "http://127.0.0.1:$(cat "$WORK/port")" --quality low --no-thumbnails \
  --no-measure-quality --no-enhance
assert_eq "process exit code (stderr: $ERR)" "$RC" 0
txt="$out/transcript.txt"
assert_eq "one line of words" "$(grep -c '^\[' "$txt")" 1
ed0=$(jq .edited_duration "$out/timeline.json")
src=$(jq .source_duration "$out/timeline.json")

# --- 1. a two-million-word line that kept its time --------------------------
python3 - "$txt" <<'PY'
import sys
path = sys.argv[1]
lines = open(path).read().split("\n")
i = next(k for k, l in enumerate(lines) if l.startswith("["))
lines[i] += " fox" * 2000000
open(path, "w").write("\n".join(lines))
PY
run_ave render "$out" --no-progress
assert_eq "long line: exit code (stderr: ${ERR:0:300})" "$RC" 0
assert_eq "long line: one warning naming the 2000000 extra words" \
  "$(grep -c 'edit: .*transcript.txt: 2000000 edited word(s) match no word' <<<"$ERR")" 1
assert_near "long line: nothing cut" "$(jq .edited_duration "$out/timeline.json")" "$ed0" 0.000001
assert_eq "long line: transcript.txt written afresh" "$(wc -c <"$txt" | awk '{ print ($1 < 1000) }')" 1

# --- 2. 10 ms keep/cut pieces at 25 fps ----------------------------------------
rm -f "$txt" # timeline.json alone (and independent of part 1's outcome)
python3 - "$out/timeline.json" <<'PY'
import json, sys
path = sys.argv[1]
t = json.load(open(path))
d, segs, a, i = t["source_duration"], [], 0.0, 0
while a < d - 1e-9:
    b = min(d, round(a + 0.01, 6))
    segs.append({"start": a, "end": b, "action": "cut" if i % 2 else "keep"})
    a, i = b, i + 1
t["segments"] = segs
json.dump(t, open(path, "w"))
PY
run_ave render "$out" --no-progress
assert_eq "10 ms pieces: exit code (stderr: $ERR)" "$RC" 0
assert_true "10 ms pieces: warns about pieces shorter than a frame" \
  grep -q 'shorter than a video frame (40.0 ms)' "$WORK/stderr"
ed=$(jq .edited_duration "$out/timeline.json")
assert_near "10 ms pieces: half kept" "$ed" "$(awk -v s="$src" 'BEGIN { print s / 2 }')" 0.02
assert_true "10 ms pieces: many kept pieces ($(jq '.kept | length' "$out/timeline.json"))" \
  test "$(jq '.kept | length' "$out/timeline.json")" -gt 20
v="$out/video/edited.mp4"
assert_near "10 ms pieces: video = timeline" "$(media_duration "$v" v:0)" "$ed" 0.04
assert_near "10 ms pieces: audio = video" "$(media_duration "$v" a:0)" "$(media_duration "$v" v:0)" 0.04
finish
