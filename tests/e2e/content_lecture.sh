# Lecture generator shared by tests/e2e/test_content*.sh and
# bench/bench_content.sh: gen_lecture OUT.mp4 TRUTH N writes a flite lecture of
# N topics (3 or 4) separated by 1 s pauses and, in TRUTH, the source time
# where each topic starts ("topic start_seconds" per line). With OUT.wav, the
# audio alone (no test-pattern video). Needs lib.sh's
# gen_silence and mux_video ($WORK set).
TOPIC_1="Today we talk about the ocean. The ocean covers seventy percent of the planet. Ocean water is salt water, and the salt comes from rocks on the land. Ocean waves are made by the wind. The deep ocean is dark and cold, and many strange fish live in the deep ocean. Ocean currents move warm water from the south to the north. Tiny ocean plants make much of the oxygen we breathe. Fishing boats depend on a healthy ocean. When the ocean gets warmer, the fish move to colder water. Whales and dolphins swim in the open ocean. Ocean tides rise and fall twice a day."
TOPIC_2="Now let us move to computer memory. Computer memory stores the programs and the data that the computer is using right now. Memory is fast, but memory forgets everything when the power goes off. A hard drive is slower than memory, but the hard drive keeps the data. When a computer runs out of memory, the programs become slow. More memory lets the computer run more programs at the same time. Memory is measured in bytes, and a modern computer has billions of bytes of memory. Computer memory chips are made of silicon. Fast memory costs more money than slow memory."
TOPIC_3="Finally, let us talk about coffee. Coffee comes from the seeds of a small red fruit. The coffee seeds are roasted, and the roasting gives coffee its brown color and its strong taste. Coffee contains caffeine, and caffeine keeps people awake. Many people drink coffee every morning. Farmers grow coffee in warm countries near the equator. A cup of coffee has about one hundred milligrams of caffeine. Coffee shops sell coffee with milk and sugar. Some people drink coffee without caffeine in the evening."
TOPIC_4="Our last topic is the football game. A football team has eleven players on the field. The players kick the ball and try to score a goal. The goal keeper stops the ball with his hands. A football match lasts ninety minutes, in two halves. The referee blows the whistle when a player breaks the rules. Football fans sing songs in the stadium. The best football teams win the league and the cup. Young players train every day to become football stars."

gen_lecture() {
  local out=$1 truth=$2 n=$3 t=0 i d
  : >"$truth"
  gen_silence "$WORK/pause.wav" 1.0
  local parts=()
  for i in $(seq 1 "$n"); do
    local var="TOPIC_$i"
    flite -voice slt -t "${!var}" -o "$WORK/topic_raw$i.wav"
    sox "$WORK/topic_raw$i.wav" -r 48000 -c 1 "$WORK/topic$i.wav"
    d=$(soxi -D "$WORK/topic$i.wav")
    [ "$i" -gt 1 ] && parts+=("$WORK/pause.wav") && t=$(awk -v a="$t" 'BEGIN { print a + 1.0 }')
    echo "$i $t" >>"$truth"
    t=$(awk -v a="$t" -v d="$d" 'BEGIN { print a + d }')
    parts+=("$WORK/topic$i.wav")
  done
  if [ "${out##*.}" = wav ]; then
    sox "${parts[@]}" "$out"
  else
    sox "${parts[@]}" "$WORK/lecture.wav"
    mux_video "$WORK/lecture.wav" "$out"
  fi
}
