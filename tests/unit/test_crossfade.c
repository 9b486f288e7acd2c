/* Unit test of the streaming cut-and-crossfade mixer with synthetic signals:
 * exact output length, untouched samples away from joins, no clicks at a join
 * between unrelated signals, energy kept by the equal-power shape, shortened
 * fades in short gaps, silence padding, and chunking independence. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ave/error.h"
#include "render/crossfade.h"

#define RATE 48000
#define MAXOUT (RATE * 20)

typedef struct sink {
    float *out[2];
    int64_t n;
    int channels;
} sink;

static int collect(void *opaque, const float *const *planes, int nb)
{
    sink *s = opaque;
    int c;
    if (s->n + nb > MAXOUT)
        return AVE_ERR_INTERNAL;
    for (c = 0; c < s->channels; c++)
        memcpy(s->out[c] + s->n, planes[c], (size_t)nb * sizeof(float));
    s->n += nb;
    return 0;
}

/* Source generators, by absolute sample index. */
enum { SIG_SINES, SIG_STEP, SIG_NOISE, SIG_RAMP };
static int64_t g_split; /* where the signal changes character */

static float noise_at(int64_t i, int ch)
{
    /* Deterministic white noise in [-0.5, 0.5): a hash of the index. */
    uint32_t h = (uint32_t)(i * 2654435761u) ^ (uint32_t)(ch * 40503u + 0x9e3779b9u);
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    return (float)(h & 0xffff) / 65536.0f - 0.5f;
}

static float sig(int kind, int64_t i, int ch)
{
    switch (kind) {
    case SIG_SINES:
        return (float)(0.8 * sin(2 * M_PI * (i < g_split ? 440.0 : 660.0) * (double)i / RATE +
                                 ch * 0.3));
    case SIG_STEP:
        return i < g_split ? 0.5f : -0.5f;
    case SIG_NOISE:
        /* independent noise on both sides of the split: uncorrelated */
        return noise_at(i + (i < g_split ? 0 : 7777777), ch);
    default:
        return (float)i; /* exact-identity check */
    }
}

/* Push source [from, to) in chunks of varying size. */
static int run(ave_xfade *x, int kind, int64_t from, int64_t to, int channels, int chunk0)
{
    float *buf[2];
    int ret = 0, c, k = 0;
    int64_t pos = from;
    buf[0] = malloc(4096 * sizeof(float));
    buf[1] = malloc(4096 * sizeof(float));
    while (pos < to && ret == 0) {
        int n = chunk0 + (k++ * 37) % 1500;
        int64_t i;
        if (n > to - pos)
            n = (int)(to - pos);
        for (c = 0; c < channels; c++)
            for (i = 0; i < n; i++)
                buf[c][i] = sig(kind, pos + i, c);
        ret = ave_xfade_push(x, pos, (const float *const *)buf, n);
        pos += n;
    }
    if (ret == 0)
        ret = ave_xfade_finish(x);
    free(buf[0]);
    free(buf[1]);
    return ret;
}

static double max_jump(const float *o, int64_t from, int64_t to)
{
    double m = 0;
    int64_t i;
    for (i = from + 1; i < to; i++)
        if (fabs(o[i] - o[i - 1]) > m)
            m = fabs(o[i] - o[i - 1]);
    return m;
}

static void test_length_and_identity(void)
{
    /* Three kept ranges; the input ramp makes every copied sample checkable. */
    ave_xfade_range kept[] = { { 1000, 30000 }, { 50000, 90001 }, { 120000, 160000 } };
    sink s = { { malloc(MAXOUT * sizeof(float)), NULL }, 0, 1 };
    ave_xfade *x = NULL;
    int fade = 960; /* 20 ms */
    int64_t i;

    CHECK_EQ_INT(ave_xfade_new(&x, kept, 3, 1, fade, AVE_XFADE_LINEAR, collect, &s), 0);
    CHECK_EQ_INT(ave_xfade_expected(x), 29000 + 40001 + 40000);
    CHECK_EQ_INT(run(x, SIG_RAMP, 0, 200000, 1, 100), 0);
    CHECK_EQ_INT(s.n, 29000 + 40001 + 40000);
    CHECK_EQ_INT(ave_xfade_emitted(x), s.n);
    CHECK_EQ_INT(ave_xfade_join_count(x), 2);
    /* before the first join the output is the source, sample for sample */
    for (i = 0; i < 29000 - fade / 2; i++)
        if (s.out[0][i] != (float)(1000 + i)) {
            CHECK(s.out[0][i] == (float)(1000 + i));
            break;
        }
    /* the middle of the second range is untouched too */
    CHECK(s.out[0][29000 + 20000] == (float)(50000 + 20000));
    /* at the exact join the linear fade weighs both sides about equally */
    CHECK_NEAR(s.out[0][29000], 0.5 * (30000 + 50000), 2.0 * 960);
    ave_xfade_free(x);
    free(s.out[0]);
}

