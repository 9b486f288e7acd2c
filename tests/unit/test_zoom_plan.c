/* The punch-in planner on constructed faces: framing alternates at every
 * cut, a face anywhere (edge, moving, two speakers) lies inside the crop
 * with its margins at every instant, a face too big for the punch-in lowers
 * it or keeps the span full frame, push-in shrinks the crop around the same
 * face, faces far outside a span do not count, display -> coded
 * rotation, and the saliency point of a picture without a face. */
#include <stdint.h>
#include <string.h>

#include "ave/error.h"
#include "check.h"
#include "render/zoom_plan.h"

#define EPS 1e-9

static int inside(ave_zoom_box in, ave_zoom_box out)
{
    return in.x >= out.x - EPS && in.y >= out.y - EPS && in.x + in.w <= out.x + out.w + EPS &&
           in.y + in.h <= out.y + out.h + EPS;
}

static int in_frame(ave_zoom_box b)
{
    return inside(b, (ave_zoom_box){0, 0, 1, 1});
}

/* The face box grown by the default margins (what must stay in). */
static ave_zoom_box margined(ave_zoom_box f)
{
    ave_zoom_params p;
    ave_zoom_params_default(&p);
    return (ave_zoom_box){f.x - p.margin_side * f.w, f.y - p.margin_top * f.h,
                          f.w * (1 + 2 * p.margin_side),
                          f.h * (1 + p.margin_top + p.margin_bottom)};
}

static const int64_t spans5[5][2] = {{0, 2000000},
                                     {3000000, 5000000},
                                     {6000000, 8000000},
                                     {9000000, 11000000},
                                     {12000000, 14000000}};

static void test_alternation_no_face(void)
{
    ave_zoom_params p;
    ave_zoom_span s[5];
    ave_zoom_box c;
    double side = 1 / 1.15;

    ave_zoom_params_default(&p);
    CHECK_EQ_INT(ave_zoom_plan(spans5, 5, NULL, 0, &p, s), 0);
    for (int k = 0; k < 5; k++) {
        CHECK_EQ_INT(s[k].framing, (k & 1) ? AVE_ZOOM_PUNCH : AVE_ZOOM_FULL);
        CHECK_EQ_INT(ave_zoom_crop_at(&s[k], s[k].start_us, &c), k & 1);
    }
    CHECK_NEAR(s[0].crop0.w, 1, 0);
    CHECK_EQ_INT(s[1].anchor, AVE_ZOOM_ANCHOR_POINT);
    CHECK_NEAR(s[1].scale0, 1.15, 1e-12);
    CHECK_NEAR(s[1].crop0.w, side, 1e-12);
    CHECK_NEAR(s[1].crop0.h, side, 1e-12);
    CHECK_NEAR(s[1].crop0.x, (1 - side) / 2, 1e-12);
    CHECK_NEAR(s[1].crop0.y, (1 - side) / 2, 1e-12);
    /* Saliency point near a corner: the crop moves towards it, stays in. */
    ave_zoom_span_recentre(&s[1], 0.9, 0.05);
    CHECK_NEAR(s[1].crop0.x, 1 - side, 1e-12);
    CHECK_NEAR(s[1].crop0.y, 0, 1e-12);
    CHECK(in_frame(s[1].crop0));
    /* Full spans are not recentred. */
    ave_zoom_span_recentre(&s[0], 0.9, 0.05);
    CHECK_NEAR(s[0].crop0.x, 0, 0);
    /* Bad parameters. */
    p.scale = 0.9;
    CHECK_EQ_INT(ave_zoom_plan(spans5, 5, NULL, 0, &p, s), AVE_ERR_USAGE);
    /* --zoom-amount 100: nothing to punch. */
    p.scale = 1;
    CHECK_EQ_INT(ave_zoom_plan(spans5, 5, NULL, 0, &p, s), 0);
    CHECK_EQ_INT(s[1].framing, AVE_ZOOM_FULL);
}

/* Face samples every 1/3 s over [0, 15 s), the box moving linearly from a
 * to b. */
