/* Thumbnail scoring and selection on synthetic frame features with known
 * answers: black, blurred, fading, near-scene-change, removed and near-cut
 * frames are excluded with the right reason and never picked even when
 * their other components are the best; a face beats an equal frame without
 * one; picks spread over scenes; the baseline is the frame at 10%; the
 * components have their documented values. */
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "thumbnails/thumb.h"

#define FPS 4
#define SECONDS 20
#define N (FPS * SECONDS)

static ave_frame_features frames[N];
static ave_scene scenes[4];

static int64_t at(double s)
{
    return (int64_t)(s * 1e6 + 0.5);
}

static int idx(double s)
{
    return (int)(s * FPS + 0.5);
}

static void good(ave_frame_features *f, int i)
{
    memset(f, 0, sizeof(*f));
    f->pts_us = (int64_t)i * 1000000 / FPS;
    f->sharpness = 400;
    f->brightness = 0.5f;
    f->contrast = 0.22f;
    f->colourfulness = 40;
    f->motion = 0.01f;
    f->scene_index = i < idx(5) ? 0 : i < idx(10) ? 1 : i < idx(15) ? 2 : 3;
}

static void add_face(ave_frame_features *f, float x, float y, float w, float h)
{
    f->faces[f->face_count++] = (ave_face){x, y, w, h, 5, -1};
}

static void setup(void)
{
    for (int i = 0; i < N; i++)
        good(&frames[i], i);
    scenes[0] = (ave_scene){0, at(5), 0, 0};
    scenes[1] = (ave_scene){at(5), at(10), 0.8f, 0};
    scenes[2] = (ave_scene){at(10), at(15), 0.4f, 1}; /* opens with a fade */
    scenes[3] = (ave_scene){at(15), at(20), 0.7f, 0};
}

/* Make frame i the most attractive on every component except its flaw. */
static void tempting(ave_frame_features *f)
{
    f->colourfulness = 120;
    add_face(f, 0.4f, 0.2f, 0.2f, 0.35f);
}

static void test_exclusions(void)
{
    ave_timeline tl = {0};
    thumb_candidate c[N];
    thumb_input in = {frames, N, scenes, 4, &tl, at(SECONDS)};
    int picks[8];
    size_t np;
    int black = idx(2), blur = idx(3), fade = idx(7.5), near_scene = idx(5.25),
        gradual = idx(10.75), removed = idx(17), near_cut = idx(19.25), moving = idx(8.75),
        noisy = idx(13.5);

    setup();
    CHECK_EQ_INT(ave_timeline_init(&tl, at(SECONDS)), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, at(16), at(18.9), AVE_REASON_SILENCE), 0);
    frames[black].brightness = 0.03f;
    frames[black].clip_dark = 0.97f;
    frames[blur].sharpness = 30; /* above the absolute floor, far below this video */
    for (int k = -2; k <= 2; k++) /* a fade within scene 1: brightness ramps */
        frames[fade + k].brightness = 0.5f + 0.04f * (float)k;
    frames[moving].motion = 0.3f;
    frames[noisy].sharpness = 9000; /* grain: 22x the median, changing */
    frames[noisy].motion = 0.08f;
    int flawed[] = {black, blur, fade, near_scene, gradual, removed, near_cut, moving, noisy};
    for (size_t k = 0; k < sizeof(flawed) / sizeof(flawed[0]); k++)
        tempting(&frames[flawed[k]]);

    thumb_score_all(&in, c);
    CHECK_EQ_INT(c[black].exclusion, THUMB_X_BLACK);
    CHECK_EQ_INT(c[blur].exclusion, THUMB_X_BLURRED);
    CHECK_EQ_INT(c[fade].exclusion, THUMB_X_TRANSITION);
    CHECK_EQ_INT(c[gradual].exclusion, THUMB_X_TRANSITION);
    CHECK_EQ_INT(c[near_scene].exclusion, THUMB_X_SCENE_CHANGE);
    CHECK_EQ_INT(c[removed].exclusion, THUMB_X_REMOVED);
    CHECK_EQ_INT(c[near_cut].exclusion, THUMB_X_NEAR_CUT);
    CHECK_EQ_INT(c[moving].exclusion, THUMB_X_MOTION);
    CHECK_EQ_INT(c[noisy].exclusion, THUMB_X_MOTION);
    /* the noise frame does not set the sharpness scale: 400 is still "sharp" */
    CHECK_NEAR(c[idx(2.5)].comp[THUMB_C_SHARPNESS], 1.0, 1e-6);
    CHECK_EQ_INT(c[idx(2.5)].exclusion, THUMB_X_NONE);
    CHECK_EQ_INT(c[idx(12.5)].exclusion, THUMB_X_NONE); /* after the fade-in */
    /* the flawed frames outscore the plain ones: exclusion, not score, stops them */
    CHECK(c[black].total > c[idx(2.5)].total);
    CHECK(c[removed].total > c[idx(2.5)].total);

    np = thumb_select(c, N, 8, 3000000, picks);
    CHECK(np >= 4);
    for (size_t k = 0; k < np; k++) {
        CHECK_EQ_INT(c[picks[k]].exclusion, THUMB_X_NONE);
        for (size_t j = 0; j < sizeof(flawed) / sizeof(flawed[0]); j++)
            CHECK(picks[k] != flawed[j]);
    }
    ave_timeline_free(&tl);
}

