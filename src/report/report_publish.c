/* The publishing sections: "Thumbnails" (the composed JPEGs with their
 * scores, from thumbnails/thumbnails.json) and "Titles & tags" (titles,
 * description, tags, hashtags and chapters from metadata/metadata.json, each
 * with a copy button). The JPEGs are referenced by relative path from
 * analytics/ (../thumbnails/...), which keeps the page small; a path that is
 * not a plain relative one under thumbnails/ is not linked. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

static int safe_thumb_path(const char *p)
{
    return p && !strncmp(p, "thumbnails/", 11) && !strstr(p, "..");
}

/* A relative URL for path: every byte outside the unreserved set and '/' is
 * percent-encoded, so a file named "a #1?.mp4" still links to its JPEG. */
static void url_path(dynbuf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            dynbuf_printf(b, "%c", *p);
        else
            dynbuf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

static void figure(dynbuf *b, const char *path, const char *label, double time, double score,
                   const char *extra, int best)
{
    dynbuf_printf(b, "<figure class=\"thumb%s\" data-path=\"", best ? " best" : "");
    rb_text(b, path);
    dynbuf_adds(b, "\" data-time=\"");
    rb_num(b, time);
    dynbuf_adds(b, "\" data-score=\"");
    rb_num(b, score);
    dynbuf_adds(b, "\"><img loading=\"lazy\" src=\"../");
    url_path(b, path);
    dynbuf_adds(b, "\" alt=\"");
    rb_text(b, label);
    dynbuf_adds(b, " thumbnail\"><figcaption><span><b>");
    rb_text(b, label);
    dynbuf_adds(b, "</b> &middot; ");
    rb_clock(b, time, 1);
    if (extra)
        dynbuf_adds(b, extra);
    dynbuf_printf(b, "</span><span class=\"score\">%.3f</span></figcaption></figure>\n", score);
}

void report_thumbnails(dynbuf *b, const report_data *d)
{
    const cJSON *t = d->thumbs;
    dynbuf_adds(b, "<section class=\"card\" id=\"thumbnails\">\n<h2>Thumbnails</h2>\n");
    const cJSON *files = t ? cJSON_GetObjectItemCaseSensitive(t, "files") : NULL;
    if (!cJSON_GetArraySize(files)) {
        report_missing(b, d, "thumbnails", "No thumbnails");
        dynbuf_adds(b, "</section>\n");
        return;
    }
    const char *note = report_json_str(t, "score_note");
    dynbuf_adds(b, "<p class=\"lead\">Frames chosen from the edit and composed per strategy. ");
    if (note) {
        dynbuf_adds(b, "Score: ");
        rb_text(b, note);
        dynbuf_adds(b, ".");
    }
    dynbuf_adds(b, "</p>\n");
    /* Where the words on the pictures came from, and why not the headline. */
    const char *src = report_json_str(t, "text_source"), *why = report_json_str(t, "text_note");
    if (src) {
        dynbuf_printf(b, "<p class=\"lead\" id=\"thumb-text\" data-source=\"");
        rb_text(b, src);
        dynbuf_adds(b, "\">Text on the thumbnails: ");
        const char *text = report_json_str(t, "text");
        if (text && *text) {
            dynbuf_adds(b, "<b>");
            rb_text(b, text);
            dynbuf_adds(b, "</b> (from the ");
            rb_text(b, src);
            dynbuf_adds(b, ")");
        } else {
            dynbuf_adds(b, "none");
        }
        if (why) {
            dynbuf_adds(b, ": ");
            rb_text(b, why);
        }
        dynbuf_adds(b, ".</p>\n");
    }
    dynbuf_adds(b, "<div class=\"thumbs\">\n");
    const cJSON *picks = cJSON_GetObjectItemCaseSensitive(t, "picks");
    const cJSON *best = cJSON_GetArrayItem(picks, 0);
    const char *rec = report_json_str(t, "recommended");
    if (best && safe_thumb_path(rec)) {
        char extra[96] = "";
        double ratio = report_json_num(best, "vs_baseline_ratio");
        if (isfinite(ratio))
            snprintf(extra, sizeof(extra), " &middot; %+.0f%% vs. the frame at 10%%",
                     100 * (ratio - 1));
        figure(b, rec, "Recommended", report_json_num(best, "time"), report_json_num(best, "total"),
               extra, 1);
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, files)
    {
        const char *path = report_json_str(f, "path");
        const char *strategy = report_json_str(f, "strategy");
        if (safe_thumb_path(path))
            figure(b, path, strategy ? strategy : "thumbnail", report_json_num(f, "time"),
                   report_json_num(f, "score"), NULL, 0);
    }
    dynbuf_adds(b, "</div>\n");
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(t, "baseline");
    double bt = report_json_num(base, "total");
    if (isfinite(bt)) {
        dynbuf_adds(b, "<p class=\"lead\" id=\"thumb-baseline\" data-score=\"");
        rb_num(b, bt);
        dynbuf_adds(b, "\">For comparison, the frame at 10% of the video (");
        rb_clock(b, report_json_num(base, "time"), 1);
        dynbuf_printf(b, ") scores %.3f.</p>\n", bt);
    }
    dynbuf_adds(b, "</section>\n");
}

static void copy_row(dynbuf *b, const char *id, const char *text, const char *note)
{
    dynbuf_printf(b, "<div class=\"copyrow\"><div class=\"t\"><span id=\"%s\">", id);
    rb_text(b, text);
    dynbuf_adds(b, "</span>");
    if (note) {
        dynbuf_adds(b, "<small>");
        rb_text(b, note);
        dynbuf_adds(b, "</small>");
    }
    dynbuf_printf(
        b, "</div><button class=\"copy\" type=\"button\" data-copy=\"%s\">Copy</button></div>\n",
        id);
}

static void copy_list_button(dynbuf *b, const cJSON *arr, const char *member, const char *sep)
{
    dynbuf_adds(b, "<button class=\"copy\" type=\"button\" data-text=\"");
    const cJSON *it;
    int first = 1;
    cJSON_ArrayForEach(it, arr)
    {
        const char *s = member ? report_json_str(it, member) : cJSON_GetStringValue(it);
        if (!s)
            continue;
        if (!first)
            dynbuf_adds(b, sep);
        rb_text(b, s);
        first = 0;
    }
    dynbuf_adds(b, "\">Copy all</button>");
}

static void titles(dynbuf *b, const cJSON *meta)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(meta, "titles"), *it;
    if (!cJSON_GetArraySize(arr))
        return;
    dynbuf_printf(b, "<h3>Titles</h3>\n<div id=\"titles\" data-count=\"%d\">\n",
                  cJSON_GetArraySize(arr));
    int n = 0;
    cJSON_ArrayForEach(it, arr)
    {
        const char *text = report_json_str(it, "text");
        const char *strategy = report_json_str(it, "strategy");
        double score = report_json_num(it, "score");
        char id[32], note[128];
        if (!text)
            continue;
        snprintf(id, sizeof(id), "title-%d", ++n);
        double len = report_json_num(it, "length");
        snprintf(note, sizeof(note), "%s \xc2\xb7 %.0f characters", strategy ? strategy : "title",
                 isfinite(len) ? len : (double)strlen(text));
        if (isfinite(score))
            snprintf(note + strlen(note), sizeof(note) - strlen(note), " \xc2\xb7 score %.0f",
                     score);
        copy_row(b, id, text, note);
    }
    dynbuf_adds(b, "</div>\n");
}

