#!/usr/bin/env bash
# A/V sync on awkward inputs: variable frame rate (dropped frames, timestamps
# kept), 29.97 fps, a rotated phone clip and 4:4:4 chroma. After cutting, the
# audio and video streams must end within one frame of each other and of the
# timeline's kept duration, and rotation must survive. The cuts come from the
# pauses (silence stage); speech recognition, thumbnails and the PSNR pass add
# nothing here and are off (enhance stays: it is on the audio path).
. "$(dirname "$0")/lib.sh"

gen_speech "$WORK/a.wav" "one two three four five"
gen_speech "$WORK/b.wav" "six seven eight nine ten"
gen_silence "$WORK/gap.wav" 2.0
sox "$WORK/a.wav" "$WORK/gap.wav" "$WORK/b.wav" "$WORK/gap.wav" "$WORK/a.wav" "$WORK/talk.wav"
len=$(soxi -D "$WORK/talk.wav")

check_sync() {
  local name=$1 in=$2 frame=$3
  rm -rf "$WORK/out"
  run_ave process "$in" --output "$WORK/out" --no-progress --asr off --no-thumbnails --no-measure-quality
  assert_eq "$name: exit code (stderr: $ERR)" "$RC" 0
  local v="$WORK/out/video/edited.mp4"
  local kept vd ad
  kept=$(jq .edited_duration "$WORK/out/timeline.json")
  vd=$(media_duration "$v" v:0)
  ad=$(media_duration "$v" a:0)
  assert_near "$name: audio vs video" "$ad" "$vd" "$frame"
  assert_near "$name: video vs timeline" "$vd" "$kept" "$frame"
  assert_true "$name: something was cut" awk -v k="$kept" -v l="$len" 'BEGIN { exit !(k < l - 2) }'
}

# VFR: drop every 5th and 7th frame, keeping the original timestamps.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=30" -i "$WORK/talk.wav" \
  -map 0:v -map 1:a -shortest -vf "select='not(eq(mod(n\,5)\,1))*not(eq(mod(n\,7)\,3))'" -fps_mode vfr \
  -c:v libx264 -preset ultrafast -c:a aac "$WORK/vfr.mp4"
check_sync "vfr" "$WORK/vfr.mp4" 0.034

ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=30000/1001" -i "$WORK/talk.wav" \
  -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast -c:a aac "$WORK/ntsc.mp4"
check_sync "29.97 fps" "$WORK/ntsc.mp4" 0.034

ffmpeg -hide_banner -loglevel error -y -i "$WORK/ntsc.mp4" -c copy -metadata:s:v:0 rotate=90 "$WORK/rotated.mp4"
check_sync "rotated" "$WORK/rotated.mp4" 0.034
rot=$(ffprobe -v error -select_streams v:0 -show_entries stream_side_data=rotation -of csv=p=0 "$WORK/out/video/edited.mp4" | head -n1)
assert_true "rotation kept (got '$rot')" test "${rot#-}" = 90

ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=25" -i "$WORK/talk.wav" \
  -map 0:v -map 1:a -shortest -pix_fmt yuv444p -c:v libx264 -preset ultrafast -c:a aac "$WORK/444.mp4"
check_sync "yuv444p" "$WORK/444.mp4" 0.04

# Enhancement re-encodes the audio: it must keep its exact length and start.
# 16 kHz speech, where one AAC frame is 64 ms: the decoder's last frame
# carries up to 1023 samples of padding, and re-encoding them made the
# enhanced audio up to 64 ms longer than the video (issue 17, case 12).
sox "$WORK/talk.wav" -r 16000 "$WORK/talk16.wav"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=30" -i "$WORK/talk16.wav" \
  -map 0:v -map 1:a -shortest -c:v libx264 -preset ultrafast -c:a aac -b:a 48k "$WORK/talk16.mp4"
a_field() { ffprobe -v error -select_streams a:0 -show_entries "stream=$2" -of csv=p=0 "$1"; }
for e in enhance no-enhance; do
  rm -rf "$WORK/$e"
  run_ave process "$WORK/talk16.mp4" --output "$WORK/$e" --no-progress --asr off --no-thumbnails \
    --no-measure-quality "--$e"
  assert_eq "16 kHz, --$e: exit code (stderr: $ERR)" "$RC" 0
  v="$WORK/$e/video/edited.mp4"
  assert_near "16 kHz, --$e: audio vs video" "$(media_duration "$v" a:0)" "$(media_duration "$v" v:0)" 0.021
done
assert_eq "enhanced audio: same samples as the render's" \
  "$(a_field "$WORK/enhance/video/edited.mp4" duration_ts)" "$(a_field "$WORK/no-enhance/video/edited.mp4" duration_ts)"
assert_eq "enhanced audio: same start as the render's" \
  "$(a_field "$WORK/enhance/video/edited.mp4" start_time)" "$(a_field "$WORK/no-enhance/video/edited.mp4" start_time)"
finish
