/* FCPXML 1.9 for Final Cut Pro (File > Import > XML).
 *
 * Resources: one <format> (frame duration, size) and one <asset> for the
 * source, whose <media-rep kind="original-media"> points at the original
 * file (1.9 moved the URL there from the asset's src attribute). The project
 * is a sequence whose spine holds one <asset-clip> per kept segment; an
 * asset-clip carries the file's video and audio together, so they stay
 * linked. Every time is rational seconds on the frame grid
 * (frames * 1001/30000s, reduced), offsets start at the sequence's tcStart
 * (01:00:00:00), and chapters are <chapter-marker>s inside the clip that
 * plays them, at the clip's source time. Without video the format is a
 * 1080p placeholder at 30 fps, since a sequence must name one. */
#include <stdlib.h>

#include "export/export.h"

static const char *audio_rate(int hz)
{
    switch (hz) {
    case 32000: return "32k";
    case 44100: return "44.1k";
    case 88200: return "88.2k";
    case 96000: return "96k";
    case 176400: return "176.4k";
    case 192000: return "192k";
    default: return "48k";
    }
}

static int clip_has_markers(const export_edit *e, size_t i)
{
    for (size_t k = 0; k < e->marker_count; k++)
        if (export_clip_at(e, e->markers[k].rec_frame) == i)
            return 1;
    return 0;
}

static void chapter_markers(dynbuf *b, const export_edit *e, size_t i)
{
    const export_clip *c = &e->clips[i];
    char start[64], one[64];

    tc_rational(&e->rate, 1, one, sizeof one);
    for (size_t k = 0; k < e->marker_count; k++) {
        const export_marker *m = &e->markers[k];
        if (export_clip_at(e, m->rec_frame) != i)
            continue;
        tc_rational(&e->rate, c->src_in + m->rec_frame - c->rec_in, start, sizeof start);
        if (m->kind == EXPORT_MARKER_HIGHLIGHT) {
            /* a plain marker spanning the highlight, named so it sorts apart */
            char len[64];
            tc_rational(&e->rate, m->frames, len, sizeof len);
            dynbuf_printf(b, "              <marker start=\"%s\" duration=\"%s\" value=\"", start,
                      len);
            export_xml_text(b, "Highlight: ");
            export_xml_text(b, m->title && *m->title ? m->title : "");
            dynbuf_printf(b, "\"/>\n");
            continue;
        }
        dynbuf_printf(b, "              <chapter-marker start=\"%s\" duration=\"%s\" value=\"", start,
                  one);
        export_xml_text(b, m->title && *m->title ? m->title : "Chapter");
        dynbuf_printf(b, "\" posterOffset=\"0s\"/>\n");
    }
}

int export_fcpxml(const export_edit *e, char **out)
{
    dynbuf b = DYNBUF_INIT(EXPORT_TEXT_MAX);
    char t1[64], t2[64], t3[64];
    const char *tcf = e->rate.drop ? "DF" : "NDF";

    dynbuf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fcpxml>\n");
    dynbuf_printf(&b, "<fcpxml version=\"1.9\">\n  <resources>\n");
    tc_rational(&e->rate, 1, t1, sizeof t1);
    dynbuf_printf(&b, "    <format id=\"r1\" frameDuration=\"%s\" width=\"%d\" height=\"%d\"/>\n",
                  t1, e->has_video && e->width > 0 ? e->width : 1920,
                  e->has_video && e->height > 0 ? e->height : 1080);
    tc_rational(&e->rate, e->src_frames, t1, sizeof t1);
    dynbuf_printf(&b, "    <asset id=\"r2\" name=\"");
    export_xml_text(&b, e->name);
    dynbuf_printf(&b, "\" start=\"0s\" duration=\"%s\" hasVideo=\"%d\"", t1, e->has_video);
    if (e->has_video)
        dynbuf_printf(&b, " format=\"r1\" videoSources=\"1\"");
    dynbuf_printf(&b, " hasAudio=\"%d\"", e->has_audio);
    if (e->has_audio)
        dynbuf_printf(&b, " audioSources=\"1\" audioChannels=\"%d\" audioRate=\"%d\"", e->channels,
                      e->sample_rate);
    dynbuf_printf(&b, ">\n      <media-rep kind=\"original-media\" src=\"");
    export_xml_text(&b, e->url);
    dynbuf_printf(&b, "\"/>\n    </asset>\n  </resources>\n  <library>\n");
    dynbuf_printf(&b, "    <event name=\"AI Video Editor\">\n      <project name=\"");
    export_xml_text(&b, e->name);
    tc_rational(&e->rate, e->rec_frames, t1, sizeof t1);
    tc_rational(&e->rate, e->start_frame, t2, sizeof t2);
    dynbuf_printf(&b,
                  " (edited)\">\n        <sequence format=\"r1\" duration=\"%s\" tcStart=\"%s\" "
                  "tcFormat=\"%s\" audioLayout=\"%s\" audioRate=\"%s\">\n          <spine>\n",
                  t1, t2, tcf, e->channels == 2 ? "stereo" : "mono", audio_rate(e->sample_rate));
    for (size_t i = 0; i < e->clip_count; i++) {
        const export_clip *c = &e->clips[i];
        tc_rational(&e->rate, e->start_frame + c->rec_in, t1, sizeof t1);
        tc_rational(&e->rate, c->src_in, t2, sizeof t2);
        tc_rational(&e->rate, c->src_out - c->src_in, t3, sizeof t3);
        dynbuf_printf(&b, "            <asset-clip ref=\"r2\" name=\"");
        export_xml_text(&b, e->name);
        dynbuf_printf(&b, "\" offset=\"%s\" start=\"%s\" duration=\"%s\" tcFormat=\"%s\"", t1, t2,
                      t3, tcf);
        if (e->has_video)
            dynbuf_printf(&b, " format=\"r1\"");
        dynbuf_printf(&b, " audioRole=\"dialogue\"");
        if (clip_has_markers(e, i)) {
            dynbuf_printf(&b, ">\n");
            chapter_markers(&b, e, i);
            dynbuf_printf(&b, "            </asset-clip>\n");
        } else {
            dynbuf_printf(&b, "/>\n");
        }
    }
    dynbuf_printf(&b, "          </spine>\n        </sequence>\n      </project>\n    </event>\n");
    dynbuf_printf(&b, "  </library>\n</fcpxml>\n");
    return dynbuf_take(&b, out, NULL);
}
