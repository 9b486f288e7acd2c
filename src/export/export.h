/* The edit as the NLE exports see it, and the writers that print it.
 *
 * export_model.c turns the job (source timeline in microseconds, chapters,
 * media info) into whole frames at the source frame rate once; each writer
 * (one file per format) only formats that model, so every export carries
 * exactly the same cuts. Writers return a malloc'd, NUL-terminated text that
 * the caller frees; they never touch the job. */
#ifndef AVE_EXPORT_H
#define AVE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"
#include "core/dynbuf.h"
#include "export/timecode.h"

/* One kept segment: source frames [src_in, src_out) placed on the edited
 * timeline at [rec_in, rec_in + src_out - src_in). */
typedef struct export_clip {
    int64_t src_in, src_out;
    int64_t rec_in;
} export_clip;

enum export_marker_kind { EXPORT_MARKER_CHAPTER, EXPORT_MARKER_HIGHLIGHT };

/* A chapter or highlight marker at an edited-timeline frame. */
typedef struct export_marker {
    int64_t rec_frame;
    int64_t src_us; /* where it is in the source, for comments */
    const char *title; /* borrowed from the job */
    int kind;          /* enum export_marker_kind */
    int64_t frames;    /* HIGHLIGHT: its length on the edit; 0 for a chapter */
} export_marker;

/* "Chapter" or "Highlight": a marker's kind, and its name when untitled. */
const char *export_marker_kind_name(const export_marker *m);

typedef struct export_edit {
    const char *name;      /* the input's base name without extension (borrowed) */
    const char *file_name; /* base name with extension (points into path) */
    char *path;            /* absolute source path, malloc'd */
    char *url;             /* file:///... percent-encoded, malloc'd */
    tc_rate rate;          /* the source frame rate (30 fps when there is no video) */
    int has_video, has_audio;
    int width, height;     /* display size (rotation applied) */
    int sample_rate, channels; /* channels shown as tracks: 1 or 2 */
    int64_t src_frames;    /* length of the source in frames */
    int64_t start_frame;   /* edited timelines start at 01:00:00:00 (this frame count) */
    export_clip *clips;    /* in edited order, malloc'd */
    size_t clip_count;
    int64_t rec_frames;    /* edited length in frames */
    export_marker *markers; /* by time, malloc'd */
    size_t marker_count;
} export_edit;

/* Build the model from the job's final timeline and chapters. Kept segments
 * shorter than half a frame vanish. Returns 0 or a negative AVE_ERR_* (the
 * message is recorded on the job). On failure *e is freed. */
int export_edit_build(ave_job *job, export_edit *e);
void export_edit_free(export_edit *e);

/* Index of the clip that plays at edited frame f (the last one when f is at
 * or past the end). */
size_t export_clip_at(const export_edit *e, int64_t rec_frame);

/* The writers. Each returns 0 and *out (malloc'd) or AVE_ERR_NOMEM. */
int export_xmeml(const export_edit *e, int version, char **out);  /* FCP7 XML */
int export_fcpxml(const export_edit *e, char **out);              /* FCPXML 1.9 */
int export_edl(const export_edit *e, char **out);                 /* CMX3600 */
int export_otio(const export_edit *e, char **out);                /* OpenTimelineIO */
int export_json(const export_edit *e, char **out);                /* our own */

/* The writers build their documents in a dynbuf capped at EXPORT_TEXT_MAX
 * bytes, so a runaway timeline cannot eat the memory budget. */
#define EXPORT_TEXT_MAX (256u << 20)

/* Append s with XML's five special characters escaped, control characters
 * other than tab/newline dropped (XML 1.0 forbids them) and bytes that are
 * not UTF-8 replaced by U+FFFD, so the document stays well-formed. */
void export_xml_text(dynbuf *b, const char *s);

#endif
