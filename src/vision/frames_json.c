/* analysis/frames.json and analysis/scenes.json: the frames stage's results
 * for people and other tools. Times are seconds of source time; features are
 * rounded to what is meaningful (4 significant decimals) so the files stay
 * small: a 10-minute video at 3 samples/s is 1800 frames. */
#include <math.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "vision/frames_internal.h"

static double r4(double v)
{
    return round(v * 1e4) / 1e4;
}

static double sec(int64_t us)
{
    return round((double)us / 1e3) / 1e3;
}

static int add_frame(cJSON *arr, const ave_frame_features *f, size_t index)
{
    cJSON *o = cJSON_CreateObject(), *faces;

    if (!o || !cJSON_AddItemToArray(arr, o))
        goto fail;
    if (!cJSON_AddNumberToObject(o, "index", (double)index) ||
        !cJSON_AddNumberToObject(o, "time", sec(f->pts_us)) ||
        !cJSON_AddNumberToObject(o, "sharpness", round(f->sharpness * 100) / 100) ||
        !cJSON_AddNumberToObject(o, "brightness", r4(f->brightness)) ||
        !cJSON_AddNumberToObject(o, "contrast", r4(f->contrast)) ||
        !cJSON_AddNumberToObject(o, "clip_dark", r4(f->clip_dark)) ||
        !cJSON_AddNumberToObject(o, "clip_bright", r4(f->clip_bright)) ||
        !cJSON_AddNumberToObject(o, "colourfulness", round(f->colourfulness * 100) / 100) ||
        !cJSON_AddNumberToObject(o, "motion", r4(f->motion)) ||
        !cJSON_AddNumberToObject(o, "scene_distance", r4(f->scene_distance)) ||
        !cJSON_AddNumberToObject(o, "scene", f->scene_index) ||
        !(faces = cJSON_AddArrayToObject(o, "faces")))
        return -1;
    for (int i = 0; i < f->face_count && i < AVE_FRAME_MAX_FACES; i++) {
        cJSON *fo = cJSON_CreateObject();
        if (!fo || !cJSON_AddItemToArray(faces, fo))
            goto fail_face;
        if (!cJSON_AddNumberToObject(fo, "x", r4(f->faces[i].x)) ||
            !cJSON_AddNumberToObject(fo, "y", r4(f->faces[i].y)) ||
            !cJSON_AddNumberToObject(fo, "w", r4(f->faces[i].w)) ||
            !cJSON_AddNumberToObject(fo, "h", r4(f->faces[i].h)) ||
            !cJSON_AddNumberToObject(fo, "neighbours", f->faces[i].neighbours) ||
            !cJSON_AddNumberToObject(fo, "mouth_motion", r4(f->faces[i].mouth_motion)))
            return -1;
        continue;
fail_face:
        cJSON_Delete(fo);
        return -1;
    }
    return 0;
fail:
    cJSON_Delete(o);
    return -1;
}

char *frames_json_frames(const ave_analysis *a, const frames_json_info *info)
{
    cJSON *root = cJSON_CreateObject(), *arr;
    char *text = NULL;

    if (!root || !cJSON_AddNumberToObject(root, "version", 1) ||
        !cJSON_AddNumberToObject(root, "width", a->frame_width) ||
        !cJSON_AddNumberToObject(root, "height", a->frame_height) ||
        !cJSON_AddNumberToObject(root, "sample_fps", r4(info->sample_fps)) ||
        !cJSON_AddNumberToObject(root, "rotation", info->rotation_deg) ||
        !cJSON_AddBoolToObject(root, "faces_detected", info->faces_enabled) ||
        !(info->cascade ? cJSON_AddStringToObject(root, "face_cascade", info->cascade)
                        : cJSON_AddNullToObject(root, "face_cascade")) ||
        !(arr = cJSON_AddArrayToObject(root, "frames")))
        goto out;
    for (size_t i = 0; i < a->frame_count; i++)
        if (add_frame(arr, &a->frames[i], i) < 0)
            goto out;
    text = cJSON_PrintUnformatted(root);
out:
    cJSON_Delete(root);
    return text;
}

char *frames_json_scenes(const ave_analysis *a)
{
    cJSON *root = cJSON_CreateObject(), *arr;
    char *text = NULL;
    size_t f = 0;

    if (!root || !cJSON_AddNumberToObject(root, "version", 1) ||
        !(arr = cJSON_AddArrayToObject(root, "scenes")))
        goto out;
    for (size_t i = 0; i < a->scene_count; i++) {
        const ave_scene *s = &a->scenes[i];
        cJSON *o = cJSON_CreateObject();
        size_t first = f, n = 0;

        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            goto out;
        }
        while (f < a->frame_count && a->frames[f].scene_index == (int)i) {
            f++;
            n++;
        }
        if (!cJSON_AddNumberToObject(o, "index", (double)i) ||
            !cJSON_AddNumberToObject(o, "start", sec(s->start_us)) ||
            !cJSON_AddNumberToObject(o, "end", sec(s->end_us)) ||
            !cJSON_AddNumberToObject(o, "duration", sec(s->end_us - s->start_us)) ||
            !cJSON_AddNumberToObject(o, "cut_strength", r4(s->cut_strength)) ||
            !cJSON_AddBoolToObject(o, "gradual", s->gradual) ||
            !cJSON_AddNumberToObject(o, "first_frame", n ? (double)first : -1) ||
            !cJSON_AddNumberToObject(o, "frame_count", (double)n))
            goto out;
    }
    text = cJSON_Print(root);
out:
    cJSON_Delete(root);
    return text;
}
