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

# rainbow_response with-um|without-um: the stand-in recogniser's answer,
# $WORK/response.json: each sentence's words spread evenly over its true
# extent, and the "um" exactly over its own (with-um; its times also go to
# $WORK/um) or left out, so only the acoustic detector can find it.
rainbow_response() {
  python3 - "$1" "$WORK" "$S1" "$S3" "$(soxi -D "$WORK/s1.wav")" "$(soxi -D "$WORK/s2.wav")" \
    "$(soxi -D "$WORK/s3.wav")" <<'PY'
import json, sys
mode, work, s1, s3 = sys.argv[1:5]
d1, d2, d3 = map(float, sys.argv[5:8])
def spread(text, a, z):
    ws = text.split()
    step = (z - a) / len(ws)
    return [{"word": w, "start": round(a + i * step, 3), "end": round(a + (i + 1) * step, 3)}
            for i, w in enumerate(ws)]
a1 = 0.3; u0 = a1 + d1 + 1.6; u1 = u0 + d2; a3 = u1 + 0.4
um = [{"word": "um,", "start": round(u0, 3), "end": round(u1, 3)}] if mode == "with-um" else []
words = spread(s1, a1, a1 + d1) + um + spread(s3, a3, a3 + d3)
json.dump({"task": "transcribe", "language": "english", "duration": a3 + d3 + 0.3,
           "text": " ".join(w["word"] for w in words), "words": words},
          open(work + "/response.json", "w"))
if um:
    open(work + "/um", "w").write("%.3f %.3f\n" % (round(u0, 3), round(u1, 3)))
PY
}
