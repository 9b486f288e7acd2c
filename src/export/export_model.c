/* The export model: the job's final timeline in whole source frames.
 *
 * plan has already snapped every boundary to the video frame grid, so the
 * rounding here only removes microsecond noise; each kept segment becomes
 * one clip and the clips are laid end to end on the edited timeline, which
 * starts at 01:00:00:00 (the broadcast convention Resolve and Avid default
 * to). Chapter markers are placed by mapping their source time through these
 * same clips, so a marker can never fall between the frames an export
 * shows. Without video the model uses a 30 fps grid for timecode. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "export/export.h"

#define STAGE "export"

/* file:// URL of an absolute path: RFC 3986 unreserved characters and '/'
 * stay, every other byte is %XX-encoded (spaces, '#', '%', UTF-8 bytes). */
static char *file_url(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *url = malloc(7 + 3 * n + 1), *p;

    if (!url)
        return NULL;
    p = url + sprintf(url, "file://");
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
            strchr("-._~/", *s)) {
            *p++ = (char)*s;
        } else {
            *p++ = '%';
            *p++ = hex[*s >> 4];
            *p++ = hex[*s & 15];
        }
    }
    *p = '\0';
    return url;
}

size_t export_clip_at(const export_edit *e, int64_t rec_frame)
{
    for (size_t i = 0; i < e->clip_count; i++)
        if (rec_frame < e->clips[i].rec_in + e->clips[i].src_out - e->clips[i].src_in)
            return i;
    return e->clip_count ? e->clip_count - 1 : 0;
}

/* Edited frame of a source frame; a frame that was cut maps to the start of
 * the next kept clip (the join), like ave_timeline_map. */
static int64_t map_frame(const export_edit *e, int64_t src)
{
    for (size_t i = 0; i < e->clip_count; i++) {
        const export_clip *c = &e->clips[i];
        if (src < c->src_in)
            return c->rec_in;
        if (src < c->src_out)
            return c->rec_in + src - c->src_in;
    }
    return e->rec_frames;
}

static int build_clips(const ave_job *job, export_edit *e)
{
    const ave_timeline *tl = &job->timeline;
    int64_t rec = 0;

    if (!(e->clips = calloc(tl->count ? tl->count : 1, sizeof(*e->clips))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        int64_t in = tc_frames_from_us(&e->rate, s->start_us);
        int64_t out = tc_frames_from_us(&e->rate, s->end_us);

        if (out > e->src_frames)
            out = e->src_frames;
        if (!s->keep || out <= in)
            continue;
        e->clips[e->clip_count++] = (export_clip){in, out, rec};
        rec += out - in;
    }
    e->rec_frames = rec;
    return 0;
}

const char *export_marker_kind_name(const export_marker *m)
{
    return m->kind == EXPORT_MARKER_HIGHLIGHT ? "Highlight" : "Chapter";
}

static int by_frame(const void *a, const void *b)
{
    const export_marker *x = a, *y = b;
    if (x->rec_frame != y->rec_frame)
        return (x->rec_frame > y->rec_frame) - (x->rec_frame < y->rec_frame);
    return x->kind - y->kind; /* a chapter before a highlight at the same frame */
}

/* Chapters and highlights (content stage), merged by time. */
static int build_markers(const ave_job *job, export_edit *e)
{
    const ave_analysis *a = &job->analysis;
    size_t n = a->chapter_count + a->highlight_count;

    if (!n)
        return 0;
    if (!(e->markers = calloc(n, sizeof(*e->markers))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < a->chapter_count; i++) {
        int64_t f = map_frame(e, tc_frames_from_us(&e->rate, a->chapters[i].start_us));
        if (f >= e->rec_frames)
            continue; /* after the last kept frame: nothing to mark */
        e->markers[e->marker_count++] = (export_marker){
            f, a->chapters[i].start_us, a->chapters[i].title, EXPORT_MARKER_CHAPTER, 0};
    }
    for (size_t i = 0; i < a->highlight_count; i++) {
        const ave_highlight *h = &a->highlights[i];
        int64_t f = map_frame(e, tc_frames_from_us(&e->rate, h->start_us));
        int64_t end = map_frame(e, tc_frames_from_us(&e->rate, h->end_us));
        if (f >= e->rec_frames)
            continue;
        if (end > e->rec_frames)
            end = e->rec_frames;
        e->markers[e->marker_count++] = (export_marker){
            f, h->start_us, h->title, EXPORT_MARKER_HIGHLIGHT, end > f ? end - f : 1};
    }
    qsort(e->markers, e->marker_count, sizeof(*e->markers), by_frame);
    return 0;
}

int export_edit_build(ave_job *job, export_edit *e)
{
    const ave_media_info *mi = &job->media;
    int64_t src_us;
    int ret;

    memset(e, 0, sizeof(*e));
    if (!(e->path = realpath(job->input_path, NULL))) {
        ret = ave_job_fail(job, errno == ENOMEM ? AVE_ERR_NOMEM : AVE_ERR_INPUT,
                           "%s: cannot resolve the absolute path: %s", job->input_path,
                           strerror(errno));
        goto out;
    }
    if (!(e->url = file_url(e->path))) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "%s: out of memory", job->input_path);
        goto out;
    }
    e->file_name = strrchr(e->path, '/') ? strrchr(e->path, '/') + 1 : e->path;
    e->name = job->input_name ? job->input_name : e->file_name;
    e->has_video = mi->has_video && mi->fps_num > 0 && mi->fps_den > 0;
    e->has_audio = mi->has_audio;
    if ((ret = tc_rate_init(&e->rate, e->has_video ? mi->fps_num : 30,
                            e->has_video ? mi->fps_den : 1)) < 0) {
        ave_job_fail(job, ret, "%s: frame rate %d/%d is not usable", job->input_path,
                     mi->fps_num, mi->fps_den);
        goto out;
    }
    if (e->has_video && mi->vfr)
        ave_log(AVE_LOG_WARNING, STAGE,
                "variable frame rate: exports use the average rate %d/%d, cuts may be off by "
                "a frame in the NLE",
                mi->fps_num, mi->fps_den);
    e->width = mi->rotation_deg % 180 ? mi->height : mi->width;
    e->height = mi->rotation_deg % 180 ? mi->width : mi->height;
    e->sample_rate = mi->sample_rate > 0 ? mi->sample_rate : 48000;
    e->channels = mi->channels >= 2 ? 2 : 1;
    src_us = e->has_video && mi->video_duration_us > 0 ? mi->video_duration_us
                                                       : job->timeline.duration_us;
    e->src_frames = tc_frames_from_us(&e->rate, src_us);
    if ((ret = tc_parse(&e->rate, "01:00:00:00", &e->start_frame)) < 0) {
        ave_job_fail(job, AVE_ERR_INTERNAL, "export: no timecode at %d/%d fps", mi->fps_num,
                     mi->fps_den);
        goto out;
    }
    if ((ret = build_clips(job, e)) < 0 || (ret = build_markers(job, e)) < 0) {
        ave_job_fail(job, ret, "%s: out of memory", job->input_path);
        goto out;
    }
    if (!e->clip_count)
        ave_log(AVE_LOG_WARNING, STAGE, "nothing is kept: the exported timelines are empty");
    return 0;
out:
    export_edit_free(e);
    return ret;
}

void export_edit_free(export_edit *e)
{
    if (!e)
        return;
    free(e->path);
    free(e->url);
    free(e->clips);
    free(e->markers);
    memset(e, 0, sizeof(*e));
}
