#!/usr/bin/env bash
# End to end: the optional AI service for titles and the description, against
# a local stand-in chat-completions server (tests/e2e/chat_server.py):
# 1. a valid answer is used (titles, summary), chapters/hashtags stay offline,
#    the request carries the key and asks for JSON; tokens and cost counted;
# 2. 429 (Retry-After: 1) then success: retried after >= 1 s;
# 3. an answer slower than --api-timeout: offline result with a warning;
# 4. a malformed answer: offline result with a warning;
# 5. the same request again (right after 1): served from the response
#    cache, no request;
# and the key appears in no output, log or metrics file.
. "$(dirname "$0")/lib.sh"

KEY="sk-content-test-9c2e71SECRETKEY"
flite -voice slt -t "Today we talk about the ocean. The ocean covers seventy percent of the planet. \
Ocean water is salt water. Ocean waves are made by the wind. The deep ocean is dark and cold." \
  -o "$WORK/raw.wav"
sox "$WORK/raw.wav" -r 48000 -c 1 "$WORK/talk.wav"
mux_video "$WORK/talk.wav" "$WORK/talk.mp4"

server_pid=
start_server() { # ACTIONS...
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  printf '%s\n' "$@" >"$WORK/script"
  : >"$WORK/server.log"
  rm -f "$WORK/port"
  python3 "$(dirname "$0")/chat_server.py" "$WORK/script" "$WORK/server.log" "$WORK/port" &
  server_pid=$!
  for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
  PORT=$(cat "$WORK/port")
}
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$WORK"' EXIT

# run_ai NAME [flags...]: process with the service configured through the environment.
run_ai() {
  local name=$1; shift
  set +e
  AI_VIDEO_EDITOR_API_URL="http://127.0.0.1:$PORT" AI_VIDEO_EDITOR_API_KEY="$KEY" \
    "$AVE_BIN" process "$WORK/talk.mp4" --output "$WORK/$name" --no-progress --quality low \
    --no-enhance --type educational "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
  RC=$?
  set -e
  META="$WORK/$name/metadata/metadata.json"
  METRICS="$WORK/$name/analytics/performance_metrics.json"
}

# --- 1. a valid answer -----------------------------------------------------------
start_server ok
run_ai ok --api-price-per-1k 0.002
assert_eq "ok: exit code ($(cat "$WORK/ok.stderr"))" "$RC" 0
assert_eq "ok: source" "$(jq -r .source "$META")" ai
assert_eq "ok: seo title from the service" "$(jq -r '.titles[0].text' "$META")" \
  "Ocean, Memory and Coffee: Three Topics in One Lesson"
assert_eq "ok: five service titles" "$(jq '[.titles[] | select(.text | test("Ocean"))] | length' "$META")" 5
assert_true "ok: service titles scored" test "$(jq '[.titles[] | select(.score > 0)] | length' "$META")" -eq 5
assert_eq "ok: description opens with the service summary" \
  "$(head -1 "$WORK/ok/metadata/description.txt" | cut -c1-15)" "SERVER SUMMARY:"
assert_true "ok: hashtags still offline" grep -q '^#Ocean' "$WORK/ok/metadata/description.txt"
assert_eq "ok: one request" "$(wc -l <"$WORK/server.log")" 1
req=$(head -1 "$WORK/server.log")
assert_eq "ok: path" "$(jq -r .path <<<"$req")" /v1/chat/completions
assert_eq "ok: Authorization header" "$(jq -r .auth <<<"$req")" "Bearer $KEY"
assert_eq "ok: JSON mode requested" "$(jq -r .json_mode <<<"$req")" json_object
assert_eq "ok: default model" "$(jq -r .model <<<"$req")" gpt-4o-mini
assert_eq "ok: api_calls_made.content" "$(jq .api_calls_made.content "$METRICS")" 1
assert_near "ok: total_api_cost = 1500 tokens x 0.002 / 1k" "$(jq .total_api_cost "$METRICS")" 0.003 1e-9
assert_eq "ok: tokens" "$(jq .content.api_tokens "$METRICS")" 1500
assert_eq "ok: key shown masked in the configuration" \
  "$(jq -r '.configuration["content.api-key"].value' "$METRICS")" "***"

