#!/usr/bin/env bash
# Bad input, bad flags and bad places to write: each gets its documented exit
# code and one clear line naming the file and the cause, and leaves no output
# folder behind. Audio-only and video-only inputs are not errors; an input
# whose video stream exists but cannot be read is.
. "$(dirname "$0")/lib.sh"

# expect_failure NAME CODE PATTERN ARGS...: exit code, a one-line message that
# matches PATTERN (grep -E), and no output folder left behind.
expect_failure() {
  local name=$1 code=$2 pattern=$3; shift 3
  rm -rf "$WORK/out"
  run_ave process "$@" --output "$WORK/out" --no-progress
  assert_eq "$name: exit code (stderr: $ERR)" "$RC" "$code"
  assert_eq "$name: one line on stderr" "$(printf '%s\n' "$ERR" | grep -c .)" 1
  assert_true "$name: message '$ERR' matches '$pattern'" grep -qE -- "$pattern" "$WORK/stderr"
  assert_true "$name: no output left" test ! -e "$WORK/out"
}

gen_speech "$WORK/s.wav" "a short test phrase for bad input handling"
gen_silence "$WORK/gap.wav" 1.5
sox "$WORK/s.wav" "$WORK/gap.wav" "$WORK/s.wav" "$WORK/speech.wav"
# Small frames: no check looks at the picture, and the runs that get as far
# as frames and render (truncated video-only, full disk, video-only) are
# cheaper.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x180:rate=30" -i "$WORK/speech.wav" \
  -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 60 \
  -c:a aac -b:a 96k "$WORK/good.mp4"

# Inputs.
expect_failure "missing file" 3 "missing\.mp4.*(No such file|not found)" "$WORK/missing.mp4"
: > "$WORK/empty.mp4"
expect_failure "empty file" 3 "empty\.mp4.*empty" "$WORK/empty.mp4"
echo "this is not a video at all, just text" > "$WORK/text.mp4"
expect_failure "text renamed .mp4" 3 "text\.mp4" "$WORK/text.mp4"
head -c $(( $(stat -c %s "$WORK/good.mp4") / 2 )) "$WORK/good.mp4" > "$WORK/truncated.mp4"
expect_failure "truncated mp4" 3 "truncated\.mp4" "$WORK/truncated.mp4"
# A fast-start MP4 cut in half: the index survives, the data does not.
ffmpeg -hide_banner -loglevel error -y -i "$WORK/good.mp4" -c copy -movflags +faststart "$WORK/faststart.mp4"
head -c $(( $(stat -c %s "$WORK/faststart.mp4") / 2 )) "$WORK/faststart.mp4" > "$WORK/cut.mp4"
expect_failure "truncated fast-start mp4" 3 "cut\.mp4.*truncated" "$WORK/cut.mp4"
# The same without audio: render notices instead of decode.
ffmpeg -hide_banner -loglevel error -y -i "$WORK/good.mp4" -an -c copy -movflags +faststart "$WORK/vfast.mp4"
head -c $(( $(stat -c %s "$WORK/vfast.mp4") / 2 )) "$WORK/vfast.mp4" > "$WORK/vcut.mp4"
rm -rf "$WORK/out"
run_ave process "$WORK/vcut.mp4" --output "$WORK/out" --no-progress
assert_eq "truncated video-only mp4: exit code" "$RC" 3
assert_eq "truncated video-only mp4: one error line (after the no-audio warning)" \
  "$(grep -c 'error:' "$WORK/stderr")" 1
assert_true "truncated video-only mp4: says truncated" grep -qE "vcut\.mp4.*truncated" "$WORK/stderr"
assert_true "truncated video-only mp4: no output left" test ! -e "$WORK/out"
# Damaged video sample tables, audio intact: the video stream exists, so
# this is a damaged input, never a silent audio-only job (issue 17, case 6).
# damage_video IN OUT BOX...: overwrite parts of the video trak's boxes.
damage_video() {
  python3 - "$@" <<'PY'
import struct, sys
src, dst, boxes = sys.argv[1], sys.argv[2], sys.argv[3:]
d = bytearray(open(src, "rb").read())
def find(off, end, path):
    while off + 8 <= end:
        size, kind = struct.unpack(">I4s", d[off:off + 8])
        if size < 8:
            break
        if kind == path[0]:
            return (off, size) if len(path) == 1 else find(off + 8, off + size, path[1:])
        off += size
moov = find(0, len(d), [b"moov"])
off = moov[0] + 8
while True:  # the trak whose handler is 'vide'
    size, kind = struct.unpack(">I4s", d[off:off + 8])
    if kind == b"trak":
        hdlr = find(off + 8, off + size, [b"mdia", b"hdlr"])
        if d[hdlr[0] + 16:hdlr[0] + 20] == b"vide":
            break
    off += size
for box in boxes:
    b, n = find(off + 8, off + size, [b"mdia", b"minf", b"stbl", box.encode()])
    if box == "stsd":  # the sample entry's format: the codec is lost
        d[b + 20:b + 24] = b"zzzz"
    elif box == "stsz":  # every sample absurdly large
        for i in range(struct.unpack(">I", d[b + 16:b + 20])[0]):
            d[b + 20 + 4 * i:b + 24 + 4 * i] = struct.pack(">I", 0x7fffff00)
    else:  # stco: every chunk far past the end of the file
        for i in range(struct.unpack(">I", d[b + 12:b + 16])[0]):
            d[b + 16 + 4 * i:b + 20 + 4 * i] = struct.pack(">I", 0x7fff0000 + i)
open(dst, "wb").write(d)
PY
}
damage_video "$WORK/good.mp4" "$WORK/stsd.mp4" stsd
expect_failure "damaged video stsd" 3 "stsd\.mp4: the video stream cannot be read" "$WORK/stsd.mp4"
damage_video "$WORK/good.mp4" "$WORK/stsz.mp4" stsz
expect_failure "damaged video stsz" 3 "stsz\.mp4.*video" "$WORK/stsz.mp4"
damage_video "$WORK/good.mp4" "$WORK/stco.mp4" stco
expect_failure "damaged video stco" 3 "stco\.mp4.*video" "$WORK/stco.mp4"
mkdir -p "$WORK/adir.mp4"
expect_failure "directory as input" 3 "adir\.mp4" "$WORK/adir.mp4"

