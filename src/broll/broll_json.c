/* broll/broll_plan.json: every card with its times on both timelines, kind,
 * placement, file and the words that triggered it, plus why the other
 * candidates got no card. Times are seconds with millisecond precision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/aspect.h"
#include "ave/error.h"
#include "broll/broll_json.h"

static const char *corner_name(int c)
{
    static const char *const names[] = {"top-left", "top-right", "bottom-left", "bottom-right"};
    return c >= 0 && c < 4 ? names[c] : "bottom-right";
}

static double sec(int64_t us)
{
    return (double)(us / 1000) / 1000.0;
}

/* The recognised words inside [s, e) joined by spaces, else fallback. */
static void trigger_words(const ave_analysis *a, int64_t s, int64_t e, const char *fallback,
                          char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < a->word_count && o + 1 < len; i++) {
        const ave_word *w = &a->words[i];
        if (w->end_us <= s || w->start_us >= e || (w->flags & (AVE_WORD_FILLER | AVE_WORD_ACOUSTIC)))
            continue;
        int n = snprintf(out + o, len - o, "%s%s", o ? " " : "", w->text);
        if (n < 0 || (size_t)n >= len - o)
            break;
        o += (size_t)n;
    }
    if (!out[0])
        snprintf(out, len, "%s", fallback ? fallback : "");
}

void broll_aspect_file(const char *file, const char *tag, char *out, size_t len)
{
    size_t n = strlen(file);
    if (n >= 4 && !strcmp(file + n - 4, ".png"))
        n -= 4;
    snprintf(out, len, "%.*s_%s.png", (int)n, file, tag);
}

int broll_json_write(ave_job *job, const broll_json_info *info)
{
    cJSON *root = cJSON_CreateObject(), *cards, *skipped;
    char *text = NULL;
    int ret = AVE_ERR_NOMEM;

    if (!root)
        goto out;
    cJSON_AddStringToObject(root, "enabled_by", info->enabled_by);
    cJSON_AddNumberToObject(root, "width", info->width);
    cJSON_AddNumberToObject(root, "height", info->height);
    cJSON_AddNumberToObject(root, "min_score", info->params->min_score);
    cJSON_AddNumberToObject(root, "max_per_minute", info->params->max_per_minute);
    cJSON_AddNumberToObject(root, "min_gap_s", sec(info->params->min_gap_us));
    if (!(cards = cJSON_AddArrayToObject(root, "cards")))
        goto out;
    for (size_t i = 0; i < info->count; i++) {
        const broll_item *it = &info->items[i];
        const ave_concept *c = it->concept >= 0 ? &info->analysis->concepts[it->concept] : NULL;
        cJSON *o = cJSON_CreateObject();
        char words[512];
        if (!o)
            goto out;
        cJSON_AddItemToArray(cards, o);
        cJSON_AddNumberToObject(o, "index", (double)i + 1);
        cJSON_AddStringToObject(o, "file", info->files[i]);
        cJSON_AddStringToObject(o, "type", broll_kind_name(it->kind));
        cJSON_AddStringToObject(o, "placement", it->placement == AVE_OVERLAY_PIP ? "pip" : "full");
        if (it->placement == AVE_OVERLAY_PIP)
            cJSON_AddStringToObject(o, "corner", corner_name(it->corner));
        cJSON_AddNumberToObject(o, "source_start_s", sec(it->src_start_us));
        cJSON_AddNumberToObject(o, "source_end_s", sec(it->src_end_us));
        cJSON_AddNumberToObject(o, "edited_start_s", sec(it->edit_start_us));
        cJSON_AddNumberToObject(o, "edited_end_s", sec(it->edit_end_us));
        cJSON_AddNumberToObject(o, "duration_s", sec(it->edit_end_us - it->edit_start_us));
        cJSON_AddNumberToObject(o, "fade_ms", info->params->fade_ms);
        cJSON_AddNumberToObject(o, "score", it->score);
        if (c) {
            trigger_words(info->analysis, c->start_us, c->end_us, c->text, words, sizeof(words));
            cJSON_AddStringToObject(o, "concept_label", c->label);
            if (c->item_count > 0) {
                cJSON *items = cJSON_AddArrayToObject(o, "items");
                for (int k = 0; items && k < c->item_count; k++)
                    cJSON_AddItemToArray(items, cJSON_CreateString(c->items[k]));
            }
        } else {
            snprintf(words, sizeof(words), "%s", info->analysis->chapters[it->chapter].title);
            cJSON_AddNumberToObject(o, "chapter", it->chapter + 1);
        }
        cJSON_AddStringToObject(o, "trigger", words);
        if (i < info->analysis->overlay_count) { /* the card drawn again per aspect */
            const ave_overlay *ov = &info->analysis->overlays[i];
            cJSON *files = NULL;
            for (int k = 0; k < AVE_ASPECT_COUNT; k++) {
                char rel[96];
                if (!ov->aspect_image[k])
                    continue;
                if (!files && !(files = cJSON_AddObjectToObject(o, "aspect_files")))
                    goto out;
                broll_aspect_file(info->files[i], ave_aspect_get(k)->tag, rel, sizeof(rel));
                cJSON_AddStringToObject(files, ave_aspect_get(k)->tag, rel);
            }
        }
    }
    if (!(skipped = cJSON_AddObjectToObject(root, "skipped")))
        goto out;
    cJSON_AddNumberToObject(skipped, "candidates", (double)info->stats->candidates);
    cJSON_AddNumberToObject(skipped, "below_threshold", (double)info->stats->below_threshold);
    cJSON_AddNumberToObject(skipped, "cut_from_edit", (double)info->stats->cut);
    cJSON_AddNumberToObject(skipped, "spacing", (double)info->stats->spacing);
    cJSON_AddNumberToObject(skipped, "unusable", (double)info->stats->unusable);
    if (!(text = cJSON_Print(root)))
        goto out;
    ret = ave_job_write_file(job, "broll/broll_plan.json", text, strlen(text));
out:
    if (ret == AVE_ERR_NOMEM)
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "broll: out of memory writing broll_plan.json");
    free(text);
    cJSON_Delete(root);
    return ret;
}
