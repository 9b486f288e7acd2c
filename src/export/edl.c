/* CMX3600 EDL, the lowest common denominator every NLE imports (Premiere:
 * File > Import; Resolve: File > Import > Timeline; Avid; FCP 7).
 *
 * One cut event per kept segment, with video and audio in the same event
 * ("AA/V": video plus audio 1 and 2; "B" for video plus one audio channel;
 * "V" or "AA"/"A" when a kind is missing), so they stay in sync. Source
 * timecode counts frames from 00:00:00:00 at the source rate (the file's own
 * embedded timecode is not read, see docs/EXPORTS.md); record timecode
 * starts at 01:00:00:00. "FCM: DROP FRAME" and a ';' before the frames mark
 * 29.97/59.94 drop-frame timecode. The reel is the file name cut to CMX's 8
 * characters; "* FROM CLIP NAME" and "* SOURCE FILE" comments carry the full
 * name and path for relinking, and each chapter is an Avid-style
 * "* LOC:" locator comment under the event that plays it. CMX allows 999
 * events; beyond that the numbers simply continue with four digits. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

/* Reel name: up to 8 of [A-Z0-9_] from the file name, "AX" if none. */
static void reel_name(const export_edit *e, char reel[9])
{
    size_t n = 0;

    for (const char *s = e->name; *s && n < 8; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c))
            reel[n++] = (char)toupper(c);
        else if (c == '_' || c == '-' || c == ' ' || c == '.')
            reel[n++] = '_';
    }
    reel[n] = '\0';
    if (!n)
        strcpy(reel, "AX");
}

static const char *channel_field(const export_edit *e)
{
    if (!e->has_audio)
        return "V";
    if (!e->has_video)
        return e->channels == 2 ? "AA" : "A";
    return e->channels == 2 ? "AA/V" : "B";
}

/* A comment's text on one line: control characters become spaces. */
static void comment_text(dynbuf *b, const char *s)
{
    for (; s && *s; s++)
        dynbuf_printf(b, "%c", (unsigned char)*s < 0x20 ? ' ' : *s);
}

int export_edl(const export_edit *e, char **out)
{
    dynbuf b = DYNBUF_INIT(EXPORT_TEXT_MAX);
    char reel[9], si[32], so[32], ri[32], ro[32];
    const char *field = channel_field(e);

    reel_name(e, reel);
    dynbuf_printf(&b, "TITLE: ");
    comment_text(&b, e->name);
    dynbuf_printf(&b, " (edited)\nFCM: %s\n", e->rate.drop ? "DROP FRAME" : "NON-DROP FRAME");
    for (size_t i = 0; i < e->clip_count; i++) {
        const export_clip *c = &e->clips[i];
        int64_t rec_out = c->rec_in + c->src_out - c->src_in;

        tc_format(&e->rate, c->src_in, si, sizeof si);
        tc_format(&e->rate, c->src_out, so, sizeof so);
        tc_format(&e->rate, e->start_frame + c->rec_in, ri, sizeof ri);
        tc_format(&e->rate, e->start_frame + rec_out, ro, sizeof ro);
        dynbuf_printf(&b, "\n%03zu  %-8s %-5s %-8s %s %s %s %s\n", i + 1, reel, field, "C", si, so,
                      ri, ro);
        dynbuf_printf(&b, "* FROM CLIP NAME: ");
        comment_text(&b, e->file_name);
        dynbuf_printf(&b, "\n* SOURCE FILE: ");
        comment_text(&b, e->path);
        dynbuf_printf(&b, "\n");
        for (size_t k = 0; k < e->marker_count; k++) {
            if (export_clip_at(e, e->markers[k].rec_frame) != i)
                continue;
            const export_marker *m = &e->markers[k];
            tc_format(&e->rate, e->start_frame + m->rec_frame, ri, sizeof ri);
            dynbuf_printf(&b, "* LOC: %s %s  ", ri,
                      m->kind == EXPORT_MARKER_HIGHLIGHT ? "GREEN " : "YELLOW");
            if (m->kind == EXPORT_MARKER_HIGHLIGHT)
                comment_text(&b, "Highlight: ");
            comment_text(&b, m->title && *m->title ? m->title : export_marker_kind_name(m));
            dynbuf_printf(&b, "\n");
        }
    }
    return dynbuf_take(&b, out, NULL);
}