static void test_face_and_diversity(void)
{
    thumb_candidate c[N];
    thumb_input in = {frames, N, scenes, 4, NULL, at(SECONDS)};
    int picks[4], seen[4] = {0};
    size_t np;

    setup();
    /* scene 0 is better everywhere; one face frame in scene 3 */
    for (int i = 0; i < idx(5); i++)
        frames[i].colourfulness = 70;
    add_face(&frames[idx(17.5)], 0.55f, 0.15f, 0.15f, 0.3f);
    thumb_score_all(&in, c);
    CHECK(c[idx(17.5)].total > c[idx(17.75)].total);
    CHECK_NEAR(c[idx(17.5)].total - c[idx(17.75)].total,
               thumb_component_weight(THUMB_C_FACE) +
                   thumb_component_weight(THUMB_C_FACE_SIZE) * c[idx(17.5)].comp[THUMB_C_FACE_SIZE] +
                   thumb_component_weight(THUMB_C_FACE_THIRDS) *
                       c[idx(17.5)].comp[THUMB_C_FACE_THIRDS] +
                   thumb_component_weight(THUMB_C_EYES) * 0.5,
               1e-9);

    np = thumb_select(c, N, 4, 3000000, picks);
    CHECK_EQ_INT(np, 4);
    CHECK_EQ_INT(picks[0], idx(17.5)); /* the face frame is best overall */
    for (size_t k = 0; k < np; k++)
        seen[c[picks[k]].scene]++;
    for (int s = 0; s < 4; s++)
        CHECK_EQ_INT(seen[s], 1); /* one pick per scene */

    /* more picks than scenes: the first per scene are at 17.5, 0, 7 and 12 s
     * (mid-scene, away from changes); after them only 3 s is still 3 s from
     * every earlier pick */
    int more[6];
    np = thumb_select(c, N, 6, 3000000, more);
    CHECK_EQ_INT(np, 5);
    CHECK_EQ_INT(more[4], idx(3));
    for (size_t a = 0; a < np; a++)
        for (size_t b = a + 1; b < np; b++)
            if (c[more[a]].scene == c[more[b]].scene)
                CHECK(llabs(c[more[a]].pts_us - c[more[b]].pts_us) >= 3000000);
}

static void test_components(void)
{
    thumb_candidate c[N];
    thumb_input in = {frames, N, scenes, 1, NULL, at(SECONDS)};
    double sum = 0;

    setup();
    for (int i = 0; i < N; i++)
        frames[i].scene_index = 0;
    frames[10].brightness = 0.9f;   /* 0.4 from mid: exposure 0 */
    frames[11].sharpness = 200;     /* half the 90th percentile (400) */
    frames[12].clip_bright = 0.5f;  /* half of 0.1..0.9: factor 1 - 0.8 * 0.5 */
    frames[13].colourfulness = 100; /* capped */
    thumb_score_all(&in, c);
    CHECK_NEAR(c[20].comp[THUMB_C_EXPOSURE], 1.0, 1e-6);
    CHECK_NEAR(c[10].comp[THUMB_C_EXPOSURE], 0.0, 1e-6);
    CHECK_NEAR(c[12].comp[THUMB_C_EXPOSURE], 0.6, 1e-6);
    CHECK_NEAR(c[11].comp[THUMB_C_SHARPNESS], 0.5, 1e-6);
    CHECK_NEAR(c[20].comp[THUMB_C_SHARPNESS], 1.0, 1e-6);
    CHECK_NEAR(c[20].comp[THUMB_C_COLOUR], 0.5, 1e-6);
    CHECK_NEAR(c[13].comp[THUMB_C_COLOUR], 1.0, 1e-6);
    CHECK_NEAR(c[20].comp[THUMB_C_SCENE_DIST], 1.0, 1e-6); /* one scene: no changes */
    for (int k = 0; k < THUMB_C_COUNT; k++)
        sum += thumb_component_weight(k);
    CHECK_NEAR(sum, 1.0, 1e-9);
    /* baseline: the frame at 10% of 20 s */
    CHECK_EQ_INT(thumb_baseline(c, N, at(SECONDS)), idx(2));
}

static void test_eyes(void)
{
    /* 100x100 grey picture; the eye band of a face box at (0.2,0.2,0.6,0.6)
     * covers rows 32..50: half black, half white there gives std 0.5 -> 1 */
    static uint32_t px[100 * 100];
    ave_face f = {0.2f, 0.2f, 0.6f, 0.6f, 3, -1};
    for (int y = 0; y < 100; y++)
        for (int x = 0; x < 100; x++)
            px[y * 100 + x] = 0x808080;
    CHECK_NEAR(thumb_eyes_contrast(px, 100, 100, 100, &f), 0.0, 1e-6);
    for (int y = 32; y < 50; y++)
        for (int x = 20; x < 80; x++)
            px[y * 100 + x] = x < 50 ? 0x000000 : 0xFFFFFF;
    CHECK_NEAR(thumb_eyes_contrast(px, 100, 100, 100, &f), 1.0, 1e-6);
}

int main(void)
{
    test_exclusions();
    test_face_and_diversity();
    test_components();
    test_eyes();
    return CHECK_DONE();
}
