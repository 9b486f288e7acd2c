/* The virtual camera on constructed face tracks: a still face is framed
 * in the upper-middle third; a small sway inside the dead zone never moves
 * the camera; a step aside moves it no faster than the speed limit, with
 * its speed changing no faster than the acceleration limit (ease in and
 * out), and it arrives; a scene change cuts the window in one step and is
 * the only place it jumps; a shot without faces is letterboxed; the
 * speaking face (its activity averaged over a second), both faces or the
 * larger is the subject. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "check.h"
#include "render/reframe_plan.h"

#define FACE 0.1 /* a face box's side, fraction of the frame width */

static ave_reframe_sample one_face(int64_t t, double cx, double cy)
{
    ave_reframe_sample s;
    memset(&s, 0, sizeof(s));
    s.t_us = t;
    s.nfaces = 1;
    s.faces[0] = (ave_zoom_box){cx - FACE / 2, cy - FACE / 2, FACE, FACE};
    s.activity[0] = -1;
    return s;
}

/* Samples every 200 ms for `seconds`, centre x from fx(t). */
static ave_reframe_sample *track(double seconds, double (*fx)(double), size_t *n)
{
    size_t m = (size_t)(seconds * 5) + 1;
    ave_reframe_sample *s = calloc(m, sizeof(*s));
    for (size_t i = 0; s && i < m; i++)
        s[i] = one_face((int64_t)i * 200000, fx(i * 0.2), 0.4);
    *n = m;
    return s;
}

static double still(double t)
{
    (void)t;
    return 0.5;
}

static double sway(double t) /* +-1.5 % of the frame: within the dead zone */
{
    return 0.5 + 0.015 * sin(t * 3);
}

static double step_aside(double t)
{
    return t < 2 ? 0.3 : 0.7;
}

static void test_still_framing(void)
{
    ave_reframe_params p;
    ave_reframe_key *k;
    size_t ns, nk;
    double cw, ch;
    ave_reframe_sample *s = track(4, still, &ns);

    ave_reframe_params_default(&p);
    ave_reframe_crop_size(&p, &cw, &ch);
    CHECK_NEAR(ch, 1, 1e-12);
    CHECK_NEAR(cw, (9.0 / 16) / (16.0 / 9), 1e-12);
    CHECK_EQ_INT(ave_reframe_plan(s, ns, NULL, 0, 0, 4000000, &p, &k, &nk), 0);
    CHECK_EQ_INT(nk, 4000000 / p.step_us + 1);
    for (size_t i = 0; i < nk; i++) {
        CHECK_EQ_INT(k[i].mode, AVE_REFRAME_CROP);
        CHECK_NEAR(k[i].x + cw / 2, 0.5, 1e-9); /* centred across */
        CHECK_NEAR(k[i].y, 0, 1e-12);           /* full height: nothing to move */
    }
    free(k);
    free(s);
    /* a square crop of a 16:9 frame at 1:1 keeps full height too; a 16:9
     * crop of a portrait frame keeps full width and puts the face at face_y */
    p.out_aspect = 16.0 / 9, p.frame_aspect = 9.0 / 16;
    ave_reframe_crop_size(&p, &cw, &ch);
    CHECK_NEAR(cw, 1, 1e-12);
    s = track(1, still, &ns);
    CHECK_EQ_INT(ave_reframe_plan(s, ns, NULL, 0, 0, 1000000, &p, &k, &nk), 0);
    CHECK_NEAR(k[0].y + p.face_y * ch, 0.4, 1e-9);
    free(k);
    free(s);
}

static void test_dead_zone(void)
{
    ave_reframe_params p;
    ave_reframe_key *k;
    size_t ns, nk;
    ave_reframe_sample *s = track(10, sway, &ns);

    ave_reframe_params_default(&p);
    CHECK_EQ_INT(ave_reframe_plan(s, ns, NULL, 0, 0, 10000000, &p, &k, &nk), 0);
    for (size_t i = 1; i < nk; i++)
        CHECK_NEAR(k[i].x, k[0].x, 1e-12);
    free(k);
    /* the same sway with no dead zone moves the camera */
    p.dead_zone = 0;
    CHECK_EQ_INT(ave_reframe_plan(s, ns, NULL, 0, 0, 10000000, &p, &k, &nk), 0);
    {
        double lo = 1, hi = 0;
        for (size_t i = 0; i < nk; i++)
            lo = fmin(lo, k[i].x), hi = fmax(hi, k[i].x);
        CHECK(hi - lo > 0.01);
    }
    free(k);
    free(s);
}

