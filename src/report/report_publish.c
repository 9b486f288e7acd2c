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
static void url_path(rbuf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            rb_printf(b, "%c", *p);
        else
            rb_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

static void figure(rbuf *b, const char *path, const char *label, double time, double score,
                   const char *extra, int best)
{
    rb_printf(b, "<figure class=\"thumb%s\" data-path=\"", best ? " best" : "");
    rb_text(b, path);
    rb_put(b, "\" data-time=\"");
    rb_num(b, time);
    rb_put(b, "\" data-score=\"");
    rb_num(b, score);
    rb_put(b, "\"><img loading=\"lazy\" src=\"../");
    url_path(b, path);
    rb_put(b, "\" alt=\"");
    rb_text(b, label);
    rb_put(b, " thumbnail\"><figcaption><span><b>");
    rb_text(b, label);
    rb_put(b, "</b> &middot; ");
    rb_clock(b, time, 1);
    if (extra)
        rb_put(b, extra);
    rb_printf(b, "</span><span class=\"score\">%.3f</span></figcaption></figure>\n", score);
}

void report_thumbnails(rbuf *b, const report_data *d)
{
    const cJSON *t = d->thumbs;
    rb_put(b, "<section class=\"card\" id=\"thumbnails\">\n<h2>Thumbnails</h2>\n");
    const cJSON *files = t ? cJSON_GetObjectItemCaseSensitive(t, "files") : NULL;
    if (!cJSON_GetArraySize(files)) {
        report_missing(b, d, "thumbnails", "No thumbnails");
        rb_put(b, "</section>\n");
        return;
    }
    const char *note = report_json_str(t, "score_note");
    rb_put(b, "<p class=\"lead\">Frames chosen from the edit and composed per strategy. ");
    if (note) {
        rb_put(b, "Score: ");
        rb_text(b, note);
        rb_put(b, ".");
    }
    rb_put(b, "</p>\n");
    /* Where the words on the pictures came from, and why not the headline. */
    const char *src = report_json_str(t, "text_source"), *why = report_json_str(t, "text_note");
    if (src) {
        rb_printf(b, "<p class=\"lead\" id=\"thumb-text\" data-source=\"");
        rb_text(b, src);
        rb_put(b, "\">Text on the thumbnails: ");
        const char *text = report_json_str(t, "text");
        if (text && *text) {
            rb_put(b, "<b>");
            rb_text(b, text);
            rb_put(b, "</b> (from the ");
            rb_text(b, src);
            rb_put(b, ")");
        } else {
            rb_put(b, "none");
        }
        if (why) {
            rb_put(b, ": ");
            rb_text(b, why);
        }
        rb_put(b, ".</p>\n");
    }
    rb_put(b, "<div class=\"thumbs\">\n");
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
    rb_put(b, "</div>\n");
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(t, "baseline");
    double bt = report_json_num(base, "total");
    if (isfinite(bt)) {
        rb_put(b, "<p class=\"lead\" id=\"thumb-baseline\" data-score=\"");
        rb_num(b, bt);
        rb_put(b, "\">For comparison, the frame at 10% of the video (");
        rb_clock(b, report_json_num(base, "time"), 1);
        rb_printf(b, ") scores %.3f.</p>\n", bt);
    }
    rb_put(b, "</section>\n");
}

static void copy_row(rbuf *b, const char *id, const char *text, const char *note)
{
    rb_printf(b, "<div class=\"copyrow\"><div class=\"t\"><span id=\"%s\">", id);
    rb_text(b, text);
    rb_put(b, "</span>");
    if (note) {
        rb_put(b, "<small>");
        rb_text(b, note);
        rb_put(b, "</small>");
    }
    rb_printf(b,
              "</div><button class=\"copy\" type=\"button\" data-copy=\"%s\">Copy</button></div>\n",
              id);
}

static void copy_list_button(rbuf *b, const cJSON *arr, const char *member, const char *sep)
{
    rb_put(b, "<button class=\"copy\" type=\"button\" data-text=\"");
    const cJSON *it;
    int first = 1;
    cJSON_ArrayForEach(it, arr)
    {
        const char *s = member ? report_json_str(it, member) : cJSON_GetStringValue(it);
        if (!s)
            continue;
        if (!first)
            rb_put(b, sep);
        rb_text(b, s);
        first = 0;
    }
    rb_put(b, "\">Copy all</button>");
}

static void titles(rbuf *b, const cJSON *meta)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(meta, "titles"), *it;
    if (!cJSON_GetArraySize(arr))
        return;
    rb_printf(b, "<h3>Titles</h3>\n<div id=\"titles\" data-count=\"%d\">\n",
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
    rb_put(b, "</div>\n");
}

static void chips(rbuf *b, const char *title, const char *id, const cJSON *arr, const char *member,
                  const char *sep)
{
    const cJSON *it;
    if (!cJSON_GetArraySize(arr))
        return;
    rb_printf(b, "<div class=\"hrow\"><h3>%s</h3>", title);
    copy_list_button(b, arr, member, sep);
    rb_printf(b, "</div>\n<div class=\"chips\" id=\"%s\" data-count=\"%d\">", id,
              cJSON_GetArraySize(arr));
    cJSON_ArrayForEach(it, arr)
    {
        const char *s = member ? report_json_str(it, member) : cJSON_GetStringValue(it);
        const char *kind = member ? report_json_str(it, "kind") : NULL;
        if (!s)
            continue;
        rb_put(b, "<span class=\"chip");
        if (kind) {
            rb_put(b, " ");
            rb_text(b, kind);
        }
        rb_put(b, "\">");
        rb_text(b, s);
        rb_put(b, "</span>");
    }
    rb_put(b, "</div>\n");
}

static void chapters(rbuf *b, const cJSON *meta)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(meta, "chapters"), *it;
    if (!cJSON_GetArraySize(arr))
        return;
    rb_put(b, "<div class=\"hrow\"><h3>Chapters</h3><button class=\"copy\" type=\"button\" "
              "data-copy=\"chapter-list\">Copy all</button></div>\n");
    rb_printf(b,
              "<div class=\"tablewrap\"><table id=\"chapters\" data-count=\"%d\"><tbody "
              "id=\"chapter-list\">\n",
              cJSON_GetArraySize(arr));
    cJSON_ArrayForEach(it, arr)
    {
        const char *stamp = report_json_str(it, "timestamp");
        rb_put(b, "<tr class=\"chapter\" data-start=\"");
        rb_num(b, report_json_num(it, "edited_start"));
        rb_put(b, "\"><td>");
        rb_text(b, stamp ? stamp : "");
        rb_put(b, "</td><td>");
        rb_text(b, report_json_str(it, "title"));
        rb_put(b, "</td></tr>\n");
    }
    rb_put(b, "</tbody></table></div>\n");
    const char *note = report_json_str(meta, "chapters_note");
    if (note) {
        rb_put(b, "<p class=\"lead\">");
        rb_text(b, note);
        rb_put(b, ".</p>\n");
    }
}

