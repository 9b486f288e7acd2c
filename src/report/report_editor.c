/* The "Edit" section: the report as an editor (docs/REVIEW.md). The page
 * plays the source with the current cuts skipped, shows the playhead on the
 * waveform strip, and lets the viewer cut and restore words, accept or
 * reject suggested fillers, drag cut edges, correct words, undo and redo.
 *
 * This file writes the markup and the edit's data: timeline.json exactly as
 * this run writes it (suggestions included), the words as transcript.json
 * has them, the frame grid and the input's name and file URL. The script
 * (report_editor_js.c) does the rest in the browser. Served by `review`,
 * the page reads the folder's current files from the server instead and can
 * save and render; opened from disk it previews the edit and offers it as a
 * download. JSON inside <script> has every '<' escaped (\u003c), so no text
 * of the run can close the element. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/report.h"

static const char editor_style[] =
    "#editor .edgrid{display:grid;grid-template-columns:minmax(0,1.2fr) minmax(0,1fr);gap:16px}\n"
    "#editor video{width:100%;border-radius:12px;background:#111;aspect-ratio:16/9}\n"
    "#editor .nomedia{display:none;color:var(--muted);font-size:.9rem}\n"
    ".edbar{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}\n"
    ".edbar button{border:1px solid var(--line);background:#fff;border-radius:8px;padding:4px 11px;"
    "font:inherit;font-size:.85rem;cursor:pointer}\n"
    ".edbar button:hover:not(:disabled){border-color:var(--accent);color:var(--accent)}\n"
    ".edbar button.primary{background:var(--accent);border-color:var(--accent);color:#fff}\n"
    ".edbar button:disabled{opacity:.45;cursor:default}\n"
    "#ed-status{font-size:.88rem;color:var(--muted);min-height:1.4em}\n"
    "#ed-status.err{color:var(--manual);font-weight:600}\n"
    "#ed-status.ok{color:var(--good)}\n"
    ".progress{height:8px;border-radius:4px;background:var(--bg);overflow:hidden;display:none}\n"
    ".progress i{display:block;height:100%;width:0;background:var(--accent);transition:width .3s}\n"
    ".edstrip{position:relative;margin:26px 0 4px;height:120px;border-radius:10px;"
    "background:#fafbfd;user-select:none;cursor:pointer}\n"
    ".edstrip svg{position:absolute;inset:0;width:100%;height:100%}\n"
    ".edstrip .cut{position:absolute;top:0;bottom:0;background:rgba(224,82,74,.22);"
    "border-top:6px solid var(--manual)}\n"
    ".edstrip .cut.r-silence{background:rgba(111,155,216,.25);border-top-color:var(--silence)}\n"
    ".edstrip .cut.r-filler{background:rgba(240,150,46,.25);border-top-color:var(--filler)}\n"
    ".edstrip .cut.r-stutter{background:rgba(166,107,214,.25);border-top-color:var(--stutter)}\n"
    ".edstrip .sugg{position:absolute;top:0;bottom:0;border:2px dashed var(--filler)}\n"
    ".edstrip .h{position:absolute;top:0;bottom:0;width:10px;margin-left:-5px;cursor:ew-resize;"
    "z-index:2}\n"
    ".edstrip .h:after{content:'';position:absolute;left:4px;top:30%;bottom:30%;width:2px;"
    "background:#1c2233;border-radius:1px}\n"
    ".edstrip .ph{position:absolute;top:-6px;bottom:-6px;width:2px;background:#111;z-index:3;"
    "pointer-events:none}\n"
    ".edwords{max-height:420px;overflow-y:auto;border:1px solid var(--line);border-radius:12px;"
    "padding:8px 12px;line-height:2}\n"
    ".edwords p{margin:0 0 6px}\n"
    ".ew{cursor:pointer;border-radius:4px;padding:1px 2px}\n"
    ".ew:hover{background:#eef0ff}\n"
    ".ew.cut{color:#8c94a5;text-decoration:line-through 2px var(--manual);background:#fbe9e8}\n"
    ".ew.sugg{border-bottom:2px dashed var(--filler)}\n"
    ".ew.fixed{box-shadow:inset 0 -2px 0 var(--good)}\n"
    ".ew.now{background:#ffe58a}\n"
    ".ew input{font:inherit;width:8em}\n"
    "#ed-suggestions li{margin:4px 0}\n"
    "#ed-suggestions button{margin-left:6px;border:1px solid var(--line);background:#fff;"
    "border-radius:6px;font:inherit;font-size:.8rem;cursor:pointer}\n"
    ".keys{font-size:.82rem;color:var(--muted)}\n"
    "@media (max-width:640px){#editor .edgrid{grid-template-columns:1fr}}\n";

/* A file:// URL of the input's absolute path (percent-encoded), for the page
 * opened from disk; "" when the input cannot be resolved now. */
static void file_url(dynbuf *b, const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return;
    dynbuf_adds(b, "file://");
    for (const unsigned char *p = (const unsigned char *)real; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            dynbuf_printf(b, "%c", *p);
        else
            dynbuf_printf(b, "%%%02X", *p);
    }
}

