#!/usr/bin/env bash
# End to end: `ai-video-editor review`, the editor in a real browser.
# A 9 s generated talk (two flite sentences, a 1.6 s pause, a spoken "um"
# the stand-in ASR server leaves out, so the filler detector finds it by
# ear and, under --filler-confidence 0.95, only suggests it) is processed
# once; then the review server is started on it and
#   - HTTP (curl): no token / a wrong token / another Host -> 403, the token
#     -> 200 and a cookie that then works alone; the media by range -> 206;
#     "..", encoded "..", an encoded slash, a hidden file, a symlink to a
#     file and to a folder outside -> 403, a missing file -> 404; a body over
#     the limit -> 413; a stale save -> 409 with a clear message;
#   - the browser (review_browser.js over the DevTools protocol, Debian's
#     chromium): plays the source (range seeks), a click on the kept word
#     "rainbow" cuts it, the suggested filler is accepted, "raindrop" is
#     corrected to "droplet" by double-click and typing, Ctrl+Z / Ctrl+Shift+Z
#     undo and redo it, Save, Render (progress, then the page reloads);
#   - the files: timeline.json gained a manual cut over "rainbow" and a filler
#     cut where the suggestion was, transcript.txt carries "droplet", the
#     rendered subtitles carry it too, and the new video lasts what the page
#     said it would keep;
#   - one render at a time (a second start -> 409).
# Screenshots: AVE_REVIEW_KEEP=DIR keeps them (and the output folder).
# Skipped (77) without chromium or the DevTools client (scripts/install-deps.sh).
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
CRI="$(dirname "$0")/../browser/node_modules/chrome-remote-interface"
if [ -z "$CHROMIUM" ] || ! command -v node >/dev/null || [ ! -d "$CRI" ]; then
  echo "test_review: chromium, node or chrome-remote-interface missing (scripts/install-deps.sh); skipped"
  finish
  exit 77
fi

# --- media: sentence, 1.6 s pause, "um", 0.4 s, sentence (rainbow_talk.sh) -------
. "$(dirname "$0")/rainbow_talk.sh"
gen_rainbow_talk "$WORK/talk.mp4"