static void chips(dynbuf *b, const char *title, const char *id, const cJSON *arr,
                  const char *member, const char *sep)
{
    const cJSON *it;
    if (!cJSON_GetArraySize(arr))
        return;
    dynbuf_printf(b, "<div class=\"hrow\"><h3>%s</h3>", title);
    copy_list_button(b, arr, member, sep);
    dynbuf_printf(b, "</div>\n<div class=\"chips\" id=\"%s\" data-count=\"%d\">", id,
                  cJSON_GetArraySize(arr));
    cJSON_ArrayForEach(it, arr)
    {
        const char *s = member ? report_json_str(it, member) : cJSON_GetStringValue(it);
        const char *kind = member ? report_json_str(it, "kind") : NULL;
        if (!s)
            continue;
        dynbuf_adds(b, "<span class=\"chip");
        if (kind) {
            dynbuf_adds(b, " ");
            rb_text(b, kind);
        }
        dynbuf_adds(b, "\">");
        rb_text(b, s);
        dynbuf_adds(b, "</span>");
    }
    dynbuf_adds(b, "</div>\n");
}

static void chapters(dynbuf *b, const cJSON *meta)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(meta, "chapters"), *it;
    if (!cJSON_GetArraySize(arr))
        return;
    dynbuf_adds(b, "<div class=\"hrow\"><h3>Chapters</h3><button class=\"copy\" type=\"button\" "
                   "data-copy=\"chapter-list\">Copy all</button></div>\n");
    dynbuf_printf(b,
                  "<div class=\"tablewrap\"><table id=\"chapters\" data-count=\"%d\"><tbody "
                  "id=\"chapter-list\">\n",
                  cJSON_GetArraySize(arr));
    cJSON_ArrayForEach(it, arr)
    {
        const char *stamp = report_json_str(it, "timestamp");
        dynbuf_adds(b, "<tr class=\"chapter\" data-start=\"");
        rb_num(b, report_json_num(it, "edited_start"));
        dynbuf_adds(b, "\"><td>");
        rb_text(b, stamp ? stamp : "");
        dynbuf_adds(b, "</td><td>");
        rb_text(b, report_json_str(it, "title"));
        dynbuf_adds(b, "</td></tr>\n");
    }
    dynbuf_adds(b, "</tbody></table></div>\n");
    const char *note = report_json_str(meta, "chapters_note");
    if (note) {
        dynbuf_adds(b, "<p class=\"lead\">");
        rb_text(b, note);
        dynbuf_adds(b, ".</p>\n");
    }
}