static size_t moving_face(ave_zoom_face_sample *f, ave_zoom_box a, ave_zoom_box b)
{
    size_t n = 0;
    for (int64_t t = 0; t < 15000000; t += 333333, n++) {
        double u = (double)t / 15e6;
        f[n].t_us = t;
        f[n].has_face = 1;
        f[n].box = (ave_zoom_box){a.x + u * (b.x - a.x), a.y + u * (b.y - a.y),
                                  a.w + u * (b.w - a.w), a.h + u * (b.h - a.h)};
    }
    return n;
}

static void check_face_kept(const ave_zoom_span *s, const ave_zoom_face_sample *f, size_t nf)
{
    /* Every sample inside the span, and the positions between them, are in
     * the crop with margins, at every instant (checked at each sample). */
    for (size_t i = 0; i < nf; i++) {
        ave_zoom_box c;
        if (f[i].t_us < s->start_us || f[i].t_us >= s->end_us || !f[i].has_face)
            continue;
        CHECK_EQ_INT(ave_zoom_crop_at(s, f[i].t_us, &c), 1);
        ave_zoom_box m = margined(f[i].box);
        /* margins clipped by the frame edge */
        if (m.x < 0)
            m.w += m.x, m.x = 0;
        if (m.y < 0)
            m.h += m.y, m.y = 0;
        if (m.x + m.w > 1)
            m.w = 1 - m.x;
        if (m.y + m.h > 1)
            m.h = 1 - m.y;
        CHECK(inside(m, c));
        CHECK(inside(f[i].box, c));
        CHECK(in_frame(c));
    }
}

static void test_face_edge_and_moving(void)
{
    ave_zoom_face_sample f[64];
    ave_zoom_params p;
    ave_zoom_span s[5];
    size_t nf;

    ave_zoom_params_default(&p);
    /* Still face at the right edge, high up: the crop shifts right and up. */
    nf = moving_face(f, (ave_zoom_box){0.86, 0.08, 0.12, 0.2},
                     (ave_zoom_box){0.86, 0.08, 0.12, 0.2});
    CHECK_EQ_INT(ave_zoom_plan(spans5, 5, f, nf, &p, s), 0);
    CHECK_EQ_INT(s[1].anchor, AVE_ZOOM_ANCHOR_FACE);
    CHECK_EQ_INT(s[1].limited, 0);
    CHECK_NEAR(s[1].scale0, 1.15, 1e-12);
    CHECK_NEAR(s[1].crop0.x + s[1].crop0.w, 1, 1e-12); /* at the right edge */
    CHECK_NEAR(s[1].crop0.y, 0, 1e-12);
    check_face_kept(&s[1], f, nf);
    check_face_kept(&s[3], f, nf);

    /* Moving across the frame: each punched span holds the whole path. */
    nf = moving_face(f, (ave_zoom_box){0.1, 0.3, 0.1, 0.18}, (ave_zoom_box){0.7, 0.25, 0.12, 0.2});
    CHECK_EQ_INT(ave_zoom_plan(spans5, 5, f, nf, &p, s), 0);
    for (int k = 1; k < 5; k += 2) {
        CHECK_EQ_INT(s[k].framing, AVE_ZOOM_PUNCH);
        check_face_kept(&s[k], f, nf);
    }
    /* Centred on the face where nothing forces a shift: across, the centre
     * of the crop is the centre of the margined box; upwards the frame's
     * top edge stops it (a crop centred on a face in the upper half would
     * leave the frame). */
    CHECK_NEAR(s[3].crop0.x + s[3].crop0.w / 2, s[3].keep.x + s[3].keep.w / 2, 1e-9);
    CHECK(s[3].keep.y + s[3].keep.h / 2 < s[3].crop0.h / 2);
    CHECK_NEAR(s[3].crop0.y, 0, 1e-12);

    /* A face that leaves the frame for a while (no samples) is held: the
     * crop still covers where it was seen. */
    for (size_t i = 0; i < nf; i++)
        f[i].has_face = (i % 3) == 0;
    CHECK_EQ_INT(ave_zoom_plan(spans5, 5, f, nf, &p, s), 0);
    CHECK_EQ_INT(s[1].anchor, AVE_ZOOM_ANCHOR_FACE);
    check_face_kept(&s[1], f, nf);
}

