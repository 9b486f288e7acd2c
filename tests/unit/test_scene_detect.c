/* Scene-change detection on synthetic distance/brightness sequences with
 * known answers: hard cuts at exact indices (including two in a row and a
 * weak cut in a calm shot), a slow fade to black and a dissolve each found
 * as one gradual transition, noisy footage never cut, and a cut right after
 * a fade from black kept as a cut. */
#include <stdlib.h>

#include "check.h"
#include "vision/frames_internal.h"

#define N 200

/* Deterministic uniform numbers in [lo, hi). */
static double uniform(unsigned *state, double lo, double hi)
{
    *state = *state * 1103515245u + 12345u;
    return lo + (hi - lo) * ((*state >> 8) & 0xFFFF) / 65536.0;
}

static size_t run(const float *d, const float *b, size_t n, scene_boundary **out)
{
    scene_params p;
    size_t count = 0;
    scene_params_default(&p);
    CHECK_EQ_INT(scene_detect(d, b, n, &p, out, &count), 0);
    return count;
}

static void test_hard_cuts(void)
{
    float d[N], b[N];
    unsigned s = 1;
    scene_boundary *bd = NULL;
    const size_t cuts[] = {20, 45, 46, 120, 121 + 30};

    for (int i = 0; i < N; i++) {
        d[i] = (float)uniform(&s, 0.01, 0.04);
        b[i] = 0.4f;
    }
    d[20] = 0.7f;
    d[45] = 0.5f; /* a one-sample shot: two cuts in a row */
    d[46] = 0.6f;
    d[120] = 0.25f; /* weak but far above a calm shot's level */
    d[151] = 0.9f;
    size_t n = run(d, b, N, &bd);
    CHECK_EQ_INT(n, 5);
    for (size_t i = 0; i < n && i < 5; i++) {
        CHECK_EQ_INT(bd[i].index, cuts[i]);
        CHECK_EQ_INT(bd[i].end_index, cuts[i]);
        CHECK_EQ_INT(bd[i].gradual, 0);
        CHECK_NEAR(bd[i].strength, d[cuts[i]], 1e-6);
    }
    free(bd);
}

static void test_slow_fade_to_black(void)
{
    float d[N], b[N];
    unsigned s = 2;
    scene_boundary *bd = NULL;

    /* A shot at brightness 0.5 fades to black over 12 samples (steps of
     * 0.0417, each a histogram jump of 0.22: above the cut floor), stays
     * black, then a hard cut into a new shot at 90. */
    for (int i = 0; i < N; i++) {
        d[i] = (float)uniform(&s, 0.01, 0.03);
        b[i] = 0.5f;
    }
    for (int i = 40; i < 52; i++) {
        b[i] = 0.5f * (float)(51 - i) / 12.0f;
        d[i] = 0.22f;
    }
    for (int i = 52; i < 90; i++) {
        b[i] = 0.0f;
        d[i] = 0.0f;
    }
    d[90] = 0.8f;
    size_t n = run(d, b, N, &bd);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_INT(bd[0].index, 40);
        CHECK_EQ_INT(bd[0].end_index, 51);
        CHECK_EQ_INT(bd[0].gradual, 1);
        CHECK_NEAR(bd[0].strength, 1.0, 1e-6); /* 12 * 0.22 capped at 1 */
        CHECK_EQ_INT(bd[1].index, 90);
        CHECK_EQ_INT(bd[1].gradual, 0);
    }
    free(bd);
}

static void test_dissolve(void)
{
    float d[N], b[N];
    unsigned s = 3;
    scene_boundary *bd = NULL;

    /* Constant brightness; 8 samples of moderate change (0.09..0.12), each
     * below the cut floor, together far above it. */
    for (int i = 0; i < N; i++) {
        d[i] = (float)uniform(&s, 0.01, 0.03);
        b[i] = 0.45f;
    }
    for (int i = 70; i < 78; i++)
        d[i] = (float)uniform(&s, 0.09, 0.12);
    size_t n = run(d, b, N, &bd);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK_EQ_INT(bd[0].index, 70);
        CHECK_EQ_INT(bd[0].end_index, 77);
        CHECK_EQ_INT(bd[0].gradual, 1);
        CHECK(bd[0].strength > 0.7 && bd[0].strength < 1.0);
    }
    free(bd);
    /* Without brightness (fade detection off) the same holds. */
    CHECK_EQ_INT(run(d, NULL, N, &bd), 1);
    free(bd);
}

static void test_noise_not_cut(void)
{
    float d[N], b[N];
    unsigned s = 4;
    scene_boundary *bd = NULL;

    /* Busy footage: every step moves a lot and by a random amount, and the
     * brightness flickers. */
    for (int i = 0; i < N; i++) {
        d[i] = (float)uniform(&s, 0.05, 0.35);
        b[i] = (float)uniform(&s, 0.3, 0.5);
    }
    CHECK_EQ_INT(run(d, b, N, &bd), 0);
    free(bd);
    /* A real cut in the same footage is still found. */
    d[100] = 0.95f;
    size_t n = run(d, b, N, &bd);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        CHECK_EQ_INT(bd[0].index, 100);
    free(bd);
}

static void test_fade_in_then_cut(void)
{
    float d[60], b[60];
    scene_boundary *bd = NULL;

    /* Black, a fade in over 6 samples (to 0.3), then at 16 a cut to a
     * brighter shot: the cut must not be swallowed by the fade. */
    for (int i = 0; i < 60; i++) {
        d[i] = 0.01f;
        b[i] = 0.7f;
    }
    for (int i = 0; i < 10; i++) {
        d[i] = 0.0f;
        b[i] = 0.0f;
    }
    for (int i = 10; i < 16; i++) {
        b[i] = 0.05f * (float)(i - 9);
        d[i] = 0.15f;
    }
    d[16] = 0.8f;
    size_t n = run(d, b, 60, &bd);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_INT(bd[0].index, 10);
        CHECK_EQ_INT(bd[0].end_index, 15);
        CHECK_EQ_INT(bd[0].gradual, 1);
        CHECK_EQ_INT(bd[1].index, 16);
        CHECK_EQ_INT(bd[1].gradual, 0);
    }
    free(bd);
}

static void test_edges(void)
{
    scene_boundary *bd = (scene_boundary *)1;
    float d[1] = {0.9f};
    CHECK_EQ_INT(run(d, NULL, 1, &bd), 0);
    CHECK(bd == NULL);
    CHECK_EQ_INT(run(d, NULL, 0, &bd), 0);
}

int main(void)
{
    test_hard_cuts();
    test_slow_fade_to_black();
    test_dissolve();
    test_noise_not_cut();
    test_fade_in_then_cut();
    test_edges();
    return CHECK_DONE();
}
