/* timeline.json: the edit as JSON, every segment in order (with its edited
 * times when kept, its reason when cut) plus the kept and removed lists.
 * Written by the plan stage and again by `render` after the user's edits,
 * read back by src/edit/. Times are seconds on the source timeline. */
#include <cjson/cJSON.h>

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

char *ave_timeline_json(const ave_timeline *tl, const char *input_path, const char *fingerprint)
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
        cJSON *o = span(s->start_us, s->end_us), *o2 = span(s->start_us, s->end_us);

        if (!o || !o2) {
            cJSON_Delete(o);
            cJSON_Delete(o2);
            goto out;
        }
        cJSON_AddItemToArray(segs, o);
        cJSON_AddItemToArray(s->keep ? kept : removed, o2);
        if (s->keep) {
            if (!cJSON_AddNumberToObject(o, "edited_start", sec(edited)) ||
                !cJSON_AddNumberToObject(o, "edited_end", sec(edited + s->end_us - s->start_us)))
                goto out;
            edited += s->end_us - s->start_us;
        } else if (!cJSON_AddStringToObject(o2, "reason", ave_reason_name(s->reason))) {
            goto out;
        }
        if (!cJSON_AddStringToObject(o, "action", s->keep ? "keep" : "cut") ||
            !cJSON_AddStringToObject(o, "reason", ave_reason_name(s->reason)))
            goto out;
    }
    text = cJSON_Print(root);
out:
    cJSON_Delete(root);
    return text;
}

