#!/usr/bin/env bash
# The naming rule of docs/ARCHITECTURE.md, checked on the built libave.a:
#   - every global symbol it defines starts with ave_, so an application
#     that links it cannot clash with our internal names;
#   - and is named in include/ave/ (scripts/public-names.sh), so an
#     application cannot call an internal ave_ function either.
# Symbols the library only uses (undefined: FFmpeg, libc, the sanitizers'
# runtimes) are not ours and are not checked.
# Known exceptions, each with its reason, are listed in
# scripts/symbol-exceptions.txt (one name a line, # comments; none today);
# an exception that no longer occurs fails too, so the list only shrinks.
# usage: scripts/check-symbols.sh LIBAVE_A [REPO_ROOT]   (exit 1 on a violation)
set -euo pipefail
lib=${1:?usage: check-symbols.sh LIBAVE_A [REPO_ROOT]}
root=${2:-$(cd "$(dirname "$0")/.." && pwd)}
exceptions=$root/scripts/symbol-exceptions.txt
NM=${NM:-nm}

# Defined globals (and weak ones), one name a line.
defined=$("$NM" -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | LC_ALL=C sort -u)
public=$(bash "$root/scripts/public-names.sh" "$root")
allowed=""
if [ -f "$exceptions" ]; then
  allowed=$(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$exceptions" | LC_ALL=C sort -u)
fi
status=0

count=$(grep -c '^ave_' <<<"$defined" || true)
if [ "$count" -eq 0 ]; then
  echo "$lib defines no ave_ symbol: not the library, or the partial link lost it"
  exit 1
fi
while read -r name; do
  [ -n "$name" ] || continue
  grep -qxF "$name" <<<"$allowed" && continue
  case $name in
  ave_*)
    grep -qxF "$name" <<<"$public" ||
      { echo "$lib exports $name, which include/ave/ does not declare: internal names must not be global"; status=1; } ;;
  *) echo "$lib exports $name: public names start with ave_, internal ones must not be global"; status=1 ;;
  esac
done <<<"$defined"
while read -r name; do
  [ -n "$name" ] || continue
  if ! grep -qxF "$name" <<<"$defined"; then
    echo "scripts/symbol-exceptions.txt lists $name, which $lib no longer exports: remove it"
    status=1
  fi
done <<<"$allowed"
[ $status -eq 0 ] && echo "$lib: $count global symbols, all public ave_ names"
exit $status
