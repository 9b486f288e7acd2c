/* Reading back what a run wrote (timeline.json, transcript.json), perhaps
 * edited by hand, and writing timeline.json again after an edit.
 *
 * Hand-edited JSON is read leniently where the meaning is still clear (a
 * segment without "action" is judged by its "reason"; gaps between segments
 * are kept) and refused with one line where it is not (no "segments", a
 * time that is not a number). The timeline.json written here has exactly the
 * plan stage's format (src/plan/plan.c), so readers see no difference. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <libavutil/mathematics.h>

#include "ave/error.h"
#include "edit/edit.h"

/* Seconds to microseconds, saturating: a hand-typed 1e300 means "far past
 * the end" (the callers clamp to the input), where llround would return an
 * unspecified value, on x86 a huge negative one. 1e12 s is far beyond any
 * input yet well inside int64_t microseconds. */
static int64_t us_of(double s)
{
    if (s > 1e12)
        s = 1e12;
    else if (s < -1e12)
        s = -1e12;
    return (int64_t)llround(s * 1e6);
}

int64_t edit_grid_round(const edit_grid *g, int64_t t, int mode)
{
    int64_t unit, k, snapped;

    if (!g || g->num <= 0 || g->den <= 0)
        return t;
    unit = (int64_t)g->num * 1000000; /* frame k lies at k * unit / den us */
    k = av_rescale_rnd(t, g->den, unit, AV_ROUND_NEAR_INF);
    snapped = av_rescale_rnd(k, unit, g->den, AV_ROUND_NEAR_INF);
    if (mode == EDIT_ROUND_NEAR || llabs(snapped - t) <= 1)
        return snapped;
    k = av_rescale_rnd(t, g->den, unit, mode == EDIT_ROUND_UP ? AV_ROUND_UP : AV_ROUND_DOWN);
    return av_rescale_rnd(k, unit, g->den, AV_ROUND_NEAR_INF);
}

static int reason_of(const char *name)
{
    for (int r = AVE_REASON_SILENCE; r < AVE_REASON_COUNT; r++)
        if (!strcmp(name, ave_reason_name(r)))
            return r;
    return AVE_REASON_MANUAL;
}

static int number(const cJSON *o, const char *key, double *v)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
        return -1;
    *v = it->valuedouble;
    return 0;
}

typedef struct cut_span {
    int64_t start, end;
    int reason;
} cut_span;

/* The exact timeline of the cuts, in file order (an overlap keeps the
 * earlier cut's reason, as ave_timeline_cut does). Cuts written in order
 * without overlaps (every file we write, most hand edits) are laid out in
 * one pass; ave_timeline_cut per cut costs O(n) each, too slow for a
 * hostile file of a million pieces. */
