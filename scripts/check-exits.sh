#!/usr/bin/env bash
# Who may end the process (docs/ARCHITECTURE.md): the library never does,
# and the CLI only by returning from main, so errors travel up as codes.
# The one exception is the hard --timeout (tools/cli_args.c, cli_overdue):
# a job stuck in a call that cannot be interrupted, its partial results
# already removed, cannot return. Fails on any other exit/_exit/abort call.
# usage: scripts/check-exits.sh [REPO_ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
found=$(grep -nE '(^|[^_a-zA-Z0-9])(exit|_exit|_Exit|quick_exit|abort)[[:space:]]*\(' \
  src/*/*.c tools/*.c | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' |
  grep -vE '^tools/cli_args\.c:[0-9]+:[[:space:]]*_exit\(AVE_EXIT_TIMEOUT\);$' || true)
if [ -n "$found" ]; then
  printf 'exit rule: only main ends the process:\n%s\n' "$found" >&2
  exit 1
fi