static void test_no_click_sines(void)
{
    /* 440 Hz kept up to 1 s, 660 Hz kept from 1.5 s: a hard cut would jump
     * by up to 1.6; the crossfade keeps every step close to a sine's own. */
    ave_xfade_range kept[] = { { 0, RATE }, { RATE * 3 / 2 + 17, RATE * 3 + 17 } };
    sink s = { { malloc(MAXOUT * sizeof(float)), malloc(MAXOUT * sizeof(float)) }, 0, 2 };
    ave_xfade *x = NULL;
    double sine_step = 0.8 * 2 * M_PI * 660.0 / RATE; /* 0.069 */

    g_split = RATE * 5 / 4;
    CHECK_EQ_INT(ave_xfade_new(&x, kept, 2, 2, RATE / 50, AVE_XFADE_EQUAL_POWER, collect, &s), 0);
    CHECK_EQ_INT(run(x, SIG_SINES, 0, RATE * 4, 2, 333), 0);
    CHECK_EQ_INT(s.n, RATE + RATE * 3 / 2);
    CHECK(max_jump(s.out[0], 0, s.n) < 1.5 * sine_step);
    CHECK(max_jump(s.out[1], 0, s.n) < 1.5 * sine_step);
    ave_xfade_free(x);

    /* hard cut for comparison: the join is a click */
    s.n = 0;
    CHECK_EQ_INT(ave_xfade_new(&x, kept, 2, 2, 0, AVE_XFADE_EQUAL_POWER, collect, &s), 0);
    CHECK_EQ_INT(run(x, SIG_SINES, 0, RATE * 4, 2, 333), 0);
    CHECK_EQ_INT(s.n, RATE + RATE * 3 / 2);
    CHECK(max_jump(s.out[0], 0, s.n) > 3 * sine_step);
    ave_xfade_free(x);
    free(s.out[0]);
    free(s.out[1]);
}

static void test_dc_step(void)
{
    /* +0.5 before the gap, -0.5 after: the linear fade is a straight ramp
     * with steps of 1/(2h); the equal-power one stays smooth as well. */
    ave_xfade_range kept[] = { { 0, 10000 }, { 20000, 30000 } };
    sink s = { { malloc(MAXOUT * sizeof(float)), NULL }, 0, 1 };
    ave_xfade *x = NULL;
    int shape;

    g_split = 15000;
    for (shape = AVE_XFADE_EQUAL_POWER; shape <= AVE_XFADE_LINEAR; shape++) {
        s.n = 0;
        CHECK_EQ_INT(ave_xfade_new(&x, kept, 2, 1, 960, shape, collect, &s), 0);
        CHECK_EQ_INT(run(x, SIG_STEP, 0, 40000, 1, 512), 0);
        CHECK_EQ_INT(s.n, 20000);
        CHECK(max_jump(s.out[0], 0, s.n) < (shape == AVE_XFADE_LINEAR ? 1.01 / 960 : 2.0 / 960));
        CHECK_NEAR(s.out[0][0], 0.5, 1e-6);
        CHECK_NEAR(s.out[0][s.n - 1], -0.5, 1e-6);
        ave_xfade_free(x);
    }
    free(s.out[0]);
}

static void test_equal_power_energy(void)
{
    /* Uncorrelated noise of equal level on both sides: the equal-power fade
     * keeps the level across the join (a linear one dips by 3 dB). */
    ave_xfade_range kept[] = { { 0, RATE }, { 2 * RATE, 3 * RATE } };
    sink s = { { malloc(MAXOUT * sizeof(float)), NULL }, 0, 1 };
    ave_xfade *x = NULL;
    int64_t h = RATE / 10, i; /* 200 ms fade, 100 ms each side */
    double e_join = 0, e_ref = 0;

    g_split = RATE * 3 / 2;
    CHECK_EQ_INT(ave_xfade_new(&x, kept, 2, 1, (int)(2 * h), AVE_XFADE_EQUAL_POWER, collect, &s),
                 0);
    CHECK_EQ_INT(run(x, SIG_NOISE, 0, 3 * RATE, 1, 1024), 0);
    CHECK_EQ_INT(s.n, 2 * RATE);
    for (i = RATE - h; i < RATE + h; i++)
        e_join += s.out[0][i] * s.out[0][i];
    for (i = 0; i < 2 * h; i++)
        e_ref += s.out[0][i] * s.out[0][i];
    CHECK_NEAR(10 * log10(e_join / e_ref), 0.0, 0.5);
    ave_xfade_free(x);
    free(s.out[0]);
}

