#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzzing build (make fuzz) for
# FUZZ_SECONDS each, under ASan+UBSan with leak checks, starting from the
# committed seeds (corpus/<name>/) and the regression inputs (regress/<name>/).
# New interesting inputs go to BUILD/fuzz-corpus/<name>/ (kept between runs,
# never committed); a crash, leak, UB report or failed FUZZ_CHECK leaves its
# input in BUILD/fuzz-artifacts/ and makes this script fail after all
# targets ran. Usage: run.sh BUILD_DIR [TARGET...]
set -uo pipefail
build=${1:?usage: run.sh BUILD_DIR [TARGET...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in "$here"/fuzz_*.c; do
    targets+=("$(basename "$src" .c)")
  done
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$here/../lsan.supp
mkdir -p "$build/fuzz-artifacts"
failed=()
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  corpus="$build/fuzz-corpus/$name"
  mkdir -p "$corpus"
  dirs=("$corpus" "$here/corpus/$name")
  [ -d "$here/regress/$name" ] && dirs+=("$here/regress/$name")
  log="$build/fuzz-$name.log"
  echo "fuzz: $name for ${seconds} s"
  # -rss_limit_mb: the parsers cap their own sizes; 2 GB means a runaway.
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 \
    -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$build/fuzz-artifacts/$name-" \
    "${dirs[@]}" >"$log" 2>&1 &
  pid=$!
  wait "$pid"
  rc=$?
  # Scratch files of a target that crashed or was stopped (see fuzz.h).
  rm -rf /tmp/ave-fuzz-*-"$pid"-* /dev/shm/ave-fuzz-*-"$pid"-*
  if [ "$rc" -eq 0 ]; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" |
      sed "s/^/fuzz: $name /"
    grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1 | sed "s/^/fuzz: $name /"
  else
    echo "fuzz: $name FAILED (log: $log)"
    grep -E 'ERROR|FUZZ_CHECK|runtime error|Test unit written' "$log" | head -5 | sed "s/^/  /"
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} target(s) ran ${seconds} s each without a finding"