static void test_big_faces(void)
{
    ave_zoom_face_sample f[64];
    ave_zoom_params p;
    ave_zoom_span s[5];
    size_t nf;

    ave_zoom_params_default(&p);
    /* Face 50 % of the height: with margins 0.9 of it, so at most 1/0.9. */
    nf = moving_face(f, (ave_zoom_box){0.4, 0.25, 0.25, 0.5}, (ave_zoom_box){0.4, 0.25, 0.25, 0.5});
    CHECK_EQ_INT(ave_zoom_plan(spans5, 5, f, nf, &p, s), 0);
    CHECK_EQ_INT(s[1].framing, AVE_ZOOM_PUNCH);
    CHECK_EQ_INT(s[1].limited, 1);
    CHECK_NEAR(s[1].scale0, 1 / 0.9, 1e-9);
    check_face_kept(&s[1], f, nf);
    /* A close-up (70 % of the height): no punch-in worth making. */
    nf = moving_face(f, (ave_zoom_box){0.3, 0.15, 0.35, 0.7}, (ave_zoom_box){0.3, 0.15, 0.35, 0.7});
    CHECK_EQ_INT(ave_zoom_plan(spans5, 5, f, nf, &p, s), 0);
    CHECK_EQ_INT(s[1].framing, AVE_ZOOM_FULL);
    CHECK_EQ_INT(s[1].limited, 1);
    CHECK_NEAR(s[1].crop0.w, 1, 0);
}

static void test_motion(void)
{
    ave_zoom_face_sample f[64];
    ave_zoom_params p;
    ave_zoom_span s[5];
    ave_zoom_box c0, cm, c1;
    size_t nf;

    ave_zoom_params_default(&p);
    p.motion_per_s = 0.02;
    p.motion_max = 0.08;
    nf = moving_face(f, (ave_zoom_box){0.45, 0.2, 0.1, 0.18}, (ave_zoom_box){0.45, 0.2, 0.1, 0.18});
    CHECK_EQ_INT(ave_zoom_plan(spans5, 5, f, nf, &p, s), 0);
    /* 2 s spans: +4 %. */
    CHECK_NEAR(s[1].scale0, 1.15, 1e-12);
    CHECK_NEAR(s[1].scale1, 1.15 * 1.04, 1e-12);
    ave_zoom_crop_at(&s[1], s[1].start_us, &c0);
    ave_zoom_crop_at(&s[1], (s[1].start_us + s[1].end_us) / 2, &cm);
    ave_zoom_crop_at(&s[1], s[1].end_us + 1000000, &c1); /* clamped to the end */
    CHECK(c0.w > cm.w && cm.w > c1.w);
    CHECK_NEAR(c1.w, 1 / (1.15 * 1.04), 1e-12);
    CHECK(inside(s[1].keep, c0) && inside(s[1].keep, cm) && inside(s[1].keep, c1));
    check_face_kept(&s[1], f, nf);
    /* Long span: capped at +8 %. */
    {
        const int64_t one[2][2] = {{0, 1000000}, {2000000, 30000000}};
        CHECK_EQ_INT(ave_zoom_plan(one, 2, f, nf, &p, s), 0);
        CHECK_NEAR(s[1].scale1, 1.15 * 1.08, 1e-12);
    }
}

