/* FCP7 XML ("xmeml"), the interchange Premiere Pro and DaVinci Resolve both
 * import (File > Import > Timeline).
 *
 * One sequence at the source frame rate: a video track with one clipitem per
 * kept segment and one audio track per source channel (FCP7 has no stereo
 * tracks; a stereo file is two linked mono clips), every clip of a segment
 * linked to the others so they move together. All clips reference one
 * <file> by id, described in full once, with a file://localhost/ URL (the
 * spelling Premiere writes and Resolve reads). Chapters become sequence
 * markers. Times are integer frames at <timebase> with <ntsc> marking the
 * 1000/1001 rates; the sequence timecode starts at 01:00:00:00. */
#include <stdlib.h>

#include "export/export.h"

static void rate(dynbuf *b, const export_edit *e, const char *indent)
{
    dynbuf_printf(b, "%s<rate><timebase>%d</timebase><ntsc>%s</ntsc></rate>\n", indent,
                  e->rate.timebase, e->rate.ntsc ? "TRUE" : "FALSE");
}

static void timecode(dynbuf *b, const export_edit *e, int64_t frame, const char *indent)
{
    char tc[32];

    tc_format(&e->rate, frame, tc, sizeof tc);
    dynbuf_printf(b, "%s<timecode>\n", indent);
    dynbuf_printf(b, "%s  <rate><timebase>%d</timebase><ntsc>%s</ntsc></rate>\n", indent,
                  e->rate.timebase, e->rate.ntsc ? "TRUE" : "FALSE");
    dynbuf_printf(b, "%s  <string>%s</string>\n%s  <frame>%lld</frame>\n", indent, tc, indent,
                  (long long)frame);
    dynbuf_printf(b, "%s  <displayformat>%s</displayformat>\n%s</timecode>\n", indent,
                  e->rate.drop ? "DF" : "NDF", indent);
}

static void video_characteristics(dynbuf *b, const export_edit *e, const char *in)
{
    dynbuf_printf(b, "%s<samplecharacteristics>\n", in);
    dynbuf_printf(b, "%s  <rate><timebase>%d</timebase><ntsc>%s</ntsc></rate>\n", in,
                  e->rate.timebase, e->rate.ntsc ? "TRUE" : "FALSE");
    dynbuf_printf(b, "%s  <width>%d</width>\n%s  <height>%d</height>\n", in, e->width, in,
                  e->height);
    dynbuf_printf(b, "%s  <anamorphic>FALSE</anamorphic>\n", in);
    dynbuf_printf(b, "%s  <pixelaspectratio>square</pixelaspectratio>\n", in);
    dynbuf_printf(b, "%s  <fielddominance>none</fielddominance>\n%s</samplecharacteristics>\n", in,
                  in);
}

static void file_element(dynbuf *b, const export_edit *e, int *described)
{
    const char *in = "            ";

    if (*described) {
        dynbuf_printf(b, "%s<file id=\"file-1\"/>\n", in);
        return;
    }
    *described = 1;
    dynbuf_printf(b, "%s<file id=\"file-1\">\n%s  <name>", in, in);
    export_xml_text(b, e->file_name);
    /* file://localhost + the path part of file:///... */
    dynbuf_printf(b, "</name>\n%s  <pathurl>file://localhost", in);
    export_xml_text(b, e->url + 7);
    dynbuf_printf(b, "</pathurl>\n");
    rate(b, e, "              ");
    dynbuf_printf(b, "%s  <duration>%lld</duration>\n", in, (long long)e->src_frames);
    timecode(b, e, 0, "              ");
    dynbuf_printf(b, "%s  <media>\n", in);
    if (e->has_video) {
        dynbuf_printf(b, "%s    <video>\n", in);
        video_characteristics(b, e, "                  ");
        dynbuf_printf(b, "%s    </video>\n", in);
    }
    if (e->has_audio) {
        dynbuf_printf(b, "%s    <audio>\n%s      <samplecharacteristics><depth>16</depth>", in, in);
        dynbuf_printf(b, "<samplerate>%d</samplerate></samplecharacteristics>\n", e->sample_rate);
        dynbuf_printf(b, "%s      <channelcount>%d</channelcount>\n%s    </audio>\n", in,
                      e->channels, in);
    }
    dynbuf_printf(b, "%s  </media>\n%s</file>\n", in, in);
}

/* The <link>s of segment i: its video clip and its audio clips. */
static void links(dynbuf *b, const export_edit *e, size_t i)
{
    const char *in = "            ";

    if (e->has_video)
        dynbuf_printf(b,
                      "%s<link><linkclipref>clipitem-v%zu</linkclipref><mediatype>video</mediatype>"
                      "<trackindex>1</trackindex><clipindex>%zu</clipindex></link>\n",
                      in, i + 1, i + 1);
    for (int ch = 1; e->has_audio && ch <= e->channels; ch++)
        dynbuf_printf(b,
                      "%s<link><linkclipref>clipitem-a%d-%zu</linkclipref><mediatype>audio"
                      "</mediatype><trackindex>%d</trackindex><clipindex>%zu</clipindex>"
                      "<groupindex>1</groupindex></link>\n",
                      in, ch, i + 1, ch, i + 1);
}