void report_metadata(dynbuf *b, const report_data *d)
{
    const cJSON *m = d->meta;
    dynbuf_adds(
        b, "<section class=\"card\" id=\"metadata\">\n<h2>Titles, description &amp; tags</h2>\n");
    if (!m) {
        report_missing(b, d, "content", "No titles or description");
        dynbuf_adds(b, "</section>\n");
        return;
    }
    const char *headline = report_json_str(m, "headline");
    dynbuf_adds(b, "<p class=\"lead\">Ready to paste into the upload form; times are in the edited "
                   "video.");
    if (headline && *headline) {
        dynbuf_adds(b, " Headline: <b id=\"headline\">");
        rb_text(b, headline);
        dynbuf_adds(b, "</b>");
    }
    dynbuf_adds(b, "</p>\n");
    /* How sure the recogniser was of the words these texts are made of. */
    const cJSON *rel = cJSON_GetObjectItemCaseSensitive(m, "reliability");
    if (rel) {
        double th = report_json_num(rel, "threshold");
        const char *note = report_json_str(rel, "headline_note");
        dynbuf_adds(b, "<p class=\"lead\" id=\"reliability\" data-headline=\"");
        rb_num(b, report_json_num(rel, "headline"));
        dynbuf_adds(b, "\" data-titles=\"");
        rb_num(b, report_json_num(rel, "titles"));
        dynbuf_printf(b,
                      "\">Reliability (chance the recognised words are right; %.0f%% needed to "
                      "publish): headline %.0f%%, titles %.0f%%, tags %.0f%%, description %.0f%%.",
                      100 * th, 100 * report_json_num(rel, "headline"),
                      100 * report_json_num(rel, "titles"), 100 * report_json_num(rel, "tags"),
                      100 * report_json_num(rel, "summary"));
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rel, "titles_neutral")))
            dynbuf_adds(b, " Nothing was heard reliably enough: the titles are neutral.");
        if (note) {
            dynbuf_adds(b, " ");
            rb_text(b, note);
            dynbuf_adds(b, ".");
        }
        dynbuf_adds(b, "</p>\n");
    }
    titles(b, m);
    const char *desc = report_json_str(m, "description");
    if (desc) {
        dynbuf_adds(
            b, "<div class=\"hrow\"><h3>Description</h3><button class=\"copy\" type=\"button\" "
               "data-copy=\"description\">Copy</button></div>\n<pre class=\"desc\" "
               "id=\"description\">");
        rb_text(b, desc);
        dynbuf_adds(b, "</pre>\n");
    }
    chips(b, "Tags", "tags", cJSON_GetObjectItemCaseSensitive(m, "tags"), "text", ", ");
    chips(b, "Hashtags", "hashtags", cJSON_GetObjectItemCaseSensitive(m, "hashtags"), NULL, " ");
    chapters(b, m);
    dynbuf_adds(b, "</section>\n");
}
