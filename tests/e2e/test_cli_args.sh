#!/usr/bin/env bash
# Argument errors travel up to main as codes (issue 19, item 9): every bad
# flag of every command is one line on stderr and exit 2, --help exits 0,
# and batch's own flags come from an option table (parsed, range-checked and
# listed in its --help from the table). No media needed: all of this is
# decided before any input is opened.
. "$(dirname "$0")/lib.sh"

usage_error() { # label, expected stderr fragment, command...
  local label=$1 want=$2
  shift 2
  run_ave "$@"
  assert_eq "$label: exit code (stderr: $ERR)" "$RC" 2
  assert_eq "$label: one line on stderr" "$(printf '%s\n' "$ERR" | grep -c .)" 1
  assert_true "$label: says '$want' ($ERR)" grep -qF -- "$want" "$WORK/stderr"
}

usage_error "no command" "missing command"
usage_error "unknown command" "unknown command 'frobnicate'" frobnicate
usage_error "unknown short option" "unknown option -x" process -x in.mp4
usage_error "flag without value" "--quality needs a value" process in.mp4 --quality
usage_error "bad enum" "--quality" process in.mp4 --quality best
usage_error "process without input" "no input file given" process
usage_error "enhance arity" "needs exactly an input and an output" enhance in.mp4
usage_error "enhance output type" "unsupported output type" enhance in.mp4 out.xyz
usage_error "render arity" "give one output folder" render
usage_error "cache action" "unknown cache action 'polish'" cache polish
usage_error "bad profile" "profile" process in.mp4 --profile no_such_profile

usage_error "batch without input" "no input folder or file given" batch
usage_error "batch bad engine" "--engine: 'foo' is not one of local|slurm" batch "$WORK" --engine foo
usage_error "batch out of range" "--retries: 99 is above the maximum 20" batch "$WORK" --retries 99
usage_error "batch missing value" "--max-parallel needs a value" batch "$WORK" --max-parallel
usage_error "batch slurm-only flag" "--partition needs --engine slurm" batch "$WORK" --partition p
usage_error "batch local parallel cap" "at most 256 local jobs" batch "$WORK" --max-parallel 300
usage_error "batch bad process flag" "--quality" batch "$WORK" --quality best

run_ave batch --help
assert_eq "batch --help exit code" "$RC" 0
for flag in max-parallel retries retry-backoff kill-grace recursive engine partition dry-run status; do
  assert_true "batch --help lists --$flag" grep -q -- "--$flag" "$WORK/stdout"
done
assert_eq "batch --help lines fit 80 columns" "$(awk 'length > 80' "$WORK/stdout" | wc -l)" 0
run_ave process --help
assert_eq "process --help exit code" "$RC" 0
run_ave --version
assert_eq "--version exit code" "$RC" 0
finish
