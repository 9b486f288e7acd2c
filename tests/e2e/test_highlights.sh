#!/usr/bin/env bash
# --highlights N on a generated lecture (issue 22): 14 flite sentences about
# a town library, with one stretch built to be the strongest (a question, a
# list of three, a number and the talk's most repeated phrase, "electric
# motor", at sentences 6-9). The first pick starts at that question; every
# pick starts on a sentence start and ends on a sentence end, lies within the
# length limits and overlaps no other; shorts/highlights.json, the markers
# in the NLE exports and the report section agree. Audio only and
# --export-only: the picks need the transcript and the plan, not a render.
. "$(dirname "$0")/lib.sh"

sentences=(
  "Welcome to this lecture about the history of the town library."
  "The library was built a long time ago near the old market square."
  "Many people visited the building during the week to read the newspapers."
  "The walls were painted white and the windows faced the river."
  "Later the town council decided to repair the roof of the building."
  "What are the three main parts of an electric motor?"
  "First, the magnet of the electric motor stays still."
  "Second, the coil of the electric motor spins around it."
  "Third, the switch of the electric motor costs about twenty dollars."
  "After the repairs the library opened again in the spring."
  "The reading room was quiet and the chairs were comfortable."
  "People liked to sit near the windows in the afternoon."
  "The town still uses the library for meetings and small concerts."
  "Thank you for listening to this short lecture about the town library."
)
parts=()
t=0
: >"$WORK/bounds" # start and end of each sentence's sound, seconds
for i in "${!sentences[@]}"; do
  flite -voice slt -t "${sentences[$i]}" -o "$WORK/raw$i.wav"
  sox "$WORK/raw$i.wav" -r 48000 -c 1 "$WORK/s$i.wav"
  d=$(soxi -D "$WORK/s$i.wav")
  echo "$t $(awk -v a="$t" -v d="$d" 'BEGIN { print a + d }')" >>"$WORK/bounds"
  gen_silence "$WORK/gap$i.wav" 0.7
  parts+=("$WORK/s$i.wav" "$WORK/gap$i.wav")
  t=$(awk -v a="$t" -v d="$d" 'BEGIN { print a + d + 0.7 }')
done
sox "${parts[@]}" "$WORK/lecture.wav"
question_at=$(sed -n 6p "$WORK/bounds" | cut -d' ' -f1)

run_ave process "$WORK/lecture.wav" --output "$WORK/out" --no-progress --type educational \
  --export-only --no-enhance --highlights 2 --highlight-length 30
assert_eq "exit code (stderr: $ERR)" "$RC" 0
hl="$WORK/out/shorts/highlights.json"
assert_true "highlights.json written" test -s "$hl"
jq -c '.highlights[] | [.rank, .title, .source_start, .source_end, .score, .parts]' "$hl"
assert_eq "two highlights" "$(jq '.highlights | length' "$hl")" 2
assert_true "the first starts at the question ($question_at s)" \
  jq -e --argjson q "$question_at" '.highlights[0].source_start | . >= $q - 0.1 and . <= $q + 0.8' "$hl"
assert_true "the first has the question and the list" \
  jq -e '.highlights[0].parts | .question == 1 and .list == 1' "$hl"
assert_eq "the first is titled with the talk's phrase" "$(jq -r '.highlights[0].title' "$hl")" \
  "Electric Motor"
assert_true "ranked by score" jq -e '.highlights[0].score >= .highlights[1].score' "$hl"
for k in 0 1; do
  s=$(jq ".highlights[$k].source_start" "$hl")
  e=$(jq ".highlights[$k].source_end" "$hl")
  assert_true "pick $k starts on a sentence start ($s)" \
    awk -v s="$s" '{ if (s >= $1 - 0.1 && s <= $1 + 0.8) ok = 1 } END { exit !ok }' "$WORK/bounds"
  assert_true "pick $k ends on a sentence end ($e)" \
    awk -v e="$e" '{ if (e >= $2 - 0.8 && e <= $2 + 0.1) ok = 1 } END { exit !ok }' "$WORK/bounds"
  assert_true "pick $k is 7.5-30 s on the edit" \
    jq -e ".highlights[$k] | .duration >= 7.5 and .duration <= 30 and .duration == ((.edit_end - .edit_start) * 1000 | round / 1000)" "$hl"
done
assert_true "the picks do not overlap" \
  jq -e '.highlights | (.[0].source_end <= .[1].source_start) or (.[1].source_end <= .[0].source_start)' "$hl"

# NLE exports: one marker per highlight, beside the chapters.
ej=$(ls "$WORK"/out/exports/*.edit.json)
assert_eq "edit.json highlight markers" "$(jq '[.markers[] | select(.kind == "highlight")] | length' "$ej")" 2
assert_true "FCPXML highlight marker" grep -q 'value="Highlight: Electric Motor"' "$WORK"/out/exports/*.fcpxml
assert_true "EDL highlight locator" grep -q 'GREEN   Highlight: Electric Motor' "$WORK"/out/exports/*.edl
assert_true "OTIO highlight marker" \
  jq -e '[.. | objects | select(.comment? == "highlight")] | length == 2' "$WORK"/out/exports/*.otio
# The report shows them.
assert_true "report section" grep -q 'id="highlights" data-count="2"' "$WORK/out/analytics/report.html"

# Not asked for: no shorts folder, no markers.
run_ave process "$WORK/lecture.wav" --output "$WORK/plain" --no-progress --type educational \
  --export-only --no-enhance
assert_eq "plain exit code (stderr: $ERR)" "$RC" 0
assert_true "no shorts folder" test ! -e "$WORK/plain/shorts"
finish