rainbow_response without-um
python3 "$(dirname "$0")/asr_server.py" "$WORK/response.json" "$WORK/asr.log" "$WORK/port" &
asr=$!
review=
cleanup() {
  kill "$asr" 2>/dev/null || true
  [ -n "$review" ] && kill -INT "$review" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done

OUTD="$WORK/out"
set +e
AI_VIDEO_EDITOR_ASR_API_KEY=sk-review-test "$AVE_BIN" process "$WORK/talk.mp4" --output "$OUTD" \
  --no-progress --quality low --no-measure-quality --filler-confidence 0.95 --asr http \
  --asr-url "http://127.0.0.1:$(cat "$WORK/port")" >"$WORK/stdout" 2>"$WORK/stderr"
RC=$?
set -e
assert_eq "process exit code (stderr: $(cat "$WORK/stderr"))" "$RC" 0
[ "$RC" = 0 ] || { finish; exit 1; }
assert_eq "the filler is suggested, not cut" \
  "$(jq '[.segments[] | select(.action == "suggest")] | length' "$OUTD/timeline.json")" 1
SUGG_START=$(jq '[.segments[] | select(.action == "suggest")][0].start' "$OUTD/timeline.json")
DUR_BEFORE=$(media_duration "$OUTD/video/edited.mp4")

# --- the server ------------------------------------------------------------------
"$AVE_BIN" review "$OUTD" >"$WORK/review.out" 2>"$WORK/review.err" &
review=$!
for _ in $(seq 100); do grep -q 'token=' "$WORK/review.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/?token=[0-9a-f]*' "$WORK/review.out" || true)
assert_true "review prints its URL ($(cat "$WORK/review.out" "$WORK/review.err"))" test -n "$URL"
[ -n "$URL" ] || { finish; exit 1; }
BASE=${URL%%/\?*}
TOKEN=${URL##*token=}
assert_eq "token is 32 hex digits" "${#TOKEN}" 32
# Loopback only: the same port on this machine's other address refuses.
OTHER_IP=$(hostname -I 2>/dev/null | awk '{print $1}')
if [ -n "$OTHER_IP" ]; then
  assert_eq "not reachable on $OTHER_IP" \
    "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$OTHER_IP:${BASE##*:}/?token=$TOKEN" || true)" 000
fi

code() { curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@"; }
assert_eq "page without token" "$(code "$BASE/")" 403
assert_eq "page with a wrong token" "$(code "$BASE/?token=0123456789abcdef0123456789abcdef")" 403
assert_eq "media without token" "$(code "$BASE/media/talk.mp4")" 403
assert_eq "API without token" "$(code -X POST --data '{}' "$BASE/api/save")" 403
assert_eq "another Host (DNS rebinding)" "$(code -H 'Host: evil.example:80' "$URL")" 403
curl -s -c "$WORK/cookies" -o "$WORK/page.html" -w '%{http_code}' "$URL" >"$WORK/code"
assert_eq "page with the token" "$(cat "$WORK/code")" 200
assert_true "the page is the report with the editor" grep -q 'id="edit-data"' "$WORK/page.html"
assert_true "the cookie is HttpOnly" grep -q '#HttpOnly_127.0.0.1' "$WORK/cookies"
C=(-b "$WORK/cookies")
assert_eq "the cookie alone" "$(code "${C[@]}" "$BASE/api/edit")" 200
assert_eq "media range" "$(code "${C[@]}" -H 'Range: bytes=100-1099' "$BASE/media/talk.mp4")" 206
assert_eq "media range length" \
  "$(curl -s "${C[@]}" -H 'Range: bytes=100-1099' "$BASE/media/talk.mp4" | wc -c)" 1000
assert_eq "range past the end" "$(code "${C[@]}" -H 'Range: bytes=999999999-' "$BASE/media/talk.mp4")" 416
assert_eq "another name under media/" "$(code "${C[@]}" "$BASE/media/other.mp4")" 404
assert_eq "an output file" "$(code "${C[@]}" "$BASE/subtitles/edited.srt")" 200

# --- escapes -----------------------------------------------------------------------
echo secret >"$WORK/secret.txt"
mkdir -p "$WORK/outside" && echo secret >"$WORK/outside/x.txt"
ln -s "$WORK/secret.txt" "$OUTD/link.txt"
ln -s "$WORK/outside" "$OUTD/linkdir"
assert_eq ".." "$(code "${C[@]}" "$BASE/../secret.txt")" 403
assert_eq "../ deeper" "$(code "${C[@]}" "$BASE/subtitles/../../secret.txt")" 403
assert_eq "encoded .." "$(code "${C[@]}" "$BASE/%2e%2e/secret.txt")" 403
assert_eq "encoded slash" "$(code "${C[@]}" "$BASE/subtitles%2f..%2f..%2fsecret.txt")" 403
assert_eq "backslash" "$(code "${C[@]}" "$BASE/..%5csecret.txt")" 403
assert_eq "hidden file" "$(code "${C[@]}" "$BASE/.ave-outputs.json")" 403
assert_eq "symlink to a file outside" "$(code "${C[@]}" "$BASE/link.txt")" 403
assert_eq "symlink to a folder outside" "$(code "${C[@]}" "$BASE/linkdir/x.txt")" 403
assert_eq "missing file" "$(code "${C[@]}" "$BASE/nothing.txt")" 404
assert_eq "a folder" "$(code "${C[@]}" "$BASE/subtitles")" 403
assert_eq "PUT" "$(code "${C[@]}" -X PUT --data x "$BASE/api/save")" 405
rm -f "$OUTD/link.txt" "$OUTD/linkdir"
head -c $((17 << 20)) /dev/zero >"$WORK/big"
assert_eq "body over the limit" \
  "$(code "${C[@]}" -X POST -H 'Content-Type: application/json' --data-binary @"$WORK/big" "$BASE/api/save")" 413
assert_eq "save: not JSON" "$(code "${C[@]}" -X POST --data 'nope' "$BASE/api/save")" 400

# --- the browser ---------------------------------------------------------------------
TL_BEFORE=$(cat "$OUTD/timeline.json")
ETAG_BEFORE=$(curl -s "${C[@]}" "$BASE/api/edit" | jq -r .etag)
if node "$(dirname "$0")/review_browser.js" "$CHROMIUM" "$URL" "$WORK" rainbow raindrop droplet \
  >"$WORK/browser.json" 2>"$WORK/browser.err"; then
  pass
else
  fail "browser: $(cat "$WORK/browser.err") $(cat "$WORK/browser.json")"
fi
B="$WORK/browser.json"
jqb() { jq -r "$1" "$B" 2>/dev/null; }
echo "browser: $(cat "$B")"
assert_eq "the page is in served mode" "$(jqb .served_mode)" true
assert_near "the video plays in the page (duration)" "$(jqb .video_duration)" 9.07 0.1
assert_near "seeking by range" "$(jqb .seeked)" 5 0.1
assert_eq "the clicked word was kept" "$(jqb .cut_word_was_kept)" true
assert_true "dragging the cut's end moves it right ($(jqb .drag_end_before) -> $(jqb .drag_end_after))" \
  awk -v a="$(jqb .drag_end_after)" -v b="$(jqb .drag_end_before)" 'BEGIN { exit !(a > b + 0.1) }'
assert_near "the drag took the time from the kept part" "$(jqb .drag_kept_delta)" \
  "$(awk -v a="$(jqb .drag_end_after)" -v b="$(jqb .drag_end_before)" 'BEGIN { print a - b }')" 0.0001
assert_true "the dragged edge snapped to a frame or a word edge ($(jqb .drag_snapped))" \
  test "$(jqb .drag_snapped)" = frame -o "$(jqb .drag_snapped)" = word
assert_eq "undo of the drag" "$(jqb .drag_undone)" true
assert_eq "one suggestion offered" "$(jqb .suggestions)" 1
assert_eq "undo" "$(jqb .undo_restored)" true
assert_eq "redo" "$(jqb .redo_applied)" true
assert_true "saved ($(jqb .save_status))" grep -q '"save_status":"ok:' "$B"
assert_true "render progress shown ($(jqb .render_progress_seen))" test -n "$(jqb .render_progress_seen)"
assert_eq "corrected word after the reload" "$(jqb .fixed_word_after_render)" true
assert_eq "cut word still cut after the reload" "$(jqb .cut_word_after_render)" true
assert_eq "no suggestion left after the render" "$(jqb .suggestions_after_render)" 0
assert_eq "the waveform is still drawn after the render" "$(jqb .waveform_after_render)" true

# --- what was saved and rendered ---------------------------------------------------------
T="$OUTD/timeline.json"
RBM=$(jq '.words[] | select(.text == "rainbow") | (.start + .end) / 2' "$OUTD/transcript.json")
assert_true "timeline.json: a manual cut over \"rainbow\" (middle $RBM)" \
  jq -e --argjson m "$RBM" \
  '[.segments[] | select(.action == "cut" and .reason == "manual" and .start <= $m and .end >= $m)] | length == 1' "$T"
assert_true "timeline.json: the suggestion became a filler cut (at $SUGG_START)" \
  jq -e --argjson s "$SUGG_START" \
  '[.segments[] | select(.action == "cut" and .reason == "filler" and .start <= $s + 0.05 and .end > $s + 0.05)] | length == 1' "$T"
assert_true "transcript.txt: the cut word in brackets" grep -q '\[rainbow\]' "$OUTD/transcript.txt"
assert_true "transcript.txt: the correction" grep -q 'droplet' "$OUTD/transcript.txt"
assert_true "subtitles: the correction" grep -q 'droplet' "$OUTD/subtitles/edited.srt"
assert_true "subtitles: not the old word" bash -c "! grep -q raindrop '$OUTD/subtitles/edited.srt'"
assert_true "subtitles: the cut word is gone" bash -c "! grep -q rainbow '$OUTD/subtitles/edited.srt'"
DUR_AFTER=$(media_duration "$OUTD/video/edited.mp4")
assert_near "new video lasts what the page kept" "$DUR_AFTER" "$(jqb .kept_after_edit)" 0.1
assert_true "the new video is shorter ($DUR_BEFORE -> $DUR_AFTER)" \
  awk -v a="$DUR_AFTER" -v b="$DUR_BEFORE" 'BEGIN { exit !(a < b - 0.3) }'
assert_true "timeline.json changed" test "$TL_BEFORE" != "$(cat "$T")"

# A page still holding the old version is refused, and nothing is written.
BODY=$(jq -c --arg e "$ETAG_BEFORE" '{base: $e, segments: [.segments[] | {start: .start, "end": .end, action: .action, reason: .reason}]}' "$T")
curl -s "${C[@]}" -X POST -H 'Content-Type: application/json' --data "$BODY" \
  -o "$WORK/stale.json" -w '%{http_code}' "$BASE/api/save" >"$WORK/code"
assert_eq "stale save" "$(cat "$WORK/code")" 409
assert_true "stale save says so ($(cat "$WORK/stale.json"))" grep -q 'stale edit' "$WORK/stale.json"

# One render at a time.
assert_eq "render start" "$(code "${C[@]}" -X POST "$BASE/api/render")" 202
assert_eq "second render refused" "$(code "${C[@]}" -X POST "$BASE/api/render")" 409
for _ in $(seq 600); do
  [ "$(curl -s "${C[@]}" "$BASE/api/render" | jq -r .state)" != running ] && break
  sleep 0.2
done
assert_eq "the render finished" "$(curl -s "${C[@]}" "$BASE/api/render" | jq -r .state)" done

# Without the server: the page from disk still edits, playing the input by
# its file URL, without Save and Render (Download edit instead).
timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
  --user-data-dir="$WORK/p-disk" --virtual-time-budget=3000 --dump-dom \
  "file://$OUTD/analytics/report.html" >"$WORK/disk.html" 2>>"$WORK/chromium.log" || true
assert_true "from disk: the editor starts" grep -q 'data-editor="ready"' "$WORK/disk.html"
assert_true "from disk: plays the input from its path" grep -q "src=\"file://$WORK/talk.mp4\"" "$WORK/disk.html"
assert_true "from disk: no Save button" grep -q 'id="ed-save" hidden' "$WORK/disk.html"
assert_true "from disk: Download edit offered" grep -q 'id="ed-download"' "$WORK/disk.html"
assert_true "from disk: the words, the cut one marked" grep -q 'class="ew cut"[^>]*>rainbow<' "$WORK/disk.html"

kill -INT "$review"
wait "$review" && RRC=0 || RRC=$?
review=
assert_eq "Ctrl-C stops the server" "$RRC" 0
if [ -n "${AVE_REVIEW_KEEP:-}" ]; then
  mkdir -p "$AVE_REVIEW_KEEP"
  cp "$WORK"/review-*.png "$AVE_REVIEW_KEEP/" 2>/dev/null || true
fi
finish
