/* Compositing a known card over a known frame: a 64x48 PNG, transparent but
 * for an opaque pure red 20x12 rectangle at (16,8), over a flat grey
 * limited-range yuv420p frame (Y=50, U=V=128; SD, so BT.601). Red in BT.601
 * limited range is Y=81, U=90, V=240 (16+219*0.299; 128-224*0.299/1.772;
 * 128+112). Fully shown: exactly those values inside, the frame untouched
 * outside. Mid-fade (t = start + fade/2, gain 128/256): alpha'=128, so
 * Y = (81*128 + 50*127 + 127)/255 = 66. Before the start and from the end:
 * untouched. A frame whose buffer is shared keeps the shared copy intact. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <libavutil/frame.h>

#include "ave/ave.h"
#include "check.h"
#include "render/overlay.h"

#define W 64
#define H 48

static AVFrame *grey_frame(void)
{
    AVFrame *f = av_frame_alloc();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = W;
    f->height = H;
    f->color_range = AVCOL_RANGE_MPEG;
    if (av_frame_get_buffer(f, 0) < 0)
        return NULL;
    for (int y = 0; y < H; y++)
        memset(f->data[0] + y * f->linesize[0], 50, W);
    for (int p = 1; p < 3; p++)
        for (int y = 0; y < H / 2; y++)
            memset(f->data[p] + y * f->linesize[p], 128, W / 2);
    return f;
}

static int px(const AVFrame *f, int plane, int x, int y)
{
    return f->data[plane][y * f->linesize[plane] + x];
}

int main(void)
{
    char dir[] = "/tmp/broll_blend.XXXXXX", png[600];
    ave_settings *settings = NULL;
    ave_job *job = NULL;
    render_overlays *ro = NULL;
    ave_overlay ov;
    AVFrame *f, *shared;
    cairo_surface_t *s;
    cairo_t *cr;

    if (!mkdtemp(dir))
        return 1;
    snprintf(png, sizeof(png), "%s/card.png", dir);
    s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, W, H);
    cr = cairo_create(s);
    cairo_set_source_rgba(cr, 1, 0, 0, 1);
    cairo_rectangle(cr, 16, 8, 20, 12);
    cairo_fill(cr);
    cairo_destroy(cr);
    CHECK_EQ_INT(cairo_surface_write_to_png(s, png), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);

    CHECK_EQ_INT(ave_settings_new(&settings), 0);
    CHECK_EQ_INT(ave_job_new(&job, settings, "/nonexistent/in.mp4", dir, NULL), 0);
    memset(&ov, 0, sizeof(ov));
    ov.image_path = png;
    ov.start_us = 1000000;
    ov.end_us = 3000000;
    ov.fade_ms = 100;
    CHECK_EQ_INT(render_overlays_new(&ro, job, &ov, 1, W, H, 0), 0);

    /* before the start: untouched */
    f = grey_frame();
    CHECK_EQ_INT(render_overlays_apply(ro, f, 900000), 0);
    CHECK_EQ_INT(px(f, 0, 20, 10), 50);
    CHECK_EQ_INT(render_overlays_frames(ro), 0);

    /* mid-fade, on a frame shared with someone else */
    shared = av_frame_alloc();
    CHECK_EQ_INT(av_frame_ref(shared, f), 0);
    CHECK_EQ_INT(render_overlays_apply(ro, f, 1050000), 0);
    CHECK_EQ_INT(px(f, 0, 20, 10), 66);
    CHECK_EQ_INT(px(f, 0, 10, 10), 50);
    CHECK_EQ_INT(px(shared, 0, 20, 10), 50); /* the other reference saw nothing */
    av_frame_free(&shared);
    av_frame_free(&f);

    /* fully shown */
    f = grey_frame();
    CHECK_EQ_INT(render_overlays_apply(ro, f, 2000000), 0);
    CHECK_EQ_INT(px(f, 0, 16, 8), 81);   /* first covered pixel */
    CHECK_EQ_INT(px(f, 0, 35, 19), 81);  /* last covered pixel */
    CHECK_EQ_INT(px(f, 0, 15, 8), 50);   /* just left */
    CHECK_EQ_INT(px(f, 0, 36, 19), 50);  /* just right */
    CHECK_EQ_INT(px(f, 0, 20, 20), 50);  /* just below */
    CHECK_NEAR(px(f, 1, 10, 6), 90, 1);  /* U inside */
    CHECK_NEAR(px(f, 2, 10, 6), 240, 1); /* V inside */
    CHECK_EQ_INT(px(f, 1, 4, 6), 128);   /* outside */
    CHECK_EQ_INT(px(f, 2, 10, 12), 128);
    CHECK_EQ_INT(render_overlays_frames(ro), 2);
    av_frame_free(&f);

    /* from the end on: untouched */
    f = grey_frame();
    CHECK_EQ_INT(render_overlays_apply(ro, f, 3000000), 0);
    CHECK_EQ_INT(px(f, 0, 20, 10), 50);
    av_frame_free(&f);

    render_overlays_free(&ro);
    CHECK(ro == NULL);
    CHECK_EQ_INT(job->mem_reserved_bytes, 0); /* every reservation released */
    ave_job_free(job);
    ave_settings_free(settings);
    unlink(png);
    rmdir(dir);
    return CHECK_DONE();
}
