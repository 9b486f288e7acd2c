# The short lesson shared by test_report.sh and test_review.sh: a sentence,
# a 1.6 s pause, "um", 0.4 s, a second sentence (flite, each trimmed to its
# sound). gen_rainbow_talk OUT.mp4 writes it with a test-pattern video and
# leaves $WORK/s1.wav, s2.wav ("um"), s3.wav and talk.wav for the callers'
# served transcripts; S1 and S3 are the sentences. Needs lib.sh.
S1="Today we learn how a rainbow forms in the sky."
S3="Sunlight bends inside each raindrop and splits into seven colors."

trimmed() {
  flite -voice slt -t "$1" -o "$WORK/raw.wav"
  sox "$WORK/raw.wav" -r 48000 -c 1 "$2" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
}

gen_rainbow_talk() {
  trimmed "$S1" "$WORK/s1.wav"
  trimmed "um" "$WORK/s2.wav"
  trimmed "$S3" "$WORK/s3.wav"
  gen_silence "$WORK/g03.wav" 0.3
  gen_silence "$WORK/g16.wav" 1.6
  gen_silence "$WORK/g04.wav" 0.4
  sox "$WORK/g03.wav" "$WORK/s1.wav" "$WORK/g16.wav" "$WORK/s2.wav" "$WORK/g04.wav" \
    "$WORK/s3.wav" "$WORK/g03.wav" "$WORK/talk.wav"
  mux_video "$WORK/talk.wav" "$1"
}
