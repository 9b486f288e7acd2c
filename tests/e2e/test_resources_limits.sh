#!/usr/bin/env bash
# The original guide's variables are understood (ENABLE_GPU, GPU_MEMORY_LIMIT
# with a unit, GPU_MEMORY_GROWTH, API_RETRY_DELAY) and recorded; threads and
# the memory budget follow what the process may use: `taskset -c 0` gives one
# thread where we pick threads, and a control group's CPU quota and memory
# limit (made here when the machine lets root make one) bound the cores and
# the default budget (issue 24, items 2 and 4).
. "$(dirname "$0")/lib.sh"

FAST=(--quality low --no-enhance --no-measure-quality --no-report --no-progress)
gen_speech "$WORK/a.wav" "a few words for the recogniser to hear"
mux_video "$WORK/a.wav" "$WORK/a.mp4"
metric() { jq -r "$2" "$1/analytics/performance_metrics.json"; }

# --- the guide's variables -------------------------------------------------
AI_VIDEO_EDITOR_ENABLE_GPU=true AI_VIDEO_EDITOR_GPU_MEMORY_LIMIT=4GB \
  AI_VIDEO_EDITOR_GPU_MEMORY_GROWTH=true AI_VIDEO_EDITOR_API_RETRY_DELAY=5 \
  run_ave process "$WORK/a.mp4" --output "$WORK/env" --asr off "${FAST[@]}"
assert_eq "guide variables: exit code (stderr: $ERR)" "$RC" 0
assert_eq "guide variables: none ignored as unknown" "$(grep -c 'unknown environment variable' "$WORK/stderr")" 0
cfg() { metric "$WORK/env" ".configuration[\"$1\"] | \"\(.value) \(.source)\""; }
assert_eq "ENABLE_GPU is --enable-gpu-acceleration" "$(cfg enable-gpu-acceleration)" "true environment"
assert_eq "GPU_MEMORY_LIMIT=4GB" "$(cfg gpu-memory-limit)" "4 environment"
assert_eq "GPU_MEMORY_GROWTH" "$(cfg gpu-memory-growth)" "true environment"
assert_eq "API_RETRY_DELAY" "$(cfg api-retry-delay)" "5 environment"
assert_eq "the GPU options reach the gpu stage (none 'requested but unavailable')" \
  "$(metric "$WORK/env" '[.requested_unavailable[].option] | sort | join(",")')" ""
assert_eq "ENABLE_GPU asks the gpu stage" "$(metric "$WORK/env" '.gpu.requested')" true
assert_true "GPU_MEMORY_GROWTH is said to have no effect" \
  grep -q "gpu-memory-growth has no effect" "$WORK/stderr"
AI_VIDEO_EDITOR_GPU_MEMORY_LIMIT=lots run_ave process "$WORK/a.mp4" --output "$WORK/bad" "${FAST[@]}"
assert_eq "GPU_MEMORY_LIMIT=lots: exit code" "$RC" 2
assert_true "GPU_MEMORY_LIMIT=lots: says what is accepted" grep -q "512MB, 4GB" "$WORK/stderr"
run_ave process "$WORK/a.mp4" --output "$WORK/mb" --max-memory 512MB --asr off "${FAST[@]}"
assert_eq "--max-memory 512MB (stderr: $ERR)" "$RC" 0
assert_eq "--max-memory 512MB is 0.5 GB" "$(metric "$WORK/mb" '.configuration["max-memory"].value')" 0.5

# --- the resource monitor: RSS and CPU every second, beside the stage timeline
sox -n -r 48000 -c 1 "$WORK/long.wav" synth 6 pinknoise vol 0.05
gen_speech "$WORK/b.wav" "then a few more words after the noise"
sox "$WORK/long.wav" "$WORK/b.wav" "$WORK/mon.wav"
mux_video "$WORK/mon.wav" "$WORK/mon.mp4" -s 1280x720
run_ave process "$WORK/mon.mp4" --output "$WORK/mon" --no-progress --no-cache --quality medium
assert_eq "monitor run (stderr: $ERR)" "$RC" 0
M="$WORK/mon/analytics/performance_metrics.json"
total=$(jq .total_processing_time "$M")
n=$(jq '.resource_monitor.samples | length' "$M")
echo "monitor: $n samples over $total s"
assert_true "about one sample a second ($n over $total s)" \
  awk -v n="$n" -v t="$total" 'BEGIN { exit !(n >= 2 && n >= int(t) && n <= t + 3) }'
assert_eq "samples in time order, a second apart" \
  "$(jq '[.resource_monitor.samples | .[1:-1] as $s | range(1; $s | length) | $s[.].t - $s[. - 1].t
          | select(. < 0.9 or . > 1.5)] | length' "$M")" 0