# Flags and profiles.
expect_failure "unknown flag" 2 "unknown option --qualty.*--quality" "$WORK/good.mp4" --qualty high
expect_failure "bad enum value" 2 "quality.*best" "$WORK/good.mp4" --quality best
expect_failure "out of range" 2 "max-memory" "$WORK/good.mp4" --max-memory 0.01
expect_failure "not a number" 2 "timeout.*soon" "$WORK/good.mp4" --timeout soon
expect_failure "missing value" 2 "--type needs a value" "$WORK/good.mp4" --type
printf 'profiles:\n  mine:\n    quality: high\n    mode: [fast\n' > "$WORK/broken.yaml"
expect_failure "broken profile yaml" 2 "broken\.yaml:[0-9]+" "$WORK/good.mp4" --profiles-file "$WORK/broken.yaml" --profile mine
printf 'profiles:\n  mine:\n    qualty: high\n' > "$WORK/typo.yaml"
expect_failure "unknown profile key" 2 "typo\.yaml:3.*qualty" "$WORK/good.mp4" --profiles-file "$WORK/typo.yaml" --profile mine
expect_failure "unknown profile" 2 "nosuch" "$WORK/good.mp4" --profile nosuch
AI_VIDEO_EDITOR_QUALITY=best run_ave process "$WORK/good.mp4" --output "$WORK/out" --no-progress
assert_eq "bad environment value: exit code" "$RC" 2
assert_true "bad environment value: names the variable" grep -q AI_VIDEO_EDITOR_QUALITY "$WORK/stderr"
run_ave process --output "$WORK/out"
assert_eq "no input: exit code" "$RC" 2

# Places to write.
echo x > "$WORK/afile"
rm -rf "$WORK/out"
run_ave process "$WORK/good.mp4" --output "$WORK/afile/out" --no-progress
assert_eq "output under a file: exit code" "$RC" 4
assert_true "output under a file: names the folder" grep -q "afile/out" "$WORK/stderr"
run_ave process "$WORK/good.mp4" --output "$WORK/out" --temp-dir "$WORK/afile/tmp" --no-progress
assert_eq "temp dir under a file: exit code" "$RC" 4
assert_true "temp dir under a file: no output left" test ! -e "$WORK/out"

# Timeout: far too short for any real work.
expect_failure "timeout" 5 "timeout" "$WORK/good.mp4" --timeout 0.001

# Full disk: a tiny tmpfs (needs root and mount; skipped otherwise).
mkdir -p "$WORK/full"
if mount -t tmpfs -o size=64k tmpfs "$WORK/full" 2>/dev/null; then
  # It fails writing the render: recognition before that adds nothing.
  run_ave process "$WORK/good.mp4" --output "$WORK/full/out" --no-progress --asr off
  assert_eq "full disk: exit code (stderr: $ERR)" "$RC" 4
  assert_true "full disk: says so" grep -qi "no space" "$WORK/stderr"
  assert_eq "full disk: nothing left" "$(find "$WORK/full" -mindepth 1 | wc -l)" 0
  umount "$WORK/full"
else
  echo "note: cannot mount a tmpfs here; full-disk case skipped"
fi

# Audio-only input gives an edited audio file.
ffmpeg -hide_banner -loglevel error -y -i "$WORK/speech.wav" -c:a aac "$WORK/audio.m4a"
rm -rf "$WORK/out"
run_ave process "$WORK/audio.m4a" --output "$WORK/out" --no-progress --asr off
assert_eq "audio-only: exit code (stderr: $ERR)" "$RC" 0
assert_true "audio-only: edited audio" test -s "$WORK/out/audio/edited.m4a"
assert_true "audio-only: no video folder" test ! -e "$WORK/out/video"
assert_eq "audio-only: no video stream" "$(stream_count "$WORK/out/audio/edited.m4a" v)" 0

# Video-only input: kept whole, with a warning.
ffmpeg -hide_banner -loglevel error -y -i "$WORK/good.mp4" -an -c copy "$WORK/silent.mp4"
rm -rf "$WORK/out"
run_ave process "$WORK/silent.mp4" --output "$WORK/out" --no-progress --no-thumbnails --no-measure-quality
assert_eq "video-only: exit code (stderr: $ERR)" "$RC" 0
assert_true "video-only: warns" grep -qi "no audio" "$WORK/stderr"
assert_eq "video-only: no audio stream" "$(stream_count "$WORK/out/video/edited.mp4" a)" 0
assert_near "video-only: kept whole" "$(media_duration "$WORK/out/video/edited.mp4" v:0)" "$(media_duration "$WORK/silent.mp4" v:0)" 0.034
finish
