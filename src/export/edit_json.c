/* Our own edit list (exports/<name>.edit.json): the same cuts as the NLE
 * files, in whole source frames and seconds, for scripts and for tools that
 * read none of the NLE formats. timeline.json (written by plan) remains the
 * full record with every removed segment and its reason; this file is the
 * hand-off view: absolute source path and URL, frame rate, timecode of each
 * clip, and the chapter markers. */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "ave/error.h"
#include "export/export.h"

static int add_times(cJSON *o, const export_edit *e, const char *key, int64_t frames,
                     int64_t tc_offset)
{
    char tc[32], k[48];

    tc_format(&e->rate, tc_offset + frames, tc, sizeof tc);
    snprintf(k, sizeof k, "%s_frame", key);
    if (!cJSON_AddNumberToObject(o, k, (double)frames))
        return 0;
    snprintf(k, sizeof k, "%s_seconds", key);
    if (!cJSON_AddNumberToObject(o, k, (double)tc_us_from_frames(&e->rate, frames) / 1e6))
        return 0;
    snprintf(k, sizeof k, "%s_timecode", key);
    return cJSON_AddStringToObject(o, k, tc) != NULL;
}

static int source(cJSON *root, const export_edit *e)
{
    cJSON *s = cJSON_AddObjectToObject(root, "source");
    return s && cJSON_AddStringToObject(s, "path", e->path) &&
           cJSON_AddStringToObject(s, "url", e->url) &&
           cJSON_AddNumberToObject(s, "fps_num", e->rate.num) &&
           cJSON_AddNumberToObject(s, "fps_den", e->rate.den) &&
           cJSON_AddBoolToObject(s, "drop_frame", e->rate.drop) &&
           cJSON_AddBoolToObject(s, "has_video", e->has_video) &&
           cJSON_AddBoolToObject(s, "has_audio", e->has_audio) &&
           cJSON_AddNumberToObject(s, "width", e->width) &&
           cJSON_AddNumberToObject(s, "height", e->height) &&
           cJSON_AddNumberToObject(s, "sample_rate", e->sample_rate) &&
           cJSON_AddNumberToObject(s, "duration_frames", (double)e->src_frames);
}

int export_json(const export_edit *e, char **out)
{
    cJSON *root = cJSON_CreateObject(), *clips, *markers;
    char tc[32];
    int ret = AVE_ERR_NOMEM;

    *out = NULL;
    tc_format(&e->rate, e->start_frame, tc, sizeof tc);
    if (!root || !cJSON_AddStringToObject(root, "format", "ai-video-editor-edit") ||
        !cJSON_AddNumberToObject(root, "version", 1) || !cJSON_AddStringToObject(root, "name", e->name) ||
        !source(root, e) || !cJSON_AddStringToObject(root, "record_start_timecode", tc) ||
        !cJSON_AddNumberToObject(root, "edited_duration_frames", (double)e->rec_frames) ||
        !(clips = cJSON_AddArrayToObject(root, "clips")) ||
        !(markers = cJSON_AddArrayToObject(root, "markers")))
        goto out;
    for (size_t i = 0; i < e->clip_count; i++) {
        const export_clip *c = &e->clips[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            goto out;
        cJSON_AddItemToArray(clips, o);
        if (!add_times(o, e, "source_in", c->src_in, 0) ||
            !add_times(o, e, "source_out", c->src_out, 0) ||
            !add_times(o, e, "record_in", c->rec_in, e->start_frame) ||
            !add_times(o, e, "record_out", c->rec_in + c->src_out - c->src_in, e->start_frame))
            goto out;
    }
    for (size_t i = 0; i < e->marker_count; i++) {
        const export_marker *m = &e->markers[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            goto out;
        cJSON_AddItemToArray(markers, o);
        if (!add_times(o, e, "record", m->rec_frame, e->start_frame) ||
            !cJSON_AddNumberToObject(o, "source_seconds", (double)m->src_us / 1e6) ||
            !cJSON_AddStringToObject(o, "title", m->title ? m->title : "") ||
            !cJSON_AddStringToObject(o, "kind", m->kind == EXPORT_MARKER_HIGHLIGHT ? "highlight"
                                                                                  : "chapter") ||
            (m->kind == EXPORT_MARKER_HIGHLIGHT &&
             !cJSON_AddNumberToObject(o, "frames", (double)m->frames)))
            goto out;
    }
    if ((*out = cJSON_Print(root)))
        ret = 0;
out:
    cJSON_Delete(root);
    return ret;
}
