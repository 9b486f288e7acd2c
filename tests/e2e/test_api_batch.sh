#!/usr/bin/env bash
# --api-batch-size (the original guide's api_batch_size): the recogniser's
# uploads leave in batches of that size, all at once, and the next batch
# waits until the last has answered and until --api-rate-limit allows it
# (issue 24, item 1). Checked against the loopback transcription server,
# which answers each upload after 0.4 s and logs when each arrived.
. "$(dirname "$0")/lib.sh"

sox -n -r 16000 -c 1 "$WORK/tone.wav" synth 12 sine 220 vol 0.3
cat >"$WORK/response.json" <<'JSON'
{"task": "transcribe", "language": "english", "duration": 1.0, "text": "tone",
 "words": [{"word": "tone", "start": 0.1, "end": 0.5}]}
JSON
python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/server.log" "$WORK/port" 0.4 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$WORK/port")"

# run NAME FLAGS...: one job against the server, its log kept as NAME.log
run() {
  local name=$1; shift
  : >"$WORK/server.log"
  run_ave process "$WORK/tone.wav" --output "$WORK/$name" --no-progress --no-enhance --no-cache \
    --asr http --asr-url "$URL" --asr-chunk-s 2 "$@"
  cp "$WORK/server.log" "$WORK/$name.log"
}
# the most requests in flight at one moment
in_flight() { jq -s '[.[] | [.start, 1], [.end, -1]] | sort_by(.[0], .[1])
  | reduce .[] as $e ([0, 0]; [.[0] + $e[1], ([.[1], .[0] + $e[1]] | max)]) | .[1]' "$1"; }

# Three at once, at most 120 requests a minute: a batch of three every 1.5 s.
run batch3 --api-batch-size 3 --api-rate-limit 120
assert_eq "batch of 3: exit code (stderr: $ERR)" "$RC" 0
n=$(wc -l <"$WORK/batch3.log")
assert_true "12 s in chunks of at most 2 s: at least 6 uploads ($n)" test "$n" -ge 6
assert_eq "batch of 3: three uploads in flight at most" "$(in_flight "$WORK/batch3.log")" 3
batches=$(jq .speech.api_batches "$WORK/batch3/analytics/performance_metrics.json")
assert_eq "batch of 3: batches recorded" "$batches" "$(((n + 2) / 3))"
assert_eq "every upload counted as an API call" \
  "$(jq .api_calls_made.asr "$WORK/batch3/analytics/performance_metrics.json")" "$n"
# Each batch's uploads arrive together; the next batch starts after the last
# one answered and at least 1.5 s (3 x 60 / 120) after it started.
report=$(jq -rs 'sort_by(.start) | [range(0; length; 3) as $i | .[$i:$i + 3]]
  | [range(0; length) as $b | .[$b] as $cur
     | {spread: ([$cur[].start] | max - min),
        gap: (if $b == 0 then null else ($cur | map(.start) | min) - (.[$b - 1] | map(.start) | min) end),
        after_end: (if $b == 0 then null else ($cur | map(.start) | min) - (.[$b - 1] | map(.end) | max) end)}]' \
  "$WORK/batch3.log")
echo "batches: $(jq -c . <<<"$report")"
assert_eq "each batch's uploads leave together (within 0.2 s)" \
  "$(jq '[.[].spread | select(. > 0.2)] | length' <<<"$report")" 0
assert_eq "batches start at least 1.5 s apart" \
  "$(jq '[.[1:][] | .gap | select(. < 1.45)] | length' <<<"$report")" 0
assert_eq "no batch starts before the last one answered" \
  "$(jq '[.[1:][] | .after_end | select(. < -0.01)] | length' <<<"$report")" 0

# The default: one at a time, as before.
run one --api-rate-limit 0
assert_eq "default: exit code (stderr: $ERR)" "$RC" 0
assert_eq "default: one upload in flight" "$(in_flight "$WORK/one.log")" 1

# The guide's profiles file, verbatim, is accepted, and its api_batch_size used.
cp "$(dirname "$0")/data/guide_performance_profiles.yaml" "$WORK/performance_profiles.yaml"
run guide --profiles-file "$WORK/performance_profiles.yaml" --profile resource_constrained \
  --api-rate-limit 0
assert_eq "guide's profile: exit code (stderr: $ERR)" "$RC" 0
assert_eq "guide's profile: api_batch_size 3" \
  "$(jq -r '.configuration["api-batch-size"] | "\(.value) \(.source)"' "$WORK/guide/analytics/performance_metrics.json")" \
  "3 profile"
assert_eq "guide's profile: three uploads in flight" "$(in_flight "$WORK/guide.log")" 3
finish
