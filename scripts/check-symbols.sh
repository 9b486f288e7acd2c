#!/usr/bin/env bash
# The naming rule of docs/ARCHITECTURE.md, checked on the built libave.a:
# every global symbol it defines starts with ave_, so an application that
# links it cannot clash with our internal names. Symbols the library only
# uses (undefined: FFmpeg, libc, the sanitizers' runtime) are not ours and
# are not checked.
# Known exceptions, each with its reason, are listed in
# scripts/symbol-exceptions.txt (one name a line, # comments); an exception
# that no longer occurs fails too, so the list only shrinks.
# usage: scripts/check-symbols.sh LIBAVE_A [REPO_ROOT]   (exit 1 on a violation)
set -euo pipefail
lib=${1:?usage: check-symbols.sh LIBAVE_A [REPO_ROOT]}
root=${2:-$(cd "$(dirname "$0")/.." && pwd)}
exceptions=$root/scripts/symbol-exceptions.txt
NM=${NM:-nm}

# Defined globals (and weak ones), one name a line.
defined=$("$NM" -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sort -u)
allowed=$(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$exceptions" 2>/dev/null | sort -u || true)
status=0

public=$(grep -c '^ave_' <<<"$defined" || true)
if [ "$public" -eq 0 ]; then
  echo "$lib defines no ave_ symbol: not the library, or the partial link lost it"
  exit 1
fi
while read -r name; do
  [ -n "$name" ] || continue
  case $name in ave_*) continue ;; esac
  if ! grep -qxF "$name" <<<"$allowed"; then
    echo "$lib exports $name: public names start with ave_, internal ones must not be global"
    status=1
  fi
done <<<"$defined"
while read -r name; do
  [ -n "$name" ] || continue
  if ! grep -qxF "$name" <<<"$defined"; then
    echo "scripts/symbol-exceptions.txt lists $name, which $lib no longer exports: remove it"
    status=1
  fi
done <<<"$allowed"
[ $status -eq 0 ] && echo "$lib: $public global symbols, all ave_"
exit $status
