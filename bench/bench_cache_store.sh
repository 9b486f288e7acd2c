#!/usr/bin/env bash
# Benchmark: a cache store on a large results cache, before and after the
# layout change of issue 19 (not a test: no pass/fail).
# Builds bench_cache_store twice in one run: with this tree's src/cache
# ("after") and with src/cache of BASE ("before"; default: the commit before
# layout 2), linked against the same libave otherwise. Each gets a cache of
# ENTRIES blobs of BLOB_KIB (default 2000 x 512 KiB = 1 GiB), then times
# STORES stores with room to spare, STORES stores that each evict, and
# STORES lookups (bench/bench_cache_store.c). "After" fills its cache through
# the API (timed); "before" is filled directly in layout 1 with python's
# sqlite3, because filling it through its own API re-reads the whole cache on
# every store (the problem measured here) and would take hours.
# Usage: bench/bench_cache_store.sh [build] [ENTRIES] [BLOB_KIB] [STORES]
set -euo pipefail
build=${1:-build}
entries=${2:-2000}
kib=${3:-512}
stores=${4:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
base=${BASE:-$(git -C "$root" log -1 --format=%H -S'CACHE_SCHEMA_VERSION 2' \
  -- src/cache/cache_internal.h)^}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --build "$build" --target bench_cache_store >/dev/null

# The old cache module, compiled on its own and linked ahead of libave.a, so
# the linker takes its ave_cache_* and never pulls the new cache objects.
mkdir -p "$work/old/cache"
objs=()
for f in $(git -C "$root" ls-tree --name-only "$base" src/cache/); do
  git -C "$root" show "$base:$f" >"$work/old/cache/$(basename "$f")"
done
# The library's own compile flags; the old folder first, so its
# cache/cache_internal.h wins.
flags() { sed -n "s/^$1 = //p" "$build/CMakeFiles/ave.dir/flags.make"; }
for f in "$work"/old/cache/*.c; do
  o="$work/$(basename "$f" .c).o"
  # shellcheck disable=SC2046
  cc $(flags C_DEFINES) -I"$work/old" $(flags C_INCLUDES) $(flags C_FLAGS) -c "$f" -o "$o"
  objs+=("$o")
done
link=$(cat "$build/CMakeFiles/bench_cache_store.dir/link.txt")
link=${link/-o bench_cache_store/${objs[*]} -o $work/bench_cache_store_old}
(cd "$build" && eval "$link")

# Layout 1 as BASE wrote it: the same sizes, kinds and lifetimes as the fill
# in bench_cache_store.c.
python3 - "$work/before/cache.db" "$entries" "$kib" <<'EOF'
import os, sqlite3, sys, time
path, n, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(os.path.dirname(path))
db = sqlite3.connect(path)
db.execute("PRAGMA journal_mode=WAL")
db.executescript("""
CREATE TABLE entries(key TEXT PRIMARY KEY, kind INTEGER NOT NULL, data BLOB NOT NULL,
  size INTEGER NOT NULL, checktext TEXT, created INTEGER NOT NULL,
  accessed INTEGER NOT NULL, expires INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX entries_seq ON entries(seq);
CREATE TABLE counters(kind INTEGER PRIMARY KEY, hits INTEGER NOT NULL DEFAULT 0,
  misses INTEGER NOT NULL DEFAULT 0, bytes_saved INTEGER NOT NULL DEFAULT 0,
  evictions INTEGER NOT NULL DEFAULT 0);
PRAGMA user_version = 1;
""")
now = int(time.time())
blob = bytes((i * 2654435761 >> 11) & 0xff for i in range(kib * 1024))
with db:
    for i in range(n):
        data = i.to_bytes(4, "little") + blob[4:]
        kind = 0 if i % 10 == 0 else 2
        db.execute("INSERT INTO entries VALUES(?,?,?,?,?,?,?,?,?)",
                   (f"fill-{i}", kind, data, len(data), "check", now, now,
                    now + 3600 if kind == 0 else 0, i + 1))
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.close()
EOF

echo "== before: src/cache of $(git -C "$root" rev-parse --short "$base") (layout 1), $(nproc) cores"
"$work/bench_cache_store_old" "$work/before" "$stores" "$kib" | tee "$work/before.txt"
echo "== upgrade: this tree opening that layout-1 cache (rebuilt empty at open)"
"$build/bench_cache_store" "$work/before" 1 "$kib" 2>&1 | grep -v "^store\|^lookup\|^evictions"
echo "   file after the upgrade: $(du -m "$work/before/cache.db" | cut -f1) MiB (cache vacuum returns the space)"
rm -rf "$work/before"
echo "== after: this tree (layout 2)"
"$build/bench_cache_store" "$work/after" "$stores" "$kib" "$entries" | tee "$work/after.txt"
echo "== before / after (mean per operation)"
for phase in "store, room to spare" "store, evicting" "lookup (hit)"; do
  b=$(awk -v p="$phase" 'index($0, p) == 1 { print $(NF - 7) }' "$work/before.txt")
  a=$(awk -v p="$phase" 'index($0, p) == 1 { print $(NF - 7) }' "$work/after.txt")
  awk -v p="$phase" -v b="$b" -v a="$a" \
    'BEGIN { printf "%-22s %9.2f ms -> %7.2f ms  (%.0fx)\n", p, b, a, b / a }'
done