static void test_speed_limit(void)
{
    ave_reframe_params p;
    ave_reframe_key *k;
    size_t ns, nk;
    double cw, ch, dt, vmax, amax, prev_v = 0, top = 0;
    ave_reframe_sample *s = track(8, step_aside, &ns);

    ave_reframe_params_default(&p);
    ave_reframe_crop_size(&p, &cw, &ch);
    dt = p.step_us / 1e6;
    vmax = p.max_speed * cw;
    amax = p.max_accel * cw;
    CHECK_EQ_INT(ave_reframe_plan(s, ns, NULL, 0, 0, 8000000, &p, &k, &nk), 0);
    for (size_t i = 1; i < nk; i++) {
        double v = (k[i].x - k[i - 1].x) / dt;
        CHECK(fabs(v) <= vmax + 1e-9);
        /* the landing step on the aim may brake a little harder */
        CHECK(fabs(v - prev_v) <= 1.25 * amax * dt + 1e-9);
        CHECK(!k[i].cut);
        top = fmax(top, fabs(v));
        prev_v = v;
    }
    CHECK_NEAR(top, vmax, 1e-9);                      /* it does pan at full speed */
    CHECK_NEAR(k[nk - 1].x + cw / 2, 0.7, 1e-9);      /* and arrives */
    CHECK_NEAR(k[(size_t)(1.7e6 / p.step_us)].x + cw / 2, 0.3, 1e-9); /* not before the move */
    free(k);
    free(s);
}

static void test_scene_cut(void)
{
    ave_reframe_params p;
    ave_reframe_key *k;
    size_t ns, nk, cut_at = 0, cuts_seen = 0;
    double cw, ch, dt, vmax;
    const int64_t cuts[1] = {2000000};
    ave_reframe_sample *s = track(4, step_aside, &ns);

    ave_reframe_params_default(&p);
    ave_reframe_crop_size(&p, &cw, &ch);
    dt = p.step_us / 1e6;
    vmax = p.max_speed * cw;
    CHECK_EQ_INT(ave_reframe_plan(s, ns, cuts, 1, 0, 4000000, &p, &k, &nk), 0);
    for (size_t i = 1; i < nk; i++) {
        if (k[i].cut) {
            cuts_seen++;
            cut_at = i;
            continue;
        }
        CHECK(fabs(k[i].x - k[i - 1].x) <= vmax * dt + 1e-9);
    }
    CHECK_EQ_INT(cuts_seen, 1);
    CHECK(k[cut_at].t_us >= 2000000 && k[cut_at - 1].t_us < 2000000);
    CHECK_NEAR(k[cut_at - 1].x + cw / 2, 0.3, 1e-9); /* the old shot's framing to the end */
    CHECK_NEAR(k[cut_at].x + cw / 2, 0.7, 1e-9);     /* the new one's from its first frame */
    free(k);
    free(s);
}

static void test_no_face(void)
{
    ave_reframe_params p;
    ave_reframe_key *k;
    size_t nk, i;
    const int64_t cuts[1] = {2000000};
    ave_reframe_sample s[20];

    /* shot 1 (0-2 s) has no face; shot 2 has one from 3 s on */
    for (i = 0; i < 20; i++) {
        memset(&s[i], 0, sizeof(s[i]));
        s[i].t_us = (int64_t)i * 200000;
        if (s[i].t_us >= 3000000)
            s[i] = one_face(s[i].t_us, 0.8, 0.4);
    }
    ave_reframe_params_default(&p);
    CHECK_EQ_INT(ave_reframe_plan(s, 20, cuts, 1, 0, 3800000, &p, &k, &nk), 0);
    for (i = 0; i < nk; i++) {
        if (k[i].t_us < 2000000) {
            CHECK_EQ_INT(k[i].mode, AVE_REFRAME_FIT);
        } else {
            double cw, ch;
            ave_reframe_crop_size(&p, &cw, &ch);
            CHECK_EQ_INT(k[i].mode, AVE_REFRAME_CROP);
            /* waits where the face will appear, without a jump when it does */
            CHECK_NEAR(k[i].x + cw / 2, 0.8, 1e-9);
        }
    }
    free(k);
    /* no samples at all: all letterboxed */
    CHECK_EQ_INT(ave_reframe_plan(NULL, 0, NULL, 0, 0, 1000000, &p, &k, &nk), 0);
    for (i = 0; i < nk; i++)
        CHECK_EQ_INT(k[i].mode, AVE_REFRAME_FIT);
    free(k);
    CHECK_EQ_INT(ave_reframe_plan(NULL, 0, NULL, 0, 10, 0, &p, &k, &nk), AVE_ERR_USAGE);
    CHECK(k == NULL);
}

