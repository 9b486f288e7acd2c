/* Export writers on a hand-built edit (no job): XML escaping and non-UTF-8
 * bytes, the exact CMX3600 event lines of a 29.97 DF edit whose second clip
 * starts past the one-minute boundary (where drop-frame labels skip), and
 * the FCPXML rational offsets of the same clips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "export/export.h"

static void test_xml_escape(void)
{
    dynbuf b = DYNBUF_INIT(EXPORT_TEXT_MAX);
    char *out = NULL;

    export_xml_text(&b, "a<b>&\"c\" 'd'\x01\t\xc3\xa9\xff\xc3(");
    CHECK_EQ_INT(dynbuf_take(&b, &out, NULL), 0);
    /* \x01 dropped, é kept, a lone 0xFF and a truncated 0xC3 become U+FFFD */
    CHECK(out && !strcmp(out, "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;\t\xc3\xa9"
                              "\xef\xbf\xbd\xef\xbf\xbd("));
    free(out);
}

/* Two clips at 29.97: source frames [30, 120) and [1790, 1850); a chapter
 * at edited frame 100 (10 frames into the second clip). */
static void make_edit(export_edit *e, export_clip *clips, export_marker *m)
{
    memset(e, 0, sizeof(*e));
    e->name = "talk";
    e->file_name = "talk.mp4";
    e->path = "/media/talk.mp4";
    e->url = "file:///media/talk.mp4";
    tc_rate_init(&e->rate, 30000, 1001);
    e->has_video = e->has_audio = 1;
    e->width = 1920;
    e->height = 1080;
    e->sample_rate = 48000;
    e->channels = 2;
    e->src_frames = 3000;
    tc_parse(&e->rate, "01:00:00;00", &e->start_frame);
    clips[0] = (export_clip){30, 120, 0};
    clips[1] = (export_clip){1790, 1850, 90};
    e->clips = clips;
    e->clip_count = 2;
    e->rec_frames = 150;
    /* a chapter, and a highlight of 30 frames starting in the same clip */
    m[0] = (export_marker){100, 0, "Part <2>", EXPORT_MARKER_CHAPTER, 0};
    m[1] = (export_marker){110, 0, "Electric Motor", EXPORT_MARKER_HIGHLIGHT, 30};
    e->markers = m;
    e->marker_count = 2;
}

static void test_edl(void)
{
    export_edit e;
    export_clip clips[2];
    export_marker m[2];
    char *out = NULL;

    make_edit(&e, clips, m);
    CHECK_EQ_INT(export_edl(&e, &out), 0);
    if (!out)
        return;
    CHECK(strstr(out, "TITLE: talk (edited)\nFCM: DROP FRAME\n") == out);
    CHECK(strstr(out, "\n001  TALK     AA/V  C        00:00:01;00 00:00:04;00 01:00:00;00 "
                      "01:00:03;00\n") != NULL);
    /* source 1790 = 00:00:59;20, 1850 = 00:01:01;22 (;00 and ;01 skipped);
     * record 107892 + 90 = 01:00:03;00 to + 150 = 01:00:05;00 */
    CHECK(strstr(out, "\n002  TALK     AA/V  C        00:00:59;20 00:01:01;22 01:00:03;00 "
                      "01:00:05;00\n") != NULL);
    CHECK(strstr(out, "* SOURCE FILE: /media/talk.mp4\n") != NULL);
    CHECK(strstr(out, "* LOC: 01:00:03;10 YELLOW  Part <2>\n") != NULL);
    CHECK(strstr(out, "* LOC: 01:00:03;20 GREEN   Highlight: Electric Motor\n") != NULL);
    /* the marker sits under event 002 */
    CHECK(strstr(out, "* LOC:") > strstr(out, "\n002 "));
    free(out);
}

static void test_fcpxml(void)
{
    export_edit e;
    export_clip clips[2];
    export_marker m[2];
    char *out = NULL;

    make_edit(&e, clips, m);
    CHECK_EQ_INT(export_fcpxml(&e, &out), 0);
    if (!out)
        return;
    /* tcStart 107892 frames = 107892*1001/30000 s = 8999991/2500 s; clip 2
     * at offset 107892 + 90 frames, source frame 1790, 60 frames long */
    CHECK(strstr(out, "tcStart=\"8999991/2500s\"") != NULL);
    CHECK(strstr(out, "offset=\"8999991/2500s\" start=\"1001/1000s\" duration=\"3003/1000s\"") !=
          NULL);
    CHECK(strstr(out, "offset=\"18014997/5000s\" start=\"179179/3000s\" duration=\"1001/500s\"") !=
          NULL);
    /* marker: clip start 1790 + 10 frames = 1800 frames = 1801.8/30 s */
    CHECK(strstr(out, "<chapter-marker start=\"3003/50s\" duration=\"1001/30000s\" "
                      "value=\"Part &lt;2&gt;\"") != NULL);
    /* the highlight: source frame 1810 = 1810 x 1001/30000 s, 30 frames = 1001/1000 s */
    CHECK(strstr(out, "<marker start=\"181181/3000s\" duration=\"1001/1000s\" "
                      "value=\"Highlight: Electric Motor\"/>") != NULL);
    CHECK(strstr(out, "src=\"file:///media/talk.mp4\"") != NULL);
    free(out);
}

int main(void)
{
    test_xml_escape();
    test_edl();
    test_fcpxml();
    return CHECK_DONE();
}