/* One clipitem; ch 0 is the video clip, ch >= 1 an audio channel. */
static void clipitem(dynbuf *b, const export_edit *e, size_t i, int ch, int *described)
{
    const export_clip *c = &e->clips[i];
    const char *in = "          ";

    if (ch == 0)
        dynbuf_printf(b, "%s<clipitem id=\"clipitem-v%zu\">\n", in, i + 1);
    else
        dynbuf_printf(b, "%s<clipitem id=\"clipitem-a%d-%zu\">\n", in, ch, i + 1);
    dynbuf_printf(b, "%s  <masterclipid>masterclip-1</masterclipid>\n%s  <name>", in, in);
    export_xml_text(b, e->file_name);
    dynbuf_printf(b, "</name>\n%s  <enabled>TRUE</enabled>\n", in);
    dynbuf_printf(b, "%s  <duration>%lld</duration>\n", in, (long long)e->src_frames);
    rate(b, e, "            ");
    dynbuf_printf(b, "%s  <start>%lld</start>\n%s  <end>%lld</end>\n", in, (long long)c->rec_in, in,
                  (long long)(c->rec_in + c->src_out - c->src_in));
    dynbuf_printf(b, "%s  <in>%lld</in>\n%s  <out>%lld</out>\n", in, (long long)c->src_in, in,
                  (long long)c->src_out);
    file_element(b, e, described);
    if (ch > 0)
        dynbuf_printf(b,
                      "%s  <sourcetrack><mediatype>audio</mediatype><trackindex>%d</trackindex>"
                      "</sourcetrack>\n",
                      in, ch);
    links(b, e, i);
    dynbuf_printf(b, "%s</clipitem>\n", in);
}

static void markers(dynbuf *b, const export_edit *e)
{
    for (size_t i = 0; i < e->marker_count; i++) {
        const export_marker *m = &e->markers[i];
        int hl = m->kind == EXPORT_MARKER_HIGHLIGHT;
        dynbuf_printf(b, "    <marker>\n      <name>");
        export_xml_text(b, m->title && *m->title ? m->title : export_marker_kind_name(m));
        dynbuf_printf(b, "</name>\n      <comment>%s %zu</comment>\n", hl ? "highlight" : "chapter",
                  i + 1);
        dynbuf_printf(b, "      <in>%lld</in>\n      <out>%lld</out>\n    </marker>\n",
                  (long long)m->rec_frame, hl ? (long long)(m->rec_frame + m->frames) : -1LL);
    }
}

int export_xmeml(const export_edit *e, int version, char **out)
{
    dynbuf b = DYNBUF_INIT(EXPORT_TEXT_MAX);
    int described = 0;

    dynbuf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE xmeml>\n");
    dynbuf_printf(&b, "<xmeml version=\"%d\">\n  <sequence id=\"sequence-1\">\n    <name>",
                  version);
    export_xml_text(&b, e->name);
    dynbuf_printf(&b, " (edited)</name>\n    <duration>%lld</duration>\n",
                  (long long)e->rec_frames);
    rate(&b, e, "    ");
    timecode(&b, e, e->start_frame, "    ");
    dynbuf_printf(&b, "    <in>-1</in>\n    <out>-1</out>\n    <media>\n");
    if (e->has_video) {
        dynbuf_printf(&b, "      <video>\n        <format>\n");
        video_characteristics(&b, e, "          ");
        dynbuf_printf(&b, "        </format>\n        <track>\n");
        for (size_t i = 0; i < e->clip_count; i++)
            clipitem(&b, e, i, 0, &described);
        dynbuf_printf(&b, "          <enabled>TRUE</enabled>\n          <locked>FALSE</locked>\n");
        dynbuf_printf(&b, "        </track>\n      </video>\n");
    }
    if (e->has_audio) {
        dynbuf_printf(&b, "      <audio>\n        <numOutputChannels>%d</numOutputChannels>\n",
                      e->channels);
        dynbuf_printf(&b,
                      "        <format><samplecharacteristics><depth>16</depth><samplerate>%d"
                      "</samplerate></samplecharacteristics></format>\n",
                      e->sample_rate);
        for (int ch = 1; ch <= e->channels; ch++) {
            dynbuf_printf(&b, "        <track>\n");
            for (size_t i = 0; i < e->clip_count; i++)
                clipitem(&b, e, i, ch, &described);
            dynbuf_printf(&b,
                          "          <enabled>TRUE</enabled>\n          <locked>FALSE</locked>\n");
            dynbuf_printf(&b, "          <outputchannelindex>%d</outputchannelindex>\n",
                          e->channels == 2 ? ch : 1);
            dynbuf_printf(&b, "        </track>\n");
        }
        dynbuf_printf(&b, "      </audio>\n");
    }
    dynbuf_printf(&b, "    </media>\n");
    markers(&b, e);
    dynbuf_printf(&b, "  </sequence>\n</xmeml>\n");
    return dynbuf_take(&b, out, NULL);
}
