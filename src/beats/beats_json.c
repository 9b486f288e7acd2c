/* analysis/beats.json: the beat grid, tempo segments and energy sections,
 * in seconds on the source timeline. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "beats/beats_json.h"

static int add_times(cJSON *root, const char *name, const int64_t *us, size_t n)
{
    cJSON *a = cJSON_AddArrayToObject(root, name);

    if (!a)
        return -1;
    for (size_t i = 0; i < n; i++) {
        cJSON *v = cJSON_CreateNumber((double)us[i] / 1e6);
        if (!v)
            return -1;
        cJSON_AddItemToArray(a, v);
    }
    return 0;
}

int beats_write_json(ave_job *job, const beats_summary *sum)
{
    const ave_beats *b = &job->analysis.beats;
    cJSON *root = cJSON_CreateObject(), *a;
    char *text = NULL;
    int ret = AVE_ERR_NOMEM;

    if (!root || !cJSON_AddNumberToObject(root, "version", 1) ||
        !cJSON_AddNumberToObject(root, "tempo", b->tempo_bpm) ||
        !cJSON_AddNumberToObject(root, "beats_per_bar", b->beats_per_bar) ||
        !cJSON_AddNumberToObject(root, "confidence", b->confidence) ||
        !cJSON_AddNumberToObject(root, "periodicity", sum->periodicity) ||
        !(a = cJSON_AddArrayToObject(root, "tempo_segments")))
        goto out;
    for (size_t i = 0; i < sum->seg_count; i++) {
        const beats_tempo_seg *s = &sum->segs[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            goto out;
        cJSON_AddItemToArray(a, o);
        if (!cJSON_AddNumberToObject(o, "start", s->offset_s + s->period_s * s->k_first) ||
            !cJSON_AddNumberToObject(o, "end", s->offset_s + s->period_s * s->k_last) ||
            !cJSON_AddNumberToObject(o, "bpm", 60.0 / s->period_s) ||
            !cJSON_AddNumberToObject(o, "fitted_beats", (double)s->inliers) ||
            !cJSON_AddNumberToObject(o, "residual_ms", s->rms_s * 1e3))
            goto out;
    }
    if (add_times(root, "beats", b->beats_us, b->beat_count) < 0 ||
        add_times(root, "downbeats", b->downbeats_us, b->downbeat_count) < 0 ||
        !(a = cJSON_AddArrayToObject(root, "onset_strength")))
        goto out;
    for (size_t i = 0; i < b->beat_count && sum->strength; i++) {
        cJSON *v = cJSON_CreateNumber((double)sum->strength[i]);
        if (!v)
            goto out;
        cJSON_AddItemToArray(a, v);
    }
    if (!(a = cJSON_AddArrayToObject(root, "sections")))
        goto out;
    for (size_t i = 0; i < b->section_count; i++) {
        const ave_music_section *s = &b->sections[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            goto out;
        cJSON_AddItemToArray(a, o);
        if (!cJSON_AddNumberToObject(o, "start", (double)s->start_us / 1e6) ||
            !cJSON_AddNumberToObject(o, "end", (double)s->end_us / 1e6) ||
            !cJSON_AddNumberToObject(o, "energy_db", s->energy_db) ||
            !cJSON_AddStringToObject(o, "label", s->label))
            goto out;
    }
    if (!(text = cJSON_Print(root)))
        goto out;
    ret = ave_job_write_file(job, "analysis/beats.json", text, strlen(text));
out:
    if (ret == AVE_ERR_NOMEM)
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "%s: out of memory writing beats.json",
                           job->input_path);
    free(text);
    cJSON_Delete(root);
    return ret;
}
