/* The content stage's highlights (--highlights N): the movement of the
 * analysis audio, the picks (content_highlights.c) left in
 * job->analysis.highlights for the exports and the report, and
 * shorts/highlights.json with each pick's times on the source and on the
 * edit, its score and parts, its title and what was said. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "content/content.h"

static int64_t to_edit(const void *map, int64_t src_us)
{
    int64_t out = 0;
    if (ave_timeline_map(map, src_us, &out) < 0)
        return src_us < 0 ? 0 : ave_timeline_kept_duration(map);
    return out;
}

static double ms3(int64_t us)
{
    return (double)(us / 1000) / 1000.0;
}

/* What the stretch says: its kept words, as heard. */
static char *spoken_text(const ave_job *job, const ave_highlight *h)
{
    size_t len = 0, cap = 256;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < job->analysis.word_count; i++) {
        const ave_word *w = &job->analysis.words[i];
        if (w->start_us < h->start_us || w->end_us > h->end_us ||
            w->flags & (AVE_WORD_CUT | AVE_WORD_ACOUSTIC))
            continue;
        size_t n = strlen(w->text);
        if (len + n + 2 > cap) {
            char *g = realloc(s, cap = (len + n + 2) * 2);
            if (!g) {
                free(s);
                return NULL;
            }
            s = g;
        }
        len += (size_t)snprintf(s + len, cap - len, "%s%s", len ? " " : "", w->text);
    }
    return s;
}

static int write_json(ave_job *job, double max_len_s)
{
    const ave_analysis *a = &job->analysis;
    cJSON *root = cJSON_CreateObject(), *list;
    char *text = NULL;
    int ret = AVE_ERR_NOMEM;
    /* the render stage runs and makes the shorts: a video, not --export-only,
     * and upright (rotated phone video is not reframed yet) */
    int renders = job->media.has_video && !(job->cfg && job->cfg->export_only) &&
                  job->media.rotation_deg % 360 == 0;

    if (!root || !cJSON_AddNumberToObject(root, "max_length_s", max_len_s) ||
        !(list = cJSON_AddArrayToObject(root, "highlights")))
        goto out;
    for (size_t i = 0; i < a->highlight_count; i++) {
        const ave_highlight *h = &a->highlights[i];
        cJSON *o = cJSON_CreateObject(), *parts;
        char *said = spoken_text(job, h);
        if (!o || !said) {
            cJSON_Delete(o);
            free(said);
            goto out;
        }
        cJSON_AddItemToArray(list, o);
        cJSON_AddNumberToObject(o, "rank", (double)(i + 1));
        cJSON_AddStringToObject(o, "title", h->title);
        cJSON_AddNumberToObject(o, "title_reliability", h->reliability);
        cJSON_AddNumberToObject(o, "source_start", ms3(h->start_us));
        cJSON_AddNumberToObject(o, "source_end", ms3(h->end_us));
        cJSON_AddNumberToObject(o, "edit_start", ms3(h->edit_start_us));
        cJSON_AddNumberToObject(o, "edit_end", ms3(h->edit_end_us));
        cJSON_AddNumberToObject(o, "duration", ms3(h->edit_end_us - h->edit_start_us));
        cJSON_AddNumberToObject(o, "score", (double)(int64_t)(h->score * 1000) / 1000);
        if (!(parts = cJSON_AddObjectToObject(o, "parts"))) {
            free(said);
            goto out;
        }
        cJSON_AddNumberToObject(parts, "keyphrases", h->keyphrases);
        cJSON_AddNumberToObject(parts, "question", h->question);
        cJSON_AddNumberToObject(parts, "number", h->number);
        cJSON_AddNumberToObject(parts, "list", h->list);
        cJSON_AddNumberToObject(parts, "movement", h->movement);
        cJSON_AddNumberToObject(parts, "pause", h->pause);
        cJSON_AddStringToObject(o, "text", said);
        free(said);
        if (renders) { /* the render stage makes it (src/render/reframe.c) */
            char file[32];
            snprintf(file, sizeof(file), "shorts/%02zu.mp4", i + 1);
            cJSON_AddStringToObject(o, "file", file);
        }
    }
    if (!(text = cJSON_Print(root)))
        goto out;
    ret = ave_job_write_file(job, "shorts/highlights.json", text, strlen(text));
out:
    cJSON_free(text);
    cJSON_Delete(root);
    return ret == AVE_ERR_NOMEM ? ave_job_fail(job, ret, "content: out of memory") : ret;
}

int content_pick_highlights(ave_job *job, const content_text *t, size_t count, double max_len_s,
                            double min_reliability)
{
    ave_analysis *a = &job->analysis;
    hl_movement mv = {0};
    hl_params p = {.count = count,
                   .max_us = (int64_t)(max_len_s * 1e6),
                   .min_reliability = min_reliability,
                   .to_edit = to_edit,
                   .map = &job->timeline};
    int ret;

    /* the shortest a quarter of the longest, at least 5 s: 15-60 s by default */
    p.min_us = p.max_us / 4 > 5000000 ? p.max_us / 4 : 5000000;
    if (p.min_us > p.max_us)
        p.min_us = p.max_us;
    free(a->highlights);
    a->highlights = NULL;
    a->highlight_count = 0;
    if (!count)
        return 0;
    if ((ret = content_movement(a->audio.samples, a->audio.count, a->audio.sample_rate, &mv)) <
            0 ||
        (ret = content_highlights(t, a->keyphrases, a->keyphrase_count, a->concepts,
                                  a->concept_count, mv.count ? &mv : NULL, &p, &a->highlights,
                                  &a->highlight_count)) < 0) {
        free(mv.value);
        return ave_job_fail(job, ret, "content: out of memory");
    }
    free(mv.value);
    ave_job_metric_number(job, CONTENT_LOG, "highlights", (double)a->highlight_count);
    if (a->highlight_count < count)
        ave_log(AVE_LOG_INFO, CONTENT_LOG,
                "%zu of %zu highlight(s): the edit has no more stretches of whole sentences "
                "%.0f-%.0f s long that do not overlap",
                a->highlight_count, count, (double)p.min_us / 1e6, max_len_s);
    return write_json(job, max_len_s);
}