# --- 5. the same request again: cached ---------------------------------------------------------------------------
# the same server (the endpoint is part of the key) and the same request
# From here on --export-only: metadata/ needs the analysis and the plan, not
# a rendered video (run 1 rendered everything the key must stay out of).
run_ai cached --api-price-per-1k 0.002 --export-only
assert_eq "cache: exit code" "$RC" 0
assert_eq "cache: service result" "$(jq -r .source "$META")" ai
assert_eq "cache: from cache" "$(jq -r .ai_service.from_cache "$META")" true
assert_eq "cache: no new request" "$(wc -l <"$WORK/server.log")" 1
assert_eq "cache: no call counted" "$(jq '.api_calls_made.content // 0' "$METRICS")" 0

# --- 2. 429 then success ------------------------------------------------------------
start_server 429 ok
run_ai retry --api-model m-retry --export-only
assert_eq "429: exit code ($(tail -3 "$WORK/retry.stderr"))" "$RC" 0
assert_eq "429: source" "$(jq -r .source "$META")" ai
assert_eq "429: two requests" "$(wc -l <"$WORK/server.log")" 2
gap=$(jq -s '.[1].time - .[0].time' "$WORK/server.log")
echo "retry after ${gap} s"
assert_true "429: waited Retry-After (1 s) before retrying ($gap s)" \
  awk -v g="$gap" 'BEGIN { exit !(g >= 0.95 && g < 5) }'
assert_eq "429: both requests counted" "$(jq .api_calls_made.content "$METRICS")" 2
assert_eq "429: one retry" "$(jq .content.api_retries "$METRICS")" 1

# --- 2b. 500 then success: the first retry waits AI_VIDEO_EDITOR_API_RETRY_DELAY
# (the guide's variable; no Retry-After to follow), the second twice that.
start_server 500 500 ok
AI_VIDEO_EDITOR_API_RETRY_DELAY=0.5 run_ai retry500 --api-model m-retry500 --export-only \
  --api-rate-limit 0 # no spacing between requests, only the backoff
assert_eq "500: exit code ($(tail -3 "$WORK/retry500.stderr"))" "$RC" 0
assert_eq "500: three requests" "$(wc -l <"$WORK/server.log")" 3
gaps=$(jq -s '[.[1].time - .[0].time, .[2].time - .[1].time] | map(. * 100 | round / 100) | join(" ")' -r "$WORK/server.log")
echo "retries after ${gaps} s"
assert_true "500: waited API_RETRY_DELAY (0.5 s), then 1 s ($gaps)" \
  awk -v g="$gaps" 'BEGIN { split(g, a, " "); exit !(a[1] >= 0.45 && a[1] < 0.9 && a[2] >= 0.95 && a[2] < 1.6) }'
assert_eq "500: the delay recorded with its source" \
  "$(jq -r '.configuration["api-retry-delay"].source' "$WORK/retry500/analytics/performance_metrics.json")" environment

# --- 3. timeout -> offline ----------------------------------------------------------------
start_server slow
t0=$(date +%s.%N)
run_ai slow --api-model m-slow --api-timeout 1 --export-only
t1=$(date +%s.%N)
assert_eq "timeout: exit code" "$RC" 0
assert_eq "timeout: offline result" "$(jq -r .source "$META")" offline
assert_true "timeout: warning" grep -q "AI service failed.*api-timeout" "$WORK/slow.stderr"
assert_true "timeout: reason recorded" grep -q "api-timeout" <(jq -r .ai_service.fallback_reason "$META")
assert_true "timeout: offline titles present" test "$(jq -r '.titles[0].text' "$META" | wc -c)" -gt 20
assert_eq "timeout: no retry of a timeout" "$(wc -l <"$WORK/server.log")" 1

# --- 4. malformed answer -> offline -----------------------------------------------------------
start_server malformed
run_ai bad --api-model m-bad --export-only
assert_eq "malformed: exit code" "$RC" 0
assert_eq "malformed: offline result" "$(jq -r .source "$META")" offline
assert_true "malformed: warning" grep -q "AI service failed.*not a JSON object" "$WORK/bad.stderr"
assert_eq "malformed: the answered call still counted" "$(jq .api_calls_made.content "$METRICS")" 1

# --- the key is nowhere ----------------------------------------------------------------------------
assert_eq "key not in any output" "$(grep -rl "$KEY" "$WORK"/ok "$WORK"/retry "$WORK"/slow "$WORK"/bad "$WORK"/cached | wc -l)" 0
assert_eq "key not in stdout/stderr" "$(cat "$WORK"/*.stdout "$WORK"/*.stderr | grep -c "$KEY")" 0
assert_eq "key not in the cache" "$(grep -rl "$KEY" "$WORK/cache" 2>/dev/null | wc -l)" 0
finish
