/* timeline.json: the edit as JSON, every segment in order (with its edited
 * times when kept, its reason when cut) plus the kept and removed lists.
 * Written by the plan stage and again by `render` after the user's edits,
 * read back by src/edit/. Times are seconds on the source timeline. */
#include <cjson/cJSON.h>

#include "ave/job.h"
#include "ave/timeline.h"

static double sec(int64_t us)
{
    return (double)us / 1e6;
}

static cJSON *span(int64_t a, int64_t b)
{
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddNumberToObject(o, "start", sec(a)) ||
              !cJSON_AddNumberToObject(o, "end", sec(b)))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* One "keep" or "suggest" entry of segs for [a, b) of a kept segment. */
static int add_kept_piece(cJSON *segs, int64_t a, int64_t b, int64_t *edited,
                          const ave_word *sugg)
{
    cJSON *o = span(a, b);

    if (!o)
        return -1;
    cJSON_AddItemToArray(segs, o);
    if (!cJSON_AddNumberToObject(o, "edited_start", sec(*edited)) ||
        !cJSON_AddNumberToObject(o, "edited_end", sec(*edited + b - a)))
        return -1;
    *edited += b - a;
    if (!sugg)
        return cJSON_AddStringToObject(o, "action", "keep") &&
                       cJSON_AddStringToObject(o, "reason", "keep")
                   ? 0
                   : -1;
    return cJSON_AddStringToObject(o, "action", "suggest") &&
                   cJSON_AddStringToObject(o, "reason", "filler") &&
                   cJSON_AddNumberToObject(o, "confidence",
                                           (double)(int)(sugg->filler_score * 100 + 0.5) / 100) &&
                   cJSON_AddStringToObject(o, "text", sugg->text)
               ? 0
               : -1;
}

/* A kept segment, split where suggested words (sorted) lie in it. */
static int add_kept(cJSON *segs, const ave_segment *s, int64_t *edited, const ave_word *w,
                    size_t n)
{
    int64_t at = s->start_us;

    for (size_t i = 0; i < n; i++) {
        int64_t a = w[i].start_us > at ? w[i].start_us : at;
        int64_t b = w[i].end_us < s->end_us ? w[i].end_us : s->end_us;
        if (!(w[i].flags & AVE_WORD_SUGGESTED) || b <= a)
            continue;
        if ((a > at && add_kept_piece(segs, at, a, edited, NULL) < 0) ||
            add_kept_piece(segs, a, b, edited, &w[i]) < 0)
            return -1;
        at = b;
    }
    return at < s->end_us ? add_kept_piece(segs, at, s->end_us, edited, NULL) : 0;
}

char *ave_timeline_json_words(const ave_timeline *tl, const char *input_path,
                              const char *fingerprint, const struct ave_word *words, size_t nw)
{
    cJSON *root = cJSON_CreateObject(), *segs, *kept, *removed;
    char *text = NULL;
    int64_t edited = 0;

    if (!root)
        return NULL;
    if (!cJSON_AddNumberToObject(root, "version", 1) ||
        !cJSON_AddStringToObject(root, "input", input_path) ||
        (fingerprint && fingerprint[0] &&
         !cJSON_AddStringToObject(root, "input_fingerprint", fingerprint)) ||
        !cJSON_AddNumberToObject(root, "source_duration", sec(tl->duration_us)) ||
        !cJSON_AddNumberToObject(root, "edited_duration", sec(ave_timeline_kept_duration(tl))) ||
        !(segs = cJSON_AddArrayToObject(root, "segments")) ||
        !(kept = cJSON_AddArrayToObject(root, "kept")) ||
        !(removed = cJSON_AddArrayToObject(root, "removed")))
        goto out;
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        cJSON *o, *o2 = span(s->start_us, s->end_us);

        if (!o2)
            goto out;
        cJSON_AddItemToArray(s->keep ? kept : removed, o2);
        if (s->keep) {
            if (add_kept(segs, s, &edited, words, words ? nw : 0) < 0)
                goto out;
            continue;
        }
        if (!cJSON_AddStringToObject(o2, "reason", ave_reason_name(s->reason)) ||
            !(o = span(s->start_us, s->end_us)))
            goto out;
        cJSON_AddItemToArray(segs, o);
        if (!cJSON_AddStringToObject(o, "action", "cut") ||
            !cJSON_AddStringToObject(o, "reason", ave_reason_name(s->reason)))
            goto out;
    }
    text = cJSON_Print(root);
out:
    cJSON_Delete(root);
    return text;
}

char *ave_timeline_json(const ave_timeline *tl, const char *input_path, const char *fingerprint)
{
    return ave_timeline_json_words(tl, input_path, fingerprint, NULL, 0);
}
