/* In-place muting (--mute-fillers) on synthetic signals: untouched samples
 * outside the spans (so kept words lose nothing), exact silence inside, the
 * fades within the span and monotonic, close spans merged, short spans,
 * and chunking independence. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "check.h"
#include "render/mute.h"

#define FADE 240 /* 5 ms at 48 kHz */

static void test_gain(void)
{
    ave_xfade_range spans[] = {{10000, 20000}, {1000, 1100}, {20300, 21000}, {5000, 5000}};
    ave_mute *m = NULL;

    CHECK_EQ_INT(ave_mute_new(&m, spans, 4, FADE), 0);
    if (!m)
        return;
    /* Sorted, the empty span dropped, 20000 and 20300 merged (gap 300 <= 2 fades). */
    CHECK_EQ_INT(ave_mute_span_count(m), 2);
    CHECK_NEAR(ave_mute_gain(m, 0), 1.0, 0);
    CHECK_NEAR(ave_mute_gain(m, 9999), 1.0, 0);
    CHECK_NEAR(ave_mute_gain(m, 21000), 1.0, 0);
    CHECK_NEAR(ave_mute_gain(m, 999), 1.0, 0);
    CHECK_NEAR(ave_mute_gain(m, 1100), 1.0, 0);
    /* Fades inside the span, monotonic, from near 1 to exactly 0. */
    CHECK(ave_mute_gain(m, 10000) > 0.99);
    CHECK(ave_mute_gain(m, 10000 + FADE - 1) < 0.01);
    for (int64_t i = 10000; i < 10000 + FADE - 1; i++)
        CHECK(ave_mute_gain(m, i + 1) <= ave_mute_gain(m, i));
    CHECK_NEAR(ave_mute_gain(m, 10000 + FADE), 0.0, 0);
    CHECK_NEAR(ave_mute_gain(m, 20100), 0.0, 0); /* the merged gap is silent too */
    CHECK_NEAR(ave_mute_gain(m, 21000 - FADE - 1), 0.0, 0);
    CHECK(ave_mute_gain(m, 20999) > 0.99);
    for (int64_t i = 21000 - FADE; i < 20999; i++)
        CHECK(ave_mute_gain(m, i + 1) >= ave_mute_gain(m, i));
    /* A 100-sample span: 50-sample fades, still reaching (near) 0 in the middle. */
    CHECK(ave_mute_gain(m, 1049) < 0.01 && ave_mute_gain(m, 1050) < 0.01);
    ave_mute_free(m);

    CHECK_EQ_INT(ave_mute_new(&m, spans, 1, -1), AVE_ERR_USAGE);
    CHECK(m == NULL);
    CHECK_EQ_INT(ave_mute_new(&m, NULL, 0, FADE), 0);
    CHECK_NEAR(ave_mute_gain(m, 5), 1.0, 0);
    ave_mute_free(m);
    ave_mute_free(NULL);
}

static void test_apply(void)
{
    enum { N = 48000 };
    ave_xfade_range spans[] = {{12000, 18000}, {30000, 30500}};
    ave_mute *m = NULL;
    float *a[2], *b[2];
    double rms_in = 0;

    CHECK_EQ_INT(ave_mute_new(&m, spans, 2, FADE), 0);
    for (int c = 0; c < 2; c++) {
        a[c] = malloc(N * sizeof(float));
        b[c] = malloc(N * sizeof(float));
    }
    if (!m || !a[0] || !a[1] || !b[0] || !b[1])
        goto out;
    for (int i = 0; i < N; i++)
        for (int c = 0; c < 2; c++)
            a[c][i] = b[c][i] = (float)((i * 7919 + c * 31) % 2001 - 1000) / 1000.0f;
    /* b in one go, a in odd-sized chunks: identical results. */
    ave_mute_apply(m, 0, b, 2, N);
    for (int i = 0; i < N; i += 997) {
        float *p[2] = {a[0] + i, a[1] + i};
        ave_mute_apply(m, i, p, 2, N - i < 997 ? N - i : 997);
    }
    CHECK(!memcmp(a[0], b[0], N * sizeof(float)) && !memcmp(a[1], b[1], N * sizeof(float)));
    for (int i = 12000 + FADE; i < 18000 - FADE; i++)
        rms_in += (double)a[0][i] * a[0][i] + (double)a[1][i] * a[1][i];
    CHECK_NEAR(rms_in, 0.0, 0);
    /* Outside the spans every sample is bit-identical to the input. */
    for (int i = 0; i < N; i++) {
        int inside = (i >= 12000 && i < 18000) || (i >= 30000 && i < 30500);
        if (!inside)
            CHECK(a[1][i] == (float)((i * 7919 + 31) % 2001 - 1000) / 1000.0f);
    }
out:
    ave_mute_free(m);
    for (int c = 0; c < 2; c++) {
        free(a[c]);
        free(b[c]);
    }
}

int main(void)
{
    test_gain();
    test_apply();
    return CHECK_DONE();
}
