#!/usr/bin/env bash
# End to end: NLE exports (docs/EXPORTS.md). A 24 s, 29.97 fps clip whose
# stereo tone stops for 1.5 s at three known times is processed ONCE with
# --export-only and every format; a stand-in transcription server serves a
# transcript of two topics (ocean, then coffee) so the content stage finds
# chapters. Each export must be well-formed (xmllint; no DTD or schema of
# these formats ships in Debian, so the structure is checked by parsing),
# must point at the original file by absolute path/URL, and parsed back must
# give exactly timeline.json's kept ranges in source frames, laid end to end
# from 01:00:00;00 (drop-frame), audio with video, plus one marker per
# chapter at the chapter's edited frame. --export-only must skip render and
# enhance and still write transcript and timeline. A second, 25 fps mono
# clip with --asr off runs the normal pipeline with a repeated --export flag:
# non-drop timecode, rational 1/25 s times, and the rendered file as long as
# the exported timeline.
. "$(dirname "$0")/lib.sh"
command -v xmllint >/dev/null || { echo "xmllint missing"; exit 77; }

# --- media: tones with pauses at 4.5-6.0, 11.0-12.5, 18.0-19.5 s -------------------
tone() { sox -n -r 48000 -c 1 "$1" synth "$2" sine 330 vol 0.3; }
tone "$WORK/t1.wav" 4.5; gen_silence "$WORK/g.wav" 1.5
tone "$WORK/t2.wav" 5.0; tone "$WORK/t3.wav" 5.5; tone "$WORK/t4.wav" 4.5
sox "$WORK/t1.wav" "$WORK/g.wav" "$WORK/t2.wav" "$WORK/g.wav" "$WORK/t3.wav" "$WORK/g.wav" \
  "$WORK/t4.wav" "$WORK/mono.wav"
add_noise "$WORK/mono.wav" "$WORK/noisy.wav" 0.002
sox "$WORK/noisy.wav" -c 2 "$WORK/stereo.wav" remix 1 1
mkdir -p "$WORK/media dir"
clip="$WORK/media dir/clip #1.mp4" # a space and a '#' to check URL encoding
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=30000/1001" \
  -i "$WORK/stereo.wav" -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p -g 30 -c:a aac -b:a 96k "$clip"

# --- transcript server: two topics, words only while the tone sounds --------------
python3 - "$WORK/response.json" <<'PY'
import json, sys
a = ("ocean waves carry salt water across deep coral reefs. whales swim through cold "
     "currents near tides. fish gather around reef plants where ocean water stays warm. "
     "tides pull waves over coral while whales follow salt currents. deep reefs shelter "
     "fish from cold ocean storms. coral grows slowly in warm salt water.").split()
b = ("coffee beans roast slowly until brown aroma fills kitchens. espresso needs fine "
     "ground beans and hot water. farmers harvest coffee cherries on warm hills. milk "
     "softens strong espresso while sugar sweetens bitter coffee. roasted beans keep "
     "their aroma inside sealed bags. baristas brew coffee every morning.").split()
spans = [(0.2, 4.4), (6.1, 10.9), (12.6, 17.9), (19.6, 23.8)]
words, i = [], 0
topic = lambda t: a if t < 12 else b
for s, e in spans:
    src = topic(s)
    n = int((e - s) / 0.16)
    for k in range(n):
        w = src[(i + k) % len(src)]
        words.append({"word": w, "start": round(s + k * 0.16, 3), "end": round(s + k * 0.16 + 0.14, 3)})
    i += n
json.dump({"task": "transcribe", "language": "english", "duration": 24.0,
           "text": " ".join(w["word"] for w in words), "words": words}, open(sys.argv[1], "w"))
PY
python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/server.log" "$WORK/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
port=$(cat "$WORK/port")

t0=$(date +%s.%N)
run_ave process "$clip" --output "$WORK/out" --no-progress --asr http \
  --asr-url "http://127.0.0.1:$port" --min-chapter-length 10 --no-thumbnails \
  --export premiere,resolve,fcpxml --export edl,otio,json --export-only
t1=$(date +%s.%N)
assert_eq "exit code (stderr: $ERR)" "$RC" 0
echo "export-only run: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
out="$WORK/out"
metrics="$out/analytics/performance_metrics.json"
for f in timeline.json transcript.json metadata/metadata.json "exports/clip #1.premiere.xml" \
  "exports/clip #1.resolve.xml" "exports/clip #1.fcpxml" "exports/clip #1.edl" \
  "exports/clip #1.otio" "exports/clip #1.edit.json"; do
  assert_true "$f written" test -s "$out/$f"
