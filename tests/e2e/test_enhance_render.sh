#!/usr/bin/env bash
# End to end: the enhance chain run by the render on its audio thread, beside
# the video encode, instead of as a pass that rewrites the finished file
# (issue 25). On a 12 s clip (espeak-ng phrases with pauses the silence stage
# cuts, light noise, 320x240 video):
# - the audio of `process` is sample for sample the audio of `enhance` run on
#   its own over what `process --no-enhance` rendered, and the video has the
#   same frames at the same times (see below for why not the same bytes);
# - the metrics say where the chain ran (render.audio_post), and still give
#   the enhance stage its time, CPU time and status, its span inside the
#   render's on the stage timeline;
# - --captions both, where the render keeps its audio in line and the stage
#   rewrites both files afterwards as before, gives edited.mp4 the same
#   samples (edited.captioned.mp4's differ from edited.mp4's, on main too);
# - nothing is left in the temp folder.
# The thread's failure paths and --timeout while it runs are in the unit
# test test_render_audio_post (they need a failing chain); test_timeout
# stops a job whose render runs the thread.
. "$(dirname "$0")/lib.sh"

FAST=(--asr off --no-thumbnails --no-measure-quality --no-progress --no-cache
  --temp-dir "$WORK/tmp")
mkdir -p "$WORK/tmp"

list=()
i=0
for p in "the render starts as soon as the plan is known" "pauses are cut" \
  "and the audio is cleaned on a thread of its own"; do
  espeak-ng -s 150 -w "$WORK/p$i.wav" "$p"
  sox "$WORK/p$i.wav" -r 48000 -c 1 "$WORK/q$i.wav"
  sox -n -r 48000 -c 1 "$WORK/g$i.wav" trim 0 1.6
  list+=("$WORK/q$i.wav" "$WORK/g$i.wav")
  i=$((i + 1))
done
sox "${list[@]}" "$WORK/speech.wav"
secs=$(soxi -D "$WORK/speech.wav")
sox -n -r 48000 -c 1 "$WORK/noise.wav" synth "$secs" pinknoise vol 0.003
sox -m "$WORK/speech.wav" "$WORK/noise.wav" "$WORK/talk.wav"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=25" \
  -i "$WORK/talk.wav" -map 0:v -map 1:a -t "$secs" -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p -c:a aac -b:a 128k "$WORK/in.mp4"

audio_md5() { ffmpeg -v error -i "$1" -map 0:a -f s16le - | md5sum | cut -c1-32; }
video_md5() { ffmpeg -v error -i "$1" -map 0:v -c copy -f h264 - | md5sum | cut -c1-32; }
video_frames() {
  ffprobe -v error -select_streams v -show_entries packet=pts,dts,duration,flags -of csv "$1" | md5sum
}

run_ave process "$WORK/in.mp4" --output "$WORK/on" "${FAST[@]}"
assert_eq "process exit (stderr: $ERR)" "$RC" 0
run_ave process "$WORK/in.mp4" --output "$WORK/off" "${FAST[@]}" --no-enhance
assert_eq "process --no-enhance exit (stderr: $ERR)" "$RC" 0
run_ave enhance "$WORK/off/video/edited.mp4" "$WORK/separate.mp4" --no-progress --temp-dir "$WORK/tmp"
assert_eq "enhance exit (stderr: $ERR)" "$RC" 0

m=$WORK/on/analytics/performance_metrics.json
cuts=$(jq -r '.cut_count' "$m")
echo "cuts: $cuts, output $(jq -r .output_duration "$m") s of $secs s"
assert_true "the plan cut something ($cuts cuts)" test "$cuts" -ge 2
on=$(audio_md5 "$WORK/on/video/edited.mp4")
sep=$(audio_md5 "$WORK/separate.mp4")
off=$(audio_md5 "$WORK/off/video/edited.mp4")
echo "audio: process $on, enhance run separately $sep, not enhanced $off"
assert_eq "audio of process = enhance run separately on the rendered audio" "$on" "$sep"
assert_true "the chain changed the audio" test "$on" != "$off"
# The video: enhance copies it packet for packet; against the --no-enhance
# run only its frames and times are compared, because two renders of this
# clip do not always give the same x264 bytes, on main too (main's binary
# failed a bytes comparison here in 1 of 3 runs; in a quiet shell 8 of 8
# were equal). test_render_audio_post compares the bytes within one build.
assert_eq "video = enhance's copy of --no-enhance's" "$(video_md5 "$WORK/off/video/edited.mp4")" \
  "$(video_md5 "$WORK/separate.mp4")"
assert_eq "video frames and times = --no-enhance's" "$(video_frames "$WORK/on/video/edited.mp4")" \
  "$(video_frames "$WORK/off/video/edited.mp4")"

assert_eq "render ran the chain" "$(jq -r '.render.audio_post' "$m")" enhance
assert_eq "enhance status" "$(jq -r '.stage_status.enhance' "$m")" ok
assert_true "enhance has a time" jq -e '.module_processing_times.enhance > 0' "$m"
assert_true "enhance has CPU time" jq -e '.module_cpu_times.enhance > 0' "$m"
assert_true "enhance ran inside the render's span" jq -e '
  ([.stage_timeline[] | select(.stage == "render")][0]) as $r |
  ([.stage_timeline[] | select(.stage == "enhance")][0]) as $e |
  $e.start_s >= $r.start_s and $e.end_s <= $r.end_s' "$m"
assert_true "enhance listed as concurrent (its time lies inside render's)" \
  jq -e '.pipeline.concurrent_stages | index("enhance") != null' "$m"
assert_near "loudness" "$(jq -r '.audio.output_integrated_lufs' "$m")" -14 0.5

# the stage's own pass where render keeps its audio in line
run_ave process "$WORK/in.mp4" --output "$WORK/both" "${FAST[@]}" --captions both
assert_eq "--captions both exit (stderr: $ERR)" "$RC" 0
mb=$WORK/both/analytics/performance_metrics.json
assert_eq "--captions both: chain after render" "$(jq -r '.render.audio_post' "$mb")" null
assert_eq "--captions both: enhance status" "$(jq -r '.stage_status.enhance' "$mb")" ok
assert_true "--captions both: enhance not listed as concurrent" \
  jq -e '(.pipeline.concurrent_stages // []) | index("enhance") == null' "$mb"
assert_eq "--captions both: same samples" "$(audio_md5 "$WORK/both/video/edited.mp4")" "$on"

assert_eq "temp folder emptied" "$(find "$WORK/tmp" -mindepth 1 | wc -l)" 0
finish
