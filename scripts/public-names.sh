#!/usr/bin/env bash
# The public API's names: every ave_ identifier in include/ave/*.h, one a
# line, sorted, to OUT or stdout. The build keeps exactly these global in
# libave.a (types and macros in the list match no symbol and do nothing);
# check-symbols.sh compares the archive with the same list.
# usage: scripts/public-names.sh [REPO_ROOT [OUT]]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
out=${2:-/dev/stdout}
grep -ohw 'ave_[A-Za-z0-9_]*' "$root"/include/ave/*.h | LC_ALL=C sort -u >"$out"