done
assert_true "--export-only: no rendered video" test ! -e "$out/video/edited.mp4"
assert_eq "--export-only: render skipped" "$(jq -r .stage_status.render "$metrics")" disabled
assert_eq "--export-only: enhance skipped" "$(jq -r .stage_status.enhance "$metrics")" disabled
assert_eq "export stage ok" "$(jq -r '.stage_status.export' "$metrics")" ok
assert_eq "formats in the metrics" "$(jq -r .export.formats "$metrics")" \
  "premiere,resolve,fcpxml,edl,otio,json"
for f in "$out"/exports/*.xml "$out"/exports/*.fcpxml; do
  assert_true "$(basename "$f") is well-formed XML" xmllint --noout "$f"
done
cuts=$(jq '[.segments[] | select(.action == "cut")] | length' "$out/timeline.json")
chapters=$(jq '.chapters | length' "$out/metadata/metadata.json")
echo "timeline: $cuts cut(s), kept $(jq -c '[.kept[] | [.start, .end]]' "$out/timeline.json")"
echo "chapters: $(jq -c '[.chapters[] | [.start, .edited_start, .title]]' "$out/metadata/metadata.json")"
assert_true "the three pauses are cut ($cuts cuts)" test "$cuts" -ge 3
assert_true "two chapters found ($chapters)" test "$chapters" -ge 2

# --- parse every export back ----------------------------------------------------------
# check_exports DIR NAME FPS_NUM FPS_DEN CHANNELS: prints "ok ..." lines, or
# "FAIL ..." lines for each mismatch.
check_exports() {
  python3 - "$@" <<'PY'
import json, re, sys, urllib.parse, xml.etree.ElementTree as ET
from fractions import Fraction
out, name, num, den, channels = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
fps = Fraction(num, den)
tb = round(fps)
drop = den == 1001 and num in (30000, 60000)
dpm = tb // 15 if drop else 0
fail = []
def check(what, got, want):
    if got != want:
        fail.append(f"{what}: got {got!r}, expected {want!r}")
    else:
        print(f"ok {what}")

def tc_frames(label):  # SMPTE label -> frame count (independent of the C code)
    h, m, s, f = map(int, re.split(r"[:;.]", label))
    mins = h * 60 + m
    return (h * 3600 + m * 60 + s) * tb + f - dpm * (mins - mins // 10)
start = tc_frames("01:00:00:00")

tl = json.load(open(f"{out}/timeline.json"))
source = tl["input"]
import os
source = os.path.realpath(source)
frames = lambda sec: int(Fraction(str(sec)) * fps + Fraction(1, 2))
want, rec = [], 0
for k in tl["kept"]:
    a, b = frames(k["start"]), frames(k["end"])
    if b > a:
        want.append((a, b, rec)); rec += b - a
meta_path = f"{out}/metadata/metadata.json"
chapters = json.load(open(meta_path))["chapters"] if os.path.exists(meta_path) else []
want_markers = [frames(c["edited_start"]) for c in chapters]
print(f"ok expected {len(want)} clips, {rec} frames, markers {want_markers}")
url = "file://" + urllib.parse.quote(source)
ex = f"{out}/exports/{name}"

# FCP7 XML (both variants)
for variant, version in (("premiere", "4"), ("resolve", "5")):
    root = ET.parse(f"{ex}.{variant}.xml").getroot()
    check(f"{variant}: xmeml version", (root.tag, root.get("version")), ("xmeml", version))
    seq = root.find("sequence")
    check(f"{variant}: timebase/ntsc", (seq.findtext("rate/timebase"), seq.findtext("rate/ntsc")),
          (str(tb), "TRUE" if den == 1001 else "FALSE"))
    check(f"{variant}: sequence timecode", (int(seq.findtext("timecode/frame")),
          seq.findtext("timecode/displayformat")), (start, "DF" if drop else "NDF"))
    check(f"{variant}: sequence duration", int(seq.findtext("duration")), rec)
    files = {f.get("id"): f for f in seq.iter("file") if f.find("pathurl") is not None}
    check(f"{variant}: one described file", len(files), 1)
    f = next(iter(files.values()))
    check(f"{variant}: pathurl", urllib.parse.unquote(f.findtext("pathurl")), "file://localhost" + source)
    check(f"{variant}: pathurl encoded", f.findtext("pathurl"), "file://localhost" + urllib.parse.quote(source))
    tracks = [("video", t) for t in seq.findall("media/video/track")] + \
             [("audio", t) for t in seq.findall("media/audio/track")]
    check(f"{variant}: tracks", [k for k, _ in tracks], ["video"] + ["audio"] * channels)
    ids = {c.get("id") for _, t in tracks for c in t.findall("clipitem")}
    for kind, t in tracks:
        got = [(int(c.findtext("in")), int(c.findtext("out")), int(c.findtext("start")))
               for c in t.findall("clipitem")]
        check(f"{variant}: {kind} track clips", got, want)
        ends = [int(c.findtext("end")) - int(c.findtext("start")) for c in t.findall("clipitem")]
        check(f"{variant}: {kind} end - start = out - in", ends, [b - a for a, b, _ in want])
        links = [sorted(l.findtext("linkclipref") for l in c.findall("link")) for c in t.findall("clipitem")]
        check(f"{variant}: {kind} clips linked to video + {channels} audio",
              all(len(l) == 1 + channels and set(l) <= ids for l in links), True)
    check(f"{variant}: markers", [int(m.findtext("in")) for m in seq.findall("marker")], want_markers)

# FCPXML
root = ET.parse(f"{ex}.fcpxml").getroot()
check("fcpxml: version", (root.tag, root.get("version")), ("fcpxml", "1.9"))
rt = lambda s: Fraction(s[:-1]) if s.endswith("s") else None
fmt = root.find("resources/format")
check("fcpxml: frameDuration", rt(fmt.get("frameDuration")), 1 / fps)
asset = root.find("resources/asset")
check("fcpxml: media-rep src", asset.find("media-rep").get("src"), url)
check("fcpxml: media-rep kind", asset.find("media-rep").get("kind"), "original-media")
check("fcpxml: asset has video and audio", (asset.get("hasVideo"), asset.get("hasAudio"),
      asset.get("audioChannels")), ("1", "1", str(channels)))
seq = root.find("library/event/project/sequence")
tc0 = rt(seq.get("tcStart"))
check("fcpxml: tcStart", tc0 * fps, start)
check("fcpxml: tcFormat", seq.get("tcFormat"), "DF" if drop else "NDF")
clips, markers = [], []
for c in seq.find("spine"):
    check("fcpxml: spine holds asset-clips of the asset", (c.tag, c.get("ref")), ("asset-clip", asset.get("id")))
    off, st, du = rt(c.get("offset")), rt(c.get("start")), rt(c.get("duration"))
    for v in (off, st, du):
        if (v * fps).denominator != 1:
            fail.append(f"fcpxml: {v} s is not on the frame grid")
    clips.append((int(st * fps), int((st + du) * fps), int((off - tc0) * fps)))
    for m in c.findall("chapter-marker"):
        markers.append(int((off - tc0 + rt(m.get("start")) - st) * fps))
check("fcpxml: clips", clips, want)
check("fcpxml: sequence duration", rt(seq.get("duration")) * fps, rec)
check("fcpxml: chapter markers", markers, want_markers)

# CMX3600 EDL
lines = open(f"{ex}.edl").read().splitlines()
check("edl: title", lines[0].startswith("TITLE: "), True)
check("edl: FCM", lines[1], "FCM: DROP FRAME" if drop else "FCM: NON-DROP FRAME")
ev_re = re.compile(r"^(\d{3,4})  (\S{1,8})\s+(\S+)\s+C\s+(\S{11}) (\S{11}) (\S{11}) (\S{11})$")
events, locs, comments = [], [], []
for ln in lines[2:]:
    m = ev_re.match(ln)
    if m:
        events.append(m.groups())
    elif ln.startswith("* LOC: "):
        locs.append(tc_frames(ln.split()[2]) - start)
    elif ln.startswith("* SOURCE FILE: "):
        comments.append(ln[len("* SOURCE FILE: "):])
    elif ln.strip() and not ln.startswith("* "):
        fail.append(f"edl: unexpected line {ln!r}")
check("edl: event numbers", [int(e[0]) for e in events], list(range(1, len(events) + 1)))
check("edl: a/v field", {e[2] for e in events}, {"AA/V" if channels == 2 else "B"})
sep = ";" if drop else ":"
check("edl: drop-frame separators", all(e[k][8] == sep for e in events for k in (3, 4, 5, 6)), True)
got = [(tc_frames(e[3]), tc_frames(e[4]), tc_frames(e[5]) - start) for e in events]
check("edl: events", got, want)
check("edl: record out = record in + length",
      all(tc_frames(e[6]) - tc_frames(e[5]) == tc_frames(e[4]) - tc_frames(e[3]) for e in events), True)
check("edl: source file comments", set(comments), {source})
check("edl: locators", locs, want_markers)

# OpenTimelineIO
otio = json.load(open(f"{ex}.otio"))
check("otio: schema", (otio["OTIO_SCHEMA"], otio["tracks"]["OTIO_SCHEMA"]), ("Timeline.1", "Stack.1"))
gst = otio["global_start_time"]
check("otio: global start", round(gst["value"]), start)
kinds = []
for t in otio["tracks"]["children"]:
    kinds.append(t["kind"])
    pos, got = 0, []
    for c in t["children"]:
        sr = c["source_range"]
        for r in (sr["start_time"], sr["duration"]):
            if abs(r["rate"] - float(fps)) > 1e-9 or r["value"] != int(r["value"]):
                fail.append(f"otio: {r} is not a whole frame at {float(fps)}")
        a, d = int(sr["start_time"]["value"]), int(sr["duration"]["value"])
        got.append((a, a + d, pos)); pos += d
        ref = c["media_reference"]
        if (c["OTIO_SCHEMA"], ref["OTIO_SCHEMA"], ref["target_url"]) != ("Clip.1", "ExternalReference.1", url):
            fail.append(f"otio: clip reference {c['OTIO_SCHEMA']} {ref['OTIO_SCHEMA']} {ref['target_url']}")
    check(f"otio: {t['kind']} track clips", got, want)
check("otio: tracks", kinds, ["Video", "Audio"])
check("otio: markers", [int(m["marked_range"]["start_time"]["value"]) for m in otio["tracks"]["markers"]],
      want_markers)

# our JSON
ej = json.load(open(f"{ex}.edit.json"))
check("json: source", (ej["source"]["path"], ej["source"]["fps_num"], ej["source"]["fps_den"]), (source, num, den))
check("json: clips", [(c["source_in_frame"], c["source_out_frame"], c["record_in_frame"]) for c in ej["clips"]], want)
check("json: markers", [m["record_frame"] for m in ej["markers"]], want_markers)
for f in fail:
    print("FAIL", f)
PY
}

check_exports "$out" "clip #1" 30000 1001 2 >"$WORK/check.txt" 2>&1 || echo "FAIL checker crashed" >>"$WORK/check.txt"
grep -m3 "^ok expected" "$WORK/check.txt" || true
while read -r status what; do
  if [ "$status" = ok ]; then pass; else fail "$what"; fi
done <"$WORK/check.txt"
echo "29.97 fps exports: $(grep -c '^ok' "$WORK/check.txt") checks passed, $(grep -vc '^ok' "$WORK/check.txt") failed"

# --- 25 fps, mono, normal run with a repeated --export ------------------------------------
tone "$WORK/u1.wav" 3.0; gen_silence "$WORK/h.wav" 1.5; tone "$WORK/u2.wav" 3.0
sox "$WORK/u1.wav" "$WORK/h.wav" "$WORK/u2.wav" "$WORK/m25.wav"
add_noise "$WORK/m25.wav" "$WORK/n25.wav" 0.002
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=25" \
  -i "$WORK/n25.wav" -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p -c:a aac -b:a 64k "$WORK/pal.mp4"
run_ave process "$WORK/pal.mp4" --output "$WORK/pal" --no-progress --asr off --no-thumbnails \
  --no-enhance --quality low --export edl --export fcpxml,premiere,resolve,otio,json
assert_eq "25 fps exit code (stderr: $ERR)" "$RC" 0
assert_true "25 fps: rendered too" test -s "$WORK/pal/video/edited.mp4"
check_exports "$WORK/pal" pal 25 1 1 >"$WORK/check25.txt" 2>&1 || echo "FAIL checker crashed" >>"$WORK/check25.txt"
while read -r status what; do
  if [ "$status" = ok ]; then pass; else fail "25 fps: $what"; fi
done <"$WORK/check25.txt"
echo "25 fps exports: $(grep -c '^ok' "$WORK/check25.txt") checks passed"
assert_eq "25 fps: one cut" "$(jq '[.segments[] | select(.action == "cut")] | length' "$WORK/pal/timeline.json")" 1
edited=$(jq .edited_duration_frames "$WORK/pal/exports/pal.edit.json")
rendered=$(media_duration "$WORK/pal/video/edited.mp4" v:0)
assert_near "rendered video = exported length ($edited frames)" "$rendered" "$(awk -v f="$edited" 'BEGIN { print f / 25 }')" 0.041
finish
