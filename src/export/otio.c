/* OpenTimelineIO JSON (.otio), read by Resolve 18.5+ (File > Import >
 * Timeline), Premiere through the OTIO plug-ins, Hiero/Nuke Studio, Avid via
 * adapters and OTIO's own tools (otioview, otioconvert).
 *
 * A Timeline.1 whose Stack.1 holds a video and an audio Track.1 with one
 * Clip.1 per kept segment on each, contiguous and in step (OTIO has no
 * link, so audio and video stay together by identical ranges). Each clip's
 * ExternalReference.1 points at the original file by file:// URL, with its
 * available range; every time is a RationalTime.1 counting frames at the
 * source rate (29.97002997 for 30000/1001). Chapters are Marker.2 entries on
 * the stack, on the edited timeline; global_start_time is 01:00:00:00. */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "ave/error.h"
#include "export/export.h"

/* Add child to obj under key; on failure child is deleted (cJSON keeps it
 * only on success). A NULL child (an earlier allocation failed) fails. */
static int add(cJSON *obj, const char *key, cJSON *child)
{
    if (child && cJSON_AddItemToObject(obj, key, child))
        return 1;
    cJSON_Delete(child);
    return 0;
}

static cJSON *rational(const export_edit *e, int64_t frames)
{
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddStringToObject(o, "OTIO_SCHEMA", "RationalTime.1") ||
              !cJSON_AddNumberToObject(o, "rate", tc_fps(&e->rate)) ||
              !cJSON_AddNumberToObject(o, "value", (double)frames))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *range(const export_edit *e, int64_t start, int64_t dur)
{
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddStringToObject(o, "OTIO_SCHEMA", "TimeRange.1") ||
              !add(o, "duration", rational(e, dur)) ||
              !add(o, "start_time", rational(e, start)))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The fields every OTIO item has: schema, name, metadata. */
static cJSON *object(const char *schema, const char *name)
{
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddStringToObject(o, "OTIO_SCHEMA", schema) ||
              !cJSON_AddStringToObject(o, "name", name ? name : "") ||
              !cJSON_AddObjectToObject(o, "metadata"))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Items (clips, tracks, stacks) also have a source range (null here; clips
 * replace it), effects, markers and an enabled flag. */
static cJSON *item(const char *schema, const char *name)
{
    cJSON *o = object(schema, name);
    if (o && (!cJSON_AddNullToObject(o, "source_range") || !cJSON_AddArrayToObject(o, "effects") ||
              !cJSON_AddArrayToObject(o, "markers") || !cJSON_AddBoolToObject(o, "enabled", 1))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *clip(const export_edit *e, const export_clip *c)
{
    cJSON *o = item("Clip.1", e->file_name), *ref, *sr;

    if (!o)
        return NULL;
    if (!(sr = range(e, c->src_in, c->src_out - c->src_in)) ||
        !cJSON_ReplaceItemInObjectCaseSensitive(o, "source_range", sr)) {
        cJSON_Delete(sr);
        goto fail;
    }
    if (!add(o, "media_reference", ref = object("ExternalReference.1", "")) ||
        !add(ref, "available_range", range(e, 0, e->src_frames)) ||
        !cJSON_AddStringToObject(ref, "target_url", e->url))
        goto fail;
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static cJSON *track(const export_edit *e, const char *name, const char *kind)
{
    cJSON *t = item("Track.1", name), *children;

    if (!t || !cJSON_AddStringToObject(t, "kind", kind) ||
        !(children = cJSON_AddArrayToObject(t, "children")))
        goto fail;
    for (size_t i = 0; i < e->clip_count; i++) {
        cJSON *c = clip(e, &e->clips[i]);
        if (!c)
            goto fail;
        cJSON_AddItemToArray(children, c);
    }
    return t;
fail:
    cJSON_Delete(t);
    return NULL;
}

static int add_markers(const export_edit *e, cJSON *stack)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(stack, "markers");

    for (size_t i = 0; i < e->marker_count; i++) {
        const export_marker *m = &e->markers[i];
        int hl = m->kind == EXPORT_MARKER_HIGHLIGHT;
        cJSON *o = object("Marker.2", m->title && *m->title ? m->title : export_marker_kind_name(m));
        if (!o)
            return AVE_ERR_NOMEM;
        cJSON_AddItemToArray(list, o);
        if (!cJSON_AddStringToObject(o, "color", hl ? "GREEN" : "RED") ||
            !add(o, "marked_range", range(e, m->rec_frame, hl ? m->frames : 0)) ||
            !cJSON_AddStringToObject(o, "comment", hl ? "highlight" : "chapter"))
            return AVE_ERR_NOMEM;
    }
    return 0;
}

int export_otio(const export_edit *e, char **out)
{
    cJSON *root = object("Timeline.1", NULL), *stack = item("Stack.1", "tracks"), *kids, *t;
    char name[512];
    int ret = AVE_ERR_NOMEM;

    *out = NULL;
    snprintf(name, sizeof name, "%s (edited)", e->name);
    if (!root) {
        cJSON_Delete(stack);
        goto out;
    }
    if (!add(root, "tracks", stack) ||
        !cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(root, "name"), name) ||
        !add(root, "global_start_time", rational(e, e->start_frame)) ||
        !(kids = cJSON_AddArrayToObject(stack, "children")))
        goto out;
    if (e->has_video) {
        if (!(t = track(e, "Video 1", "Video")))
            goto out;
        cJSON_AddItemToArray(kids, t);
    }
    if (e->has_audio) {
        if (!(t = track(e, "Audio 1", "Audio")))
            goto out;
        cJSON_AddItemToArray(kids, t);
    }
    if (add_markers(e, stack) < 0)
        goto out;
    if ((*out = cJSON_Print(root)))
        ret = 0;
out:
    cJSON_Delete(root);
    return ret;
}