static void test_hold_window(void)
{
    ave_zoom_face_sample f[2] = {
        {.t_us = 1000000, .has_face = 1, .box = {0.05, 0.05, 0.1, 0.1}},
        {.t_us = 9000000, .has_face = 1, .box = {0.85, 0.85, 0.1, 0.1}},
    };
    const int64_t sp[2][2] = {{0, 2000000}, {4000000, 6000000}};
    ave_zoom_params p;
    ave_zoom_span s[2];

    ave_zoom_params_default(&p);
    /* Faces 3 s away from the punched span: not its face. */
    CHECK_EQ_INT(ave_zoom_plan(sp, 2, f, 2, &p, s), 0);
    CHECK_EQ_INT(s[1].anchor, AVE_ZOOM_ANCHOR_POINT);
    /* One 0.5 s before its start: held into it. */
    f[0].t_us = 3500000;
    CHECK_EQ_INT(ave_zoom_plan(sp, 2, f, 2, &p, s), 0);
    CHECK_EQ_INT(s[1].anchor, AVE_ZOOM_ANCHOR_FACE);
    CHECK(inside(f[0].box, s[1].crop0));
}

static void test_speakers_and_rotation(void)
{
    ave_zoom_box faces[3] = {
        {0.1, 0.2, 0.2, 0.3}, {0.6, 0.25, 0.18, 0.28}, {0.45, 0.7, 0.05, 0.07}};
    ave_zoom_box u, r, back;

    CHECK_EQ_INT(ave_zoom_speakers(faces, 0, &u), -1);
    CHECK_EQ_INT(ave_zoom_speakers(faces, 3, &u), 0);
    /* Both talkers, not the small face below. */
    CHECK_NEAR(u.x, 0.1, 1e-12);
    CHECK_NEAR(u.x + u.w, 0.78, 1e-12);
    CHECK_NEAR(u.y, 0.2, 1e-12);
    CHECK_NEAR(u.y + u.h, 0.53, 1e-12);

    /* 90 degrees: the display's top edge is the coded picture's left. */
    r = ave_zoom_box_to_coded((ave_zoom_box){0.4, 0.0, 0.2, 0.1}, 90);
    CHECK_NEAR(r.x, 0.0, 1e-12);
    CHECK_NEAR(r.w, 0.1, 1e-12);
    CHECK_NEAR(r.y, 0.4, 1e-12);
    CHECK_NEAR(r.h, 0.2, 1e-12);
    /* 90 then 270 (undo, then undo the opposite turn) is the identity. */
    back = ave_zoom_box_to_coded(ave_zoom_box_to_coded(faces[1], 90), 270);
    CHECK_NEAR(back.x, faces[1].x, 1e-12);
    CHECK_NEAR(back.y, faces[1].y, 1e-12);
    CHECK_NEAR(back.w, faces[1].w, 1e-12);
    CHECK_NEAR(back.h, faces[1].h, 1e-12);
    r = ave_zoom_box_to_coded(faces[1], 180);
    CHECK_NEAR(r.x, 1 - 0.78, 1e-12);
    CHECK_NEAR(r.y, 1 - 0.53, 1e-12);
    r = ave_zoom_box_to_coded(faces[1], 0);
    CHECK(!memcmp(&r, &faces[1], sizeof(r)));
}

static void test_saliency(void)
{
    enum { W = 320, H = 180 };
    static uint8_t img[W * H];
    double cx, cy;

    /* Flat: the centre. */
    memset(img, 90, sizeof(img));
    ave_zoom_saliency(img, W, W, H, &cx, &cy);
    CHECK_NEAR(cx, 0.5, 0);
    CHECK_NEAR(cy, 0.5, 0);
    /* One textured patch around (0.8, 0.25): the point moves halfway there. */
    for (int y = 30; y < 60; y++)
        for (int x = 240; x < 272; x++)
            img[y * W + x] = ((x / 2 + y / 2) & 1) ? 230 : 20;
    ave_zoom_saliency(img, W, W, H, &cx, &cy);
    CHECK_NEAR(cx, 0.5 + 0.5 * (256.0 / W - 0.5), 0.02);
    CHECK_NEAR(cy, 0.5 + 0.5 * (45.0 / H - 0.5), 0.03);
}

int main(void)
{
    test_saliency();
    test_alternation_no_face();
    test_face_edge_and_moving();
    test_big_faces();
    test_motion();
    test_hold_window();
    test_speakers_and_rotation();
    return CHECK_DONE();
}