static void test_short_gap_and_padding(void)
{
    /* A 10-sample gap shortens the fade to 5 samples a side; a short last
     * range caps it at half the range; input ending early is padded. */
    ave_xfade_range kept[] = { { 0, 5000 }, { 5010, 5030 }, { 9000, 20000 } };
    sink s = { { malloc(MAXOUT * sizeof(float)), NULL }, 0, 1 };
    ave_xfade *x = NULL;

    g_split = 5005;
    CHECK_EQ_INT(ave_xfade_new(&x, kept, 3, 1, 960, AVE_XFADE_LINEAR, collect, &s), 0);
    CHECK_EQ_INT(run(x, SIG_STEP, 0, 12000, 1, 700), 0); /* input stops at 12000 */
    CHECK_EQ_INT(s.n, 5000 + 20 + 11000);
    CHECK(s.out[0][s.n - 1] == 0.0f); /* padded with silence */
    ave_xfade_free(x);

    /* input that starts late and has a hole is filled with silence too */
    s.n = 0;
    {
        ave_xfade_range k1[] = { { 0, 3000 } };
        float one[100], *p[1] = { one };
        int i;
        for (i = 0; i < 100; i++)
            one[i] = 1.0f;
        CHECK_EQ_INT(ave_xfade_new(&x, k1, 1, 1, 0, AVE_XFADE_LINEAR, collect, &s), 0);
        CHECK_EQ_INT(ave_xfade_push(x, 1000, (const float *const *)p, 100), 0);
        CHECK_EQ_INT(ave_xfade_push(x, 1050, (const float *const *)p, 100), 0); /* overlap */
        CHECK_EQ_INT(ave_xfade_push(x, 2000, (const float *const *)p, 100), 0); /* hole */
        CHECK_EQ_INT(ave_xfade_finish(x), 0);
        CHECK_EQ_INT(s.n, 3000);
        CHECK(s.out[0][999] == 0.0f && s.out[0][1000] == 1.0f && s.out[0][1149] == 1.0f);
        CHECK(s.out[0][1150] == 0.0f && s.out[0][2000] == 1.0f && s.out[0][2100] == 0.0f);
        ave_xfade_free(x);
    }
    free(s.out[0]);
}

static void test_rounding_no_drift(void)
{
    /* 300 kept segments at awkward microsecond boundaries: the total equals
     * the sum of per-segment rounded lengths and stays within one sample per
     * segment of the exact duration. */
    ave_xfade_range kept[300];
    int64_t total_us = 0, sum = 0;
    int i;
    for (i = 0; i < 300; i++) {
        int64_t s_us = (int64_t)i * 1000003 + 333, e_us = s_us + 700001;
        kept[i].start = ave_xfade_us_to_samples(s_us, 44100);
        kept[i].end = ave_xfade_us_to_samples(e_us, 44100);
        total_us += e_us - s_us;
        sum += kept[i].end - kept[i].start;
    }
    CHECK(fabs((double)sum - total_us * 44100e-6) <= 300);
    CHECK_NEAR((double)sum, total_us * 44100e-6, 2.0); /* errors do not pile up */
    CHECK_EQ_INT(ave_xfade_us_to_samples(1000000, 48000), 48000);
    CHECK_EQ_INT(ave_xfade_us_to_samples(10, 48000), 0);
    CHECK_EQ_INT(ave_xfade_us_to_samples(11, 48000), 1);
    CHECK_EQ_INT(ave_xfade_us_to_samples(-11, 48000), -1);
}

static void test_bad_args(void)
{
    ave_xfade_range bad[] = { { 0, 100 }, { 50, 200 } };
    ave_xfade *x = NULL;
    sink s = { { NULL, NULL }, 0, 1 };
    CHECK_EQ_INT(ave_xfade_new(&x, bad, 2, 1, 10, 0, collect, &s), AVE_ERR_USAGE);
    CHECK(x == NULL);
    CHECK_EQ_INT(ave_xfade_new(&x, bad, 1, 0, 10, 0, collect, &s), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_xfade_new(&x, NULL, 0, 1, 10, 0, collect, &s), 0);
    CHECK_EQ_INT(ave_xfade_finish(x), 0);
    CHECK_EQ_INT(ave_xfade_emitted(x), 0);
    ave_xfade_free(x);
    ave_xfade_free(NULL);
}

int main(void)
{
    test_length_and_identity();
    test_no_click_sines();
    test_dc_step();
    test_equal_power_energy();
    test_short_gap_and_padding();
    test_rounding_no_drift();
    test_bad_args();
    return CHECK_DONE();
}
