#!/usr/bin/env bash
# Content intelligence on a longer generated lecture (4 topics of ~35 s of
# flite speech: ocean, computer memory, coffee, football): chapter boundary
# errors against the true topic changes, the share within 15 s, titles that
# name a top-3 keyphrase, tag rules and the time the content stage took.
# A measurement, not a test: prints numbers and always exits 0 when it ran.
# Usage: bench/bench_content.sh [path/to/ai-video-editor]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
AVE_BIN=${1:-${AVE_BIN:-$here/../build/ai-video-editor}}
export AVE_BIN
. "$here/../tests/e2e/lib.sh"
. "$here/../tests/e2e/content_lecture.sh"

gen_lecture "$WORK/lecture.mp4" "$WORK/truth" 4
echo "lecture: $(media_duration "$WORK/lecture.mp4") s, topics start at $(cut -d' ' -f2 "$WORK/truth" | tr '\n' ' ')"
t0=$(date +%s.%N)
run_ave process "$WORK/lecture.mp4" --output "$WORK/out" --no-progress --type educational \
  --quality low --no-enhance --min-chapter-length 20
t1=$(date +%s.%N)
[ "$RC" = 0 ] || { echo "process failed: $ERR"; exit 1; }
meta="$WORK/out/metadata/metadata.json"
m="$WORK/out/analytics/performance_metrics.json"
echo "process: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, content stage: $(jq '.module_processing_times.content // "?"' "$m") s"
echo "chapters: $(jq -c '[.chapters[] | {start, title}]' "$meta")"
jq -r '.chapters[1:][] | .start' "$meta" >"$WORK/found"
awk 'NR == FNR { if ($1 > 1) t[++n] = $2; next } { f[++m] = $1 }
  END {
    for (i = 1; i <= n; i++) {
      best = 1e9; for (j = 1; j <= m; j++) { d = f[j] - t[i]; if (d < 0) d = -d; if (d < best) best = d }
      printf "topic change at %6.1f s: nearest boundary %s\n", t[i], best < 1e9 ? sprintf("%.1f s off", best) : "none"
      if (best <= 15) hit++; sum += best < 1e9 ? best : 0
    }
    printf "boundaries within 15 s: %d of %d (%.0f%%), found %d, mean error %.1f s\n",
      hit, n, 100 * hit / n, m, n ? sum / n : 0
  }' "$WORK/truth" "$WORK/found"
top3=$(jq -r '[.keyphrases[:3][] | .text] | join("|")' "$meta")
named=0
while read -r t; do grep -qiE "$top3" <<<"$t" && named=$((named + 1)); done < <(jq -r '.titles[].text' "$meta")
echo "top-3 keyphrases: $top3"
echo "titles naming a top-3 keyphrase: $named of 5; 50-60 chars: $(jq '[.titles[] | select(.length >= 50 and .length <= 60)] | length' "$meta") of 5; scores $(jq -c '[.titles[].score]' "$meta")"
echo "tags: $(jq '.tags | length' "$meta") (over 20 chars: $(jq '[.tags[] | select(.text | length > 20)] | length' "$meta")); summary $(jq '.summary | length' "$meta") chars; concepts $(jq -c '[.concepts[] | .kind] | group_by(.) | map({(.[0]): length}) | add' "$meta")"
finish >/dev/null