/* The words as transcript.json writes them (the fields the editor reads). */
static cJSON *words_json(const ave_job *job)
{
    const ave_analysis *an = &job->analysis;
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < an->word_count; i++) {
        const ave_word *w = &an->words[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(a, o) || !cJSON_AddStringToObject(o, "text", w->text) ||
            !cJSON_AddNumberToObject(o, "start", (double)w->start_us / 1e6) ||
            !cJSON_AddNumberToObject(o, "end", (double)w->end_us / 1e6) ||
            ((w->flags & AVE_WORD_SUGGESTED) && !cJSON_AddTrueToObject(o, "suggested")) ||
            ((w->flags & AVE_WORD_ACOUSTIC) && !cJSON_AddTrueToObject(o, "acoustic"))) {
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

/* The data as one JSON text with '<' escaped, appended to b. */
static void edit_data(dynbuf *b, const report_data *d)
{
    const ave_job *job = d->job;
    const char *base = strrchr(job->input_path, '/');
    char *tl_text = ave_timeline_json_words(&job->timeline, job->input_path, NULL,
                                            job->analysis.words, job->analysis.word_count);
    cJSON *o = cJSON_CreateObject(), *tl = tl_text ? cJSON_Parse(tl_text) : NULL;
    cJSON *words = words_json(job);
    char *s = NULL;
    dynbuf url = DYNBUF_INIT(1 << 16);

    file_url(&url, job->input_path);
    int fps_ok = job->media.has_video && job->media.fps_num > 0 && job->media.fps_den > 0;
    if (o && tl && words &&
        cJSON_AddStringToObject(o, "input", base ? base + 1 : job->input_path) &&
        cJSON_AddStringToObject(o, "input_url", url.err ? "" : (url.data ? url.data : "")) &&
        cJSON_AddNumberToObject(o, "fps_num", fps_ok ? job->media.fps_num : 100) &&
        cJSON_AddNumberToObject(o, "fps_den", fps_ok ? job->media.fps_den : 1) &&
        cJSON_AddNumberToObject(o, "duration", d->input_s) &&
        cJSON_AddItemToObject(o, "timeline", tl)) {
        tl = NULL;
        if (cJSON_AddItemToObject(o, "words", words)) {
            words = NULL;
            s = cJSON_PrintUnformatted(o);
        }
    }
    if (!s) {
        dynbuf_fail(b, AVE_ERR_NOMEM);
    } else {
        for (const char *p = s; *p; p++) {
            const char *lt = strchr(p, '<');
            if (!lt) {
                dynbuf_adds(b, p);
                break;
            }
            dynbuf_printf(b, "%.*s\\u003c", (int)(lt - p), p);
            p = lt;
        }
    }
    free(s);
    free(tl_text);
    cJSON_Delete(o);
    cJSON_Delete(tl);
    cJSON_Delete(words);
    dynbuf_free(&url);
}

void report_editor(dynbuf *b, const report_data *d)
{
    dynbuf_adds(b, "<section class=\"card\" id=\"editor\">\n<h2>Edit</h2>\n<style>");
    dynbuf_adds(b, editor_style);
    dynbuf_adds(b,
           "</style>\n<p class=\"lead\" id=\"ed-mode\">Watch the edit, click a word to cut or "
           "restore it, and download the edit as timeline.json for <code>ai-video-editor "
           "render</code>. Served by <code>ai-video-editor review</code>, this page saves and "
           "renders too.</p>\n"
           "<div class=\"edgrid\"><div><video id=\"ed-video\" controls preload=\"auto\" "
           "playsinline></video><p class=\"nomedia\" id=\"ed-nomedia\">The source video cannot "
           "be played here (moved, or not served); editing still works.</p>\n"
           "</div>\n<div class=\"edwords\" id=\"ed-words\" aria-label=\"transcript\"></div></div>\n"
           "<div class=\"edstrip\" id=\"ed-strip\"></div>\n"
           "<div class=\"edbar\"><button type=\"button\" id=\"ed-play\">Play</button>"
           "<button type=\"button\" id=\"ed-undo\" disabled>Undo</button>"
           "<button type=\"button\" id=\"ed-redo\" disabled>Redo</button>"
           "<button type=\"button\" id=\"ed-cutsel\">Cut selection</button>"
           "<button type=\"button\" id=\"ed-keepsel\">Restore selection</button>"
           "<button type=\"button\" id=\"ed-download\">Download edit</button>"
           "<button type=\"button\" class=\"primary\" id=\"ed-save\" hidden>Save</button>"
           "<button type=\"button\" class=\"primary\" id=\"ed-render\" hidden>Render</button>"
           "</div>\n<div class=\"progress\" id=\"ed-progress\"><i></i></div>"
           "<div id=\"ed-status\" role=\"status\"></div>\n"
           "<p class=\"keys\" id=\"ed-keys\"><kbd>Space</kbd> play/pause &middot; <kbd>J</kbd> "
           "back 5 s &middot; <kbd>K</kbd> pause &middot; <kbd>L</kbd> play (again: faster) "
           "&middot; <kbd>Delete</kbd> cut the selected words (or the word playing) &middot; "
           "<kbd>Ctrl</kbd>+<kbd>Z</kbd> undo, <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>Z</kbd> "
           "redo &middot; click a word: cut/restore &middot; double-click: correct its text "
           "&middot; drag a cut's edge on the strip</p>\n"
           "<div id=\"ed-summary\" class=\"lead\"></div>"
           "<h3>Suggested fillers</h3><ul id=\"ed-suggestions\"></ul>\n");
    dynbuf_adds(b, "<script type=\"application/json\" id=\"edit-data\">");
    edit_data(b, d);
    dynbuf_adds(b, "</script>\n<script>\n");
    dynbuf_adds(b, report_editor_script);
    dynbuf_adds(b, "</script>\n</section>\n");
}