assert_true "resident memory sampled (MB)" test "$(jq '[.resource_monitor.samples[].rss_mb] | max | floor' "$M")" -ge 20
assert_true "CPU use sampled" test "$(jq '[.resource_monitor.samples[].cpu_percent] | max | floor' "$M")" -ge 20
assert_eq "the memory peak is within the job's measured peak" \
  "$(jq '([.resource_monitor.samples[].rss_mb] | max) <= (.memory_peak_usage / 1048576 + 1)' "$M")" true
assert_eq "every stage that ran has a span on the job's clock" \
  "$(jq '[.stage_timeline[] | select(.end_s < .start_s or .start_s < 0)] | length' "$M")" 0
assert_eq "speech and render are on the timeline" \
  "$(jq -r '[.stage_timeline[].stage] | map(select(. == "speech" or . == "render")) | join(",")' "$M")" speech,render
assert_true "the report plots them" grep -q 'id="rss-line"' "$WORK/mon/analytics/report.html"
assert_true "the report shows the stages on the time axis" grep -q 'class="span" data-stage="render"' "$WORK/mon/analytics/report.html"

# --- taskset: one CPU, one thread where we pick threads ---------------------
if command -v taskset >/dev/null && [ "$(nproc --all)" -ge 2 ]; then
  set +e
  taskset -c 0 "$AVE_BIN" process "$WORK/a.mp4" --output "$WORK/one" "${FAST[@]}" 2>"$WORK/stderr"
  RC=$?
  set -e
  assert_eq "taskset -c 0: exit code ($(cat "$WORK/stderr"))" "$RC" 0
  assert_eq "taskset -c 0: one usable core" "$(metric "$WORK/one" .adaptive.cores)" 1
  assert_eq "taskset -c 0: the machine's cores still known" "$(metric "$WORK/one" .adaptive.online_cores)" "$(nproc --all)"
  assert_eq "taskset -c 0: one codec thread" "$(metric "$WORK/one" .adaptive.threads)" 1
  assert_eq "taskset -c 0: one recogniser thread" "$(metric "$WORK/one" .speech.threads)" 1
  assert_eq "taskset -c 0: no concurrent stages" "$(metric "$WORK/one" '.pipeline.concurrent_stages // [] | length')" 0
  # Without a mask the libraries keep choosing (0: auto).
  run_ave process "$WORK/a.mp4" --output "$WORK/all" "${FAST[@]}"
  assert_eq "no mask: threads left to the libraries" "$(metric "$WORK/all" .adaptive.threads)" 0
fi

# --- a control group with a CPU quota and a memory limit --------------------
# cgroup v2 (cpu.max, memory.max) or v1 (cfs quota, memory.limit_in_bytes),
# whichever this machine mounts; skipped where root cannot make one.
cg_cpu="" cg_mem="" v2=""
if [ "$(id -u)" = 0 ]; then
  name="ave-test-$$"
  if [ -f /sys/fs/cgroup/cgroup.controllers ] && mkdir "/sys/fs/cgroup/$name" 2>/dev/null; then
    v2="/sys/fs/cgroup/$name"
    if echo "50000 100000" >"$v2/cpu.max" 2>/dev/null && echo 1073741824 >"$v2/memory.max" 2>/dev/null; then
      cg_cpu=$v2 cg_mem=$v2
    fi
  elif mkdir "/sys/fs/cgroup/cpu/$name" 2>/dev/null; then
    cg_cpu="/sys/fs/cgroup/cpu/$name"
    echo 50000 >"$cg_cpu/cpu.cfs_quota_us" 2>/dev/null || cg_cpu=""
    if mkdir "/sys/fs/cgroup/memory/$name" 2>/dev/null; then
      cg_mem="/sys/fs/cgroup/memory/$name"
      echo 1073741824 >"$cg_mem/memory.limit_in_bytes" 2>/dev/null || cg_mem=""
    fi
  fi
fi
if [ -n "$cg_cpu" ] && [ -n "$cg_mem" ]; then
  set +e
  sh -c 'echo $$ >"$1/cgroup.procs" && echo $$ >"$2/cgroup.procs" && shift 2 && exec "$@"' sh \
    "$cg_cpu" "$cg_mem" "$AVE_BIN" process "$WORK/a.mp4" --output "$WORK/cg" --asr off "${FAST[@]}" \
    2>"$WORK/stderr"
  RC=$?
  set -e
  assert_eq "in a cgroup: exit code ($(cat "$WORK/stderr"))" "$RC" 0
  assert_eq "in a cgroup: half a CPU is one core" "$(metric "$WORK/cg" .adaptive.cores)" 1
  assert_eq "in a cgroup: the memory limit" "$(metric "$WORK/cg" .adaptive.memory_limit_mb)" 1024
  assert_eq "in a cgroup: the default budget is 3/4 of it" "$(metric "$WORK/cg" .adaptive.memory_budget_mb)" 768
else
  echo "no control group could be made here: the cgroup part is covered by test_cgroup_limits only"
fi
for d in $v2 $cg_cpu $cg_mem; do rmdir "$d" 2>/dev/null || true; done

finish