void report_metadata(rbuf *b, const report_data *d)
{
    const cJSON *m = d->meta;
    rb_put(b,
           "<section class=\"card\" id=\"metadata\">\n<h2>Titles, description &amp; tags</h2>\n");
    if (!m) {
        report_missing(b, d, "content", "No titles or description");
        rb_put(b, "</section>\n");
        return;
    }
    const char *headline = report_json_str(m, "headline");
    rb_put(b, "<p class=\"lead\">Ready to paste into the upload form; times are in the edited "
              "video.");
    if (headline && *headline) {
        rb_put(b, " Headline: <b id=\"headline\">");
        rb_text(b, headline);
        rb_put(b, "</b>");
    }
    rb_put(b, "</p>\n");
    /* How sure the recogniser was of the words these texts are made of. */
    const cJSON *rel = cJSON_GetObjectItemCaseSensitive(m, "reliability");
    if (rel) {
        double th = report_json_num(rel, "threshold");
        const char *note = report_json_str(rel, "headline_note");
        rb_put(b, "<p class=\"lead\" id=\"reliability\" data-headline=\"");
        rb_num(b, report_json_num(rel, "headline"));
        rb_put(b, "\" data-titles=\"");
        rb_num(b, report_json_num(rel, "titles"));
        rb_printf(b, "\">Reliability (chance the recognised words are right; %.0f%% needed to "
                     "publish): headline %.0f%%, titles %.0f%%, tags %.0f%%, description %.0f%%.",
                  100 * th, 100 * report_json_num(rel, "headline"),
                  100 * report_json_num(rel, "titles"), 100 * report_json_num(rel, "tags"),
                  100 * report_json_num(rel, "summary"));
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rel, "titles_neutral")))
            rb_put(b, " Nothing was heard reliably enough: the titles are neutral.");
        if (note) {
            rb_put(b, " ");
            rb_text(b, note);
            rb_put(b, ".");
        }
        rb_put(b, "</p>\n");
    }
    titles(b, m);
    const char *desc = report_json_str(m, "description");
    if (desc) {
        rb_put(b, "<div class=\"hrow\"><h3>Description</h3><button class=\"copy\" type=\"button\" "
                  "data-copy=\"description\">Copy</button></div>\n<pre class=\"desc\" "
                  "id=\"description\">");
        rb_text(b, desc);
        rb_put(b, "</pre>\n");
    }
    chips(b, "Tags", "tags", cJSON_GetObjectItemCaseSensitive(m, "tags"), "text", ", ");
    chips(b, "Hashtags", "hashtags", cJSON_GetObjectItemCaseSensitive(m, "hashtags"), NULL, " ");
    chapters(b, m);
    rb_put(b, "</section>\n");
}
