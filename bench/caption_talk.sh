# Sourced by bench_captions.sh and bench_shorts.sh: caption_talk WORK writes
# WORK/talk.wav, six flite sentences said twice with 1 s between them, and
# WORK/parts, one line per sentence: "start_s duration_s text".
caption_talk() {
  local work=$1 t=1.0 round i s f d
  local sentences=("video editing takes a lot of time" "please remember to save your work often"
    "thank you for watching this short video" "captions help people who watch without sound"
    "every word appears when it is spoken" "the quick brown fox jumps over the lazy dog")
  local parts=("$work/g.wav")
  : >"$work/parts"
  sox -n -r 48000 -c 1 "$work/g.wav" trim 0 1.0
  for round in 1 2; do
    for i in "${!sentences[@]}"; do
      s=${sentences[$i]}
      f="$work/p$round.$i.wav"
      flite -voice slt -t "$s" -o "$work/raw.wav"
      sox "$work/raw.wav" -r 48000 -c 1 "$f" silence 1 0.005 -45d reverse silence 1 0.005 -45d reverse
      d=$(soxi -D "$f")
      echo "$t $d $s" >>"$work/parts"
      parts+=("$f" "$work/g.wav")
      t=$(awk -v a="$t" -v d="$d" 'BEGIN { print a + d + 1.0 }')
    done
  done
  sox "${parts[@]}" "$work/talk.wav"
}