static int lay_out(ave_timeline *tl, const cut_span *c, size_t n)
{
    ave_segment *segs;
    size_t k = 0;
    int64_t pos = 0;
    int ret;

    for (size_t i = 1; i < n; i++)
        if (c[i].start < c[i - 1].end) {
            for (size_t j = 0; j < n; j++)
                if ((ret = ave_timeline_cut(tl, c[j].start, c[j].end, c[j].reason)) < 0)
                    return ret;
            return 0;
        }
    if (!(segs = malloc((2 * n + 1) * sizeof(*segs))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (c[i].end <= c[i].start)
            continue;
        if (c[i].start > pos)
            segs[k++] = (ave_segment){pos, c[i].start, 1, AVE_REASON_KEEP};
        if (k && !segs[k - 1].keep && segs[k - 1].reason == c[i].reason)
            segs[k - 1].end_us = c[i].end;
        else
            segs[k++] = (ave_segment){c[i].start, c[i].end, 0, c[i].reason};
        pos = c[i].end;
    }
    if (pos < tl->duration_us)
        segs[k++] = (ave_segment){pos, tl->duration_us, 1, AVE_REASON_KEEP};
    free(tl->segs);
    tl->segs = segs;
    tl->count = k;
    tl->cap = 2 * n + 1;
    return 0;
}

int edit_timeline_parse(const char *json, int64_t duration_us, const edit_grid *g, ave_timeline *tl,
                        edit_source *src, edit_snap_stats *snap, char *err, size_t errlen)
{
    cJSON *root = cJSON_Parse(json);
    const cJSON *segs, *s;
    cut_span *cuts = NULL;
    size_t ncuts = 0;
    double d;
    int ret = AVE_ERR_INPUT, idx = 0;

    memset(tl, 0, sizeof(*tl));
    memset(src, 0, sizeof(*src));
    if (!root) {
        snprintf(err, errlen, "not valid JSON near \"%.20s\"",
                 cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "");
        goto out;
    }
    if (number(root, "source_duration", &d) == 0)
        src->duration_us = us_of(d);
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(root, "input_fingerprint");
    if (cJSON_IsString(fp))
        snprintf(src->fingerprint, sizeof(src->fingerprint), "%s", fp->valuestring);
    segs = cJSON_GetObjectItemCaseSensitive(root, "segments");
    if (!cJSON_IsArray(segs)) {
        snprintf(err, errlen, "no \"segments\" array");
        goto out;
    }
    if ((ret = ave_timeline_init(tl, duration_us)) < 0)
        goto out;
    ret = AVE_ERR_NOMEM;
    if (cJSON_GetArraySize(segs) > 0 &&
        !(cuts = malloc((size_t)cJSON_GetArraySize(segs) * sizeof(*cuts))))
        goto out;
    ret = AVE_ERR_INPUT;
    cJSON_ArrayForEach(s, segs)
    {
        const cJSON *action = cJSON_GetObjectItemCaseSensitive(s, "action");
        const cJSON *reason = cJSON_GetObjectItemCaseSensitive(s, "reason");
        const char *rname = cJSON_IsString(reason) ? reason->valuestring : "manual";
        double a, b;
        int cut;

        idx++;
        if (number(s, "start", &a) < 0 || number(s, "end", &b) < 0 || b < a) {
            snprintf(err, errlen, "segment %d needs numbers \"start\" <= \"end\" (seconds)", idx);
            goto out;
        }
        /* "suggest": a filler offered for review, kept until the user
         * makes it a "cut". */
        cut = cJSON_IsString(action) ? strcmp(action->valuestring, "keep") != 0 &&
                                           strcmp(action->valuestring, "suggest") != 0
                                     : strcmp(rname, "keep") != 0;
        if (cut) {
            int64_t x = us_of(a), y = us_of(b);
            x = x < 0 ? 0 : x > duration_us ? duration_us : x;
            y = y < 0 ? 0 : y > duration_us ? duration_us : y;
            cuts[ncuts++] = (cut_span){x, y, reason_of(rname)};
        }
    }
    if ((ret = lay_out(tl, cuts, ncuts)) < 0 || (ret = edit_timeline_snap(tl, g, snap)) < 0)
        goto out;
    ret = 0;
out:
    if (ret == AVE_ERR_NOMEM)
        snprintf(err, errlen, "out of memory");
    if (ret < 0)
        ave_timeline_free(tl);
    free(cuts);
    cJSON_Delete(root);
    return ret;
}

static int by_start(const void *a, const void *b)
{
    const ave_word *x = a, *y = b;
    if (x->start_us != y->start_us)
        return x->start_us < y->start_us ? -1 : 1;
    return (x->end_us > y->end_us) - (x->end_us < y->end_us);
}

static int is_true(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

int edit_transcript_parse(const char *json, ave_word **words, size_t *n, char *engine,
                          size_t engine_len, char *err, size_t errlen)
{
    cJSON *root = cJSON_Parse(json);
    const cJSON *arr, *it, *eng;
    ave_word *v = NULL;
    size_t count = 0, k = 0;
    int ret = AVE_ERR_INPUT;

    *words = NULL;
    *n = 0;
    if (!root) {
        snprintf(err, errlen, "not valid JSON");
        goto out;
    }
    eng = cJSON_GetObjectItemCaseSensitive(root, "engine");
    snprintf(engine, engine_len, "%s", cJSON_IsString(eng) ? eng->valuestring : "unknown");
    arr = cJSON_GetObjectItemCaseSensitive(root, "words");
    if (!cJSON_IsArray(arr)) {
        snprintf(err, errlen, "no \"words\" array");
        goto out;
    }
    count = (size_t)cJSON_GetArraySize(arr);
    if (count && !(v = calloc(count, sizeof(*v)))) {
        ret = AVE_ERR_NOMEM;
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(it, "text");
        ave_word *w = &v[k];
        double a, b, c;

        if (!cJSON_IsString(text) || number(it, "start", &a) < 0 || number(it, "end", &b) < 0 ||
            a < 0 || b < a) {
            snprintf(err, errlen, "word %zu needs \"text\", \"start\" and \"end\"", k + 1);
            goto out;
        }
        snprintf(w->text, sizeof(w->text), "%s", text->valuestring);
        w->start_us = us_of(a);
        w->end_us = us_of(b);
        w->confidence = number(it, "confidence", &c) == 0 ? (float)c : 1.0f;
        w->filler_score = number(it, "filler_score", &c) == 0        ? (float)c
                          : number(it, "filler_confidence", &c) == 0 ? (float)c
                                                                     : 0.0f;
        w->flags = (is_true(it, "filler") ? AVE_WORD_FILLER : 0u) |
                   (is_true(it, "stutter") ? AVE_WORD_STUTTER : 0u) |
                   (is_true(it, "cut") ? AVE_WORD_CUT : 0u) |
                   (is_true(it, "muted") ? AVE_WORD_MUTED : 0u) |
                   (is_true(it, "acoustic") ? AVE_WORD_ACOUSTIC : 0u) |
                   (is_true(it, "suggested") ? AVE_WORD_SUGGESTED : 0u);
        k++;
    }
    if (k > 1) /* as written they are sorted; a hand edit may not be */
        qsort(v, k, sizeof(*v), by_start);
    *words = v;
    *n = k;
    v = NULL;
    ret = 0;
out:
    free(v);
    cJSON_Delete(root);
    return ret;
}