static void test_sparse_shot(void)
{
    ave_reframe_params p;
    ave_reframe_key *k;
    size_t nk, i;
    double cw, ch;
    ave_reframe_sample s[15];

    /* faces in 3 of 15 samples: a stray one at 0.2, the speaker at 0.7 twice */
    for (i = 0; i < 15; i++) {
        memset(&s[i], 0, sizeof(s[i]));
        s[i].t_us = (int64_t)i * 200000;
    }
    s[2] = one_face(s[2].t_us, 0.2, 0.4);
    s[9] = one_face(s[9].t_us, 0.7, 0.4);
    s[10] = one_face(s[10].t_us, 0.71, 0.4);
    ave_reframe_params_default(&p);
    ave_reframe_crop_size(&p, &cw, &ch);
    CHECK_EQ_INT(ave_reframe_plan(s, 15, NULL, 0, 0, 2800000, &p, &k, &nk), 0);
    for (i = 0; i < nk; i++) {
        CHECK_EQ_INT(k[i].mode, AVE_REFRAME_CROP);
        CHECK_NEAR(k[i].x + cw / 2, 0.7, 1e-9); /* still, on the median */
    }
    free(k);
}

static void test_two_faces(void)
{
    ave_reframe_params p;
    ave_reframe_sample s = one_face(0, 0.25, 0.4);
    ave_zoom_box b;
    double cw, ch;

    ave_reframe_params_default(&p);
    ave_reframe_crop_size(&p, &cw, &ch);
    s.nfaces = 2;
    s.faces[1] = (ave_zoom_box){0.7, 0.35, 0.09, 0.09}; /* far apart: do not fit */
    s.activity[1] = -1;
    CHECK_EQ_INT(ave_reframe_subject(&s, cw, ch, &p, &b), 0);
    CHECK_NEAR(b.x, s.faces[0].x, 1e-12); /* the larger */
    s.activity[0] = 1, s.activity[1] = 3;  /* the smaller one speaks */
    CHECK_EQ_INT(ave_reframe_subject(&s, cw, ch, &p, &b), 0);
    CHECK_NEAR(b.x, 0.7, 1e-12);
    s.activity[0] = 2.5; /* not clearly: back to the larger */
    CHECK_EQ_INT(ave_reframe_subject(&s, cw, ch, &p, &b), 0);
    CHECK_NEAR(b.x, s.faces[0].x, 1e-12);
    s.faces[1] = (ave_zoom_box){0.32, 0.35, 0.09, 0.09}; /* side by side: both fit */
    CHECK_EQ_INT(ave_reframe_subject(&s, cw, ch, &p, &b), 0);
    CHECK_NEAR(b.x, 0.2, 1e-12);
    CHECK_NEAR(b.x + b.w, 0.41, 1e-12);
    s.nfaces = 0;
    CHECK_EQ_INT(ave_reframe_subject(&s, cw, ch, &p, &b), -1);
}

/* Two faces too far apart to frame together; the smaller one's mouth moves
 * in every other sample only (a mouth at rest between syllables): averaged
 * over a second, it is the speaker at every instant, and the camera stays
 * on it. Noise-level activity does not count as speaking. */
static void test_speaker_track(void)
{
    ave_reframe_params p;
    ave_reframe_key *k;
    size_t nk, i;
    double cw, ch;
    ave_reframe_sample s[20];

    for (i = 0; i < 20; i++) {
        s[i] = one_face((int64_t)i * 200000, 0.2, 0.4);
        s[i].faces[0].w = s[i].faces[0].h = 0.12; /* the larger, on the left */
        s[i].nfaces = 2;
        s[i].faces[1] = (ave_zoom_box){0.75, 0.35, 0.1, 0.1};
        s[i].activity[0] = 0;
        s[i].activity[1] = i % 2 ? 0.3 : 0;
    }
    ave_reframe_params_default(&p);
    ave_reframe_crop_size(&p, &cw, &ch);
    CHECK_EQ_INT(ave_reframe_plan(s, 20, NULL, 0, 0, 3800000, &p, &k, &nk), 0);
    for (i = 0; i < nk; i++)
        CHECK_NEAR(k[i].x + cw / 2, 0.8, 1e-9);
    free(k);
    for (i = 0; i < 20; i++)
        s[i].activity[1] = i % 2 ? 0.005 : 0; /* compression noise */
    CHECK_EQ_INT(ave_reframe_plan(s, 20, NULL, 0, 0, 3800000, &p, &k, &nk), 0);
    for (i = 0; i < nk; i++)
        CHECK_NEAR(k[i].x + cw / 2, 0.21, 1e-9); /* the larger */
    free(k);
}

static void test_lookup(void)
{
    ave_reframe_key k[3] = {{.t_us = 0}, {.t_us = 100}, {.t_us = 200}};
    size_t c = 0;
    CHECK(ave_reframe_at(k, 3, 150, &c) == &k[1]);
    CHECK(ave_reframe_at(k, 3, 500, &c) == &k[2]);
    CHECK(ave_reframe_at(k, 3, -5, &c) == &k[0]);
    CHECK(ave_reframe_at(k, 0, 5, &c) == NULL);
}

int main(void)
{
    test_still_framing();
    test_dead_zone();
    test_speed_limit();
    test_scene_cut();
    test_no_face();
    test_sparse_shot();
    test_two_faces();
    test_speaker_track();
    test_lookup();
    return CHECK_DONE();
}
