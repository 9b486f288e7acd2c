/* A save from the review page -> the folder's new timeline.json and
 * transcript.txt (ave_review_apply_save).
 *
 * The body comes from a browser, so everything in it is checked before it
 * reaches a file: numbers finite and inside the recording, segments in
 * order, known actions and reasons, word indices inside transcript.json,
 * corrections one word each.
 *
 * The page's segments are the truth: what it previewed is what renders. So
 * transcript.txt keeps every word's brackets as transcript.json has them
 * (the last render's state) and differs only by the corrections: the edit
 * stage applies on top of timeline.json only the words whose brackets
 * changed, and would re-place those cuts by its word rule (into the pauses,
 * dropping short leftovers), moving them from where the page put them.
 * render writes transcript.txt again with the new brackets. Pure: no file
 * is touched here. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "ave/review.h"
#include "core/transcript_txt.h"

#define MAX_SEGMENTS (1u << 20)
#define MAX_WORDS (4u << 20) /* as many as transcript.txt may hold */
#define TIME_SLACK_S 0.001   /* rounding of the times the page read */
#define MAX_TIME_S 1e7       /* far past the probe's 48 h input limit */

typedef struct save_ctx {
    cJSON *timeline, *transcript, *body;
    ave_word *words;
    size_t nwords;
    char *err;
    size_t errlen;
} save_ctx;

__attribute__((format(printf, 3, 4))) static int bad(save_ctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errlen, fmt, ap);
    va_end(ap);
    return code;
}

static int num(const cJSON *o, const char *key, double *v)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(n) || !isfinite(n->valuedouble))
        return 0;
    *v = n->valuedouble;
    return 1;
}

static int known_reason(const char *s)
{
    for (int r = 0; r < AVE_REASON_COUNT; r++)
        if (!strcmp(s, ave_reason_name(r)))
            return 1;
    return 0;
}

/* The body's segments, checked, as a new array for timeline.json. */
static int check_segments(save_ctx *c, double duration, cJSON **out)
{
    const cJSON *segs = cJSON_GetObjectItemCaseSensitive(c->body, "segments");
    const cJSON *s;
    double prev_end = 0;
    size_t i = 0;

    if (!cJSON_IsArray(segs))
        return bad(c, AVE_ERR_USAGE, "the edit has no \"segments\" list");
    if ((size_t)cJSON_GetArraySize(segs) > MAX_SEGMENTS)
        return bad(c, AVE_ERR_USAGE, "the edit has more than %u segments", MAX_SEGMENTS);
    if (!(*out = cJSON_CreateArray()))
        return AVE_ERR_NOMEM;
    cJSON_ArrayForEach(s, segs)
    {
        double a, z, conf;
        const char *action = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "action"));
        const char *reason = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "reason"));
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "text"));
        if (!num(s, "start", &a) || !num(s, "end", &z))
            return bad(c, AVE_ERR_USAGE, "segment %zu: start and end must be numbers", i);
        if (a < 0 || z <= a || z > duration + TIME_SLACK_S || a < prev_end - TIME_SLACK_S)
            return bad(c, AVE_ERR_USAGE,
                       "segment %zu (%.3f-%.3f s) is not in order inside the recording (0-%.3f s)",
                       i, a, z, duration);
        if (!action ||
            (strcmp(action, "keep") && strcmp(action, "cut") && strcmp(action, "suggest")))
            return bad(c, AVE_ERR_USAGE, "segment %zu: action must be keep, cut or suggest", i);
        if (!reason || !known_reason(reason))
            return bad(c, AVE_ERR_USAGE, "segment %zu: unknown reason", i);
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(*out, o))
            return cJSON_Delete(o), AVE_ERR_NOMEM;
        if (!cJSON_AddNumberToObject(o, "start", a) ||
            !cJSON_AddNumberToObject(o, "end", fmin(z, duration)) ||
            !cJSON_AddStringToObject(o, "action", action) ||
            !cJSON_AddStringToObject(o, "reason", reason))
            return AVE_ERR_NOMEM;
        if (!strcmp(action, "suggest")) {
            if (num(s, "confidence", &conf) && conf >= 0 && conf <= 1 &&
                !cJSON_AddNumberToObject(o, "confidence", conf))
                return AVE_ERR_NOMEM;
            if (text && strlen(text) < 64 && !cJSON_AddStringToObject(o, "text", text))
                return AVE_ERR_NOMEM;
        }
        prev_end = z;
        i++;
    }
    if (i == 0)
        return bad(c, AVE_ERR_USAGE, "the edit has no segments");
    return 0;
}

/* transcript.json's words (text, times, flags that transcript.txt shows). */
static int load_words(save_ctx *c)
{
    const cJSON *ws = cJSON_GetObjectItemCaseSensitive(c->transcript, "words");
    const cJSON *w;
    if (!cJSON_IsArray(ws))
        return bad(c, AVE_ERR_INPUT, "transcript.json has no \"words\" list");
    size_t n = (size_t)cJSON_GetArraySize(ws);
    if (n > MAX_WORDS)
        return bad(c, AVE_ERR_INPUT, "transcript.json has more than %u words", MAX_WORDS);
    if (n && !(c->words = calloc(n, sizeof(*c->words))))
        return AVE_ERR_NOMEM;
    cJSON_ArrayForEach(w, ws)
    {
        ave_word *o = &c->words[c->nwords];
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "text"));
        double a, z;
        if (!text || !num(w, "start", &a) || !num(w, "end", &z) || a < 0 || z < a || z > MAX_TIME_S)
            return bad(c, AVE_ERR_INPUT, "transcript.json: word %zu has no text or times",
                       c->nwords);
        snprintf(o->text, sizeof(o->text), "%s", text);
        o->start_us = llround(a * 1e6);
        o->end_us = llround(z * 1e6);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(w, "acoustic")))
            o->flags |= AVE_WORD_ACOUSTIC;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(w, "suggested")))
            o->flags |= AVE_WORD_SUGGESTED;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(w, "cut")))
            o->flags |= AVE_WORD_CUT;
        if (c->nwords && o->start_us < c->words[c->nwords - 1].start_us)
            return bad(c, AVE_ERR_INPUT, "transcript.json: words out of order at %zu", c->nwords);
        c->nwords++;
    }
    return 0;
}

