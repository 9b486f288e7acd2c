#!/usr/bin/env bash
# The include rules of docs/ARCHITECTURE.md, checked on every file of src/:
#   - a stage (every folder of src/ but base, core, config, cache and pipeline)
#     includes no other stage's headers: stages talk through the job;
#   - base, core, config and cache include no stage and not the pipeline
#     (which of them calls which is checked on the objects: check-layers.py);
#   - nothing in src/ includes tools/ (the CLI) or climbs out with "../".
# Known exceptions, each with the reason it still stands, are listed in
# scripts/include-exceptions.txt as "FILE HEADER"; an exception that no
# longer occurs fails too, so the list only shrinks.
# usage: scripts/check-includes.sh [REPO_ROOT]   (exit 1 on a violation)
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
shared=" base core config cache "
exceptions=scripts/include-exceptions.txt
found=$(mktemp)
trap 'rm -f "$found"' EXIT
status=0

for f in src/*/*.[ch]; do
  own=$(basename "$(dirname "$f")")
  # The quoted includes of f, one per line.
  { grep -o '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*"' "$f" || true; } |
    sed 's/.*"\(.*\)"/\1/' |
    while read -r inc; do
      case $inc in
      tools/* | ../*) echo "$f $inc: src/ must not include the CLI or climb out of src/" ;;
      */*)
        dir=${inc%%/*}
        if [ "$dir" = ave ] || [ "$dir" = "$own" ] || [ ! -d "src/$dir" ]; then
          continue
        fi
        if [[ $shared == *" $own "* ]]; then
          [[ $shared == *" $dir "* ]] || echo "$f $inc: $own is below the stages and the pipeline"
        elif [[ $shared != *" $dir "* ]] && [ "$own" != pipeline ]; then
          echo "$f $inc: stage $own reaches into $dir"
        fi
        ;;
      esac
    done
done | sort >"$found"

# The listed exceptions as "FILE HEADER" lines (none is fine).
listed=$( { grep -v '^#' "$exceptions" || true; } | awk 'NF { print $1, $2 }')
while read -r line; do
  [ -n "$line" ] || continue
  key=${line%%:*}
  if [ -n "$listed" ] && grep -qxF "$key" <<<"$listed"; then
    continue
  fi
  echo "include rule: $line" >&2
  status=1
done <"$found"
# Stale exceptions.
while read -r key; do
  [ -n "$key" ] || continue
  if ! grep -q "^$key:" "$found"; then
    echo "include rule: exception no longer needed, remove it from $exceptions: $key" >&2
    status=1
  fi
done <<<"$listed"
if [ $status -eq 0 ]; then
  n=$(grep -c . <<<"$listed" || true)
  echo "include rules: $(ls src/*/*.[ch] | wc -l) files checked, $n known exception(s)"
fi
exit $status
