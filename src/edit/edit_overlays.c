/* B-roll cards again for a re-render (see edit_load_overlays in edit.h).
 *
 * The cards were drawn by the broll stage from the content analysis, which a
 * re-render does not run; their pictures and source times are all in
 * broll/broll_plan.json, and overlays are placed in source time, so the same
 * cards land on the same words whatever the new edit cuts around them
 * (render shows a card only where the timeline keeps it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "core/fsutil.h"
#include "edit/edit.h"

#define CARD_MAX_S (48.0 * 3600)
#define CARD_MAX_FADE_MS 60000.0

/* The card's pictures for the --aspect versions (aspect_files, by tag),
 * where they are still there; a missing one is letterboxed by render. */
static int add_aspect_files(ave_job *job, const cJSON *card, ave_overlay *ov)
{
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(card, "aspect_files");

    for (int k = 0; cJSON_IsObject(files) && k < AVE_ASPECT_COUNT; k++) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(files, ave_aspect_get(k)->tag);
        char *path;
        if (!cJSON_IsString(f) || strstr(f->valuestring, ".."))
            continue;
        if (!(path = ave_fs_join(job->output_dir, f->valuestring)))
            return AVE_ERR_NOMEM;
        if (access(path, R_OK) != 0) {
            free(path);
            continue;
        }
        ov->aspect_image[k] = path;
    }
    return 0;
}

static int add_card(ave_job *job, const cJSON *card)
{
    ave_analysis *a = &job->analysis;
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(card, "file");
    const cJSON *place = cJSON_GetObjectItemCaseSensitive(card, "placement");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(card, "source_start_s");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(card, "source_end_s");
    const cJSON *fade = cJSON_GetObjectItemCaseSensitive(card, "fade_ms");
    ave_overlay *ov;
    char *path;

    /* Times outside [0, 48 h] (the probe's limit) are no card of ours, and
     * converting them to microseconds would overflow (undefined). */
    if (!cJSON_IsString(file) || strstr(file->valuestring, "..") || !cJSON_IsNumber(s) ||
        !cJSON_IsNumber(e) || !(s->valuedouble >= 0) || !(e->valuedouble <= CARD_MAX_S) ||
        e->valuedouble <= s->valuedouble ||
        (int64_t)(e->valuedouble * 1e6 + 0.5) <= (int64_t)(s->valuedouble * 1e6 + 0.5))
        return 0;
    if (!(path = ave_fs_join(job->output_dir, file->valuestring)))
        return AVE_ERR_NOMEM;
    if (access(path, R_OK) != 0) {
        ave_log(AVE_LOG_WARNING, EDIT_LOG, "%s: B-roll card missing; left out", path);
        free(path);
        return 0;
    }
    ov = &a->overlays[a->overlay_count++];
    memset(ov, 0, sizeof(*ov));
    ov->image_path = path;
    ov->start_us = (int64_t)(s->valuedouble * 1e6 + 0.5);
    ov->end_us = (int64_t)(e->valuedouble * 1e6 + 0.5);
    ov->placement = cJSON_IsString(place) && !strcmp(place->valuestring, "pip") ? AVE_OVERLAY_PIP
                                                                                : AVE_OVERLAY_FULL;
    ov->fade_ms =
        cJSON_IsNumber(fade) && fade->valuedouble >= 0 && fade->valuedouble <= CARD_MAX_FADE_MS
            ? (int)fade->valuedouble
            : 300;
    return add_aspect_files(job, card, ov);
}

int edit_load_overlays(ave_job *job)
{
    char *path = ave_fs_join(job->output_dir, "broll/broll_plan.json"), *text = NULL;
    const cJSON *cards, *card;
    cJSON *root = NULL;
    size_t len, n;
    int ret = 0;

    if (!path)
        return ave_job_fail(job, AVE_ERR_NOMEM, "edit: out of memory");
    if (job->analysis.overlay_count || ave_fs_read_file(path, EDIT_MAX_JSON, &text, &len) < 0)
        goto out; /* no cards to bring back */
    root = cJSON_Parse(text);
    cards = cJSON_GetObjectItemCaseSensitive(root, "cards");
    if (!cJSON_IsArray(cards) || !(n = (size_t)cJSON_GetArraySize(cards))) {
        if (!root || !cJSON_IsArray(cards))
            ave_log(AVE_LOG_WARNING, EDIT_LOG, "%s: unreadable; B-roll cards left out", path);
        goto out;
    }
    if (!(job->analysis.overlays = calloc(n, sizeof(*job->analysis.overlays)))) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "edit: out of memory");
        goto out;
    }
    cJSON_ArrayForEach(card, cards)
    {
        if ((ret = add_card(job, card)) < 0) {
            ret = ave_job_fail(job, ret, "edit: out of memory");
            goto out;
        }
    }
    ave_log(AVE_LOG_VERBOSE, EDIT_LOG, "%zu B-roll card(s) from %s", job->analysis.overlay_count,
            path);
out:
    cJSON_Delete(root);
    free(text);
    free(path);
    return ret;
}