/* A correction must stay one word of transcript.txt: no spaces, brackets
 * (they mean a cut there), '#' at its start (a comment line), or control
 * bytes, and it must still be a word (ttxt_key not empty). */
static int valid_word(const char *s)
{
    size_t n = strlen(s);
    char key[48];
    if (n == 0 || n >= sizeof(((ave_word *)0)->text) || s[0] == '#')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == '[' || *p == ']' || *p == 0x7f)
            return 0;
    ttxt_key(s, n, key, sizeof(key));
    return key[0] != '\0';
}

static int apply_corrections(save_ctx *c, size_t *count)
{
    const cJSON *ws = cJSON_GetObjectItemCaseSensitive(c->body, "words");
    const cJSON *w;
    if (!ws)
        return 0;
    if (!cJSON_IsArray(ws))
        return bad(c, AVE_ERR_USAGE, "\"words\" must be a list of {i, text}");
    cJSON_ArrayForEach(w, ws)
    {
        double i;
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(w, "text"));
        if (!num(w, "i", &i) || i < 0 || i >= (double)c->nwords || i != floor(i))
            return bad(c, AVE_ERR_USAGE, "a corrected word names no word of the transcript");
        if (!text || !valid_word(text))
            return bad(c, AVE_ERR_USAGE,
                       "a corrected word must be one word (no spaces or brackets, under 48 "
                       "bytes)");
        ave_word *o = &c->words[(size_t)i];
        if (strcmp(o->text, text)) {
            snprintf(o->text, sizeof(o->text), "%s", text);
            (*count)++;
        }
    }
    return 0;
}

int ave_review_apply_save(const char *timeline_json, size_t timeline_len,
                          const char *transcript_json, size_t transcript_len, const char *etag,
                          const char *body, size_t body_len, ave_review_save *out, char *err,
                          size_t errlen)
{
    save_ctx c = {.err = err, .errlen = errlen};
    cJSON *segs = NULL;
    double duration;
    int r;

    memset(out, 0, sizeof(*out));
    if (errlen)
        err[0] = '\0';
    if (!(c.body = cJSON_ParseWithLength(body, body_len)) || !cJSON_IsObject(c.body)) {
        r = bad(&c, AVE_ERR_USAGE, "the edit is not a JSON object");
        goto out;
    }
    const char *base = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c.body, "base"));
    if (!base || !etag || strcmp(base, etag)) {
        r = bad(&c, AVE_ERR_USAGE,
                "stale edit: timeline.json changed since this page loaded it (saved from "
                "another tab, or a render). Your edit is kept in the page: download it, or "
                "reload to start from the saved version");
        goto out;
    }
    if (!(c.timeline = cJSON_ParseWithLength(timeline_json, timeline_len)) ||
        !num(c.timeline, "source_duration", &duration) || duration <= 0 || duration > MAX_TIME_S) {
        r = bad(&c, AVE_ERR_INPUT, "timeline.json is not a timeline of this program");
        goto out;
    }
    if (!(c.transcript = cJSON_ParseWithLength(transcript_json, transcript_len))) {
        r = bad(&c, AVE_ERR_INPUT, "transcript.json is not valid JSON");
        goto out;
    }
    if ((r = check_segments(&c, duration, &segs)) < 0 || (r = load_words(&c)) < 0 ||
        (r = apply_corrections(&c, &out->corrected)) < 0)
        goto out;
    /* Derived lists would now be wrong; render writes them again. */
    cJSON_DeleteItemFromObjectCaseSensitive(c.timeline, "kept");
    cJSON_DeleteItemFromObjectCaseSensitive(c.timeline, "removed");
    cJSON_DeleteItemFromObjectCaseSensitive(c.timeline, "edited_duration");
    if (!cJSON_ReplaceItemInObjectCaseSensitive(c.timeline, "segments", segs) &&
        !cJSON_AddItemToObject(c.timeline, "segments", segs)) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    segs = NULL; /* owned by the timeline now */
    if (!(out->timeline_json = cJSON_Print(c.timeline))) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    out->timeline_len = strlen(out->timeline_json);
    if ((r = ttxt_write(c.words, c.nwords, &out->transcript_txt, &out->transcript_len)) < 0)
        goto out;
    r = 0;
out:
    if (r < 0)
        ave_review_save_free(out);
    cJSON_Delete(segs);
    cJSON_Delete(c.body);
    cJSON_Delete(c.timeline);
    cJSON_Delete(c.transcript);
    free(c.words);
    return r;
}

void ave_review_save_free(ave_review_save *s)
{
    if (!s)
        return;
    free(s->timeline_json);
    free(s->transcript_txt);
    memset(s, 0, sizeof(*s));
}

void ave_review_etag(const char *data, size_t len, char tag[17])
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)data[i];
        h *= 1099511628211ull;
    }
    snprintf(tag, 17, "%016llx", (unsigned long long)h);
}
