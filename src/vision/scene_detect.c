/* Scene-change detection over the sequence of sampled frames.
 *
 * Input is one signature distance per sample (to the previous sample) and
 * the sample's brightness. The thresholds adapt to the footage: for each
 * sample, the median and the median absolute deviation (MAD, scaled to a
 * standard deviation) of the distances around it -- the previous `window`
 * samples, topped up to MIN_HISTORY with following ones near the start -- give
 *   cut threshold     = max(cut_floor, median + cut_k * MAD)
 *   gradual threshold = max(gradual_floor, median + gradual_k * MAD)
 * so a shaky handheld shot needs a bigger jump to count as a cut than a
 * static interview does.
 *
 * Three kinds of boundaries:
 * - fades to or from black: a run of samples whose brightness moves
 *   monotonically (at least fade_min_step per sample, fade_min_total in
 *   all) and ends or starts at black. Each step of a fade may be a large
 *   histogram jump, so fades are found first and their steps never cut.
 * - dissolves: a run of at least gradual_min_len samples above the gradual
 *   threshold in which no single step dominates (largest < dominance * sum)
 *   and whose summed distance reaches the cut threshold.
 * - hard cuts: otherwise, the steps of a run that reach the cut threshold
 *   and are at least half as large as their larger neighbour.
 * Runs are judged with the thresholds frozen at their first sample, so a
 * long transition cannot raise its own bar. The whole sequence is known when
 * this runs (after the decoding pass), which is why the window may look
 * ahead. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "core/array_grow.h"
#include "vision/frames_internal.h"

#define MAX_WINDOW 256
#define MAD_TO_SIGMA 1.4826
/* Near the start, the window is topped up with following samples to this
 * many; no further, or the next shots would set this one's threshold. */
#define MIN_HISTORY 8

void scene_params_default(scene_params *p)
{
    p->window = 24;
    p->cut_k = 5.0;
    p->cut_floor = 0.2;
    p->gradual_k = 3.0;
    p->gradual_floor = 0.05;
    p->gradual_min_len = 3;
    p->dominance = 0.5;
    p->black_level = 0.08;
    p->fade_min_step = 0.008;
    p->fade_min_total = 0.1;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static double median_sorted(const float *v, int n)
{
    return n % 2 ? v[n / 2] : 0.5 * ((double)v[n / 2 - 1] + (double)v[n / 2]);
}

/* The cut and gradual thresholds for sample i (1 <= i < n). Samples marked
 * in `busy` (transitions already found) are left out: a fade's steps are
 * large and would hide the cut that follows it. */
static void thresholds(const float *d, const unsigned char *busy, size_t n, size_t i,
                       const scene_params *p, double *cut, double *grad)
{
    float win[MAX_WINDOW];
    int w = p->window < MAX_WINDOW ? p->window : MAX_WINDOW, k = 0;
    double med, mad, sigma;

    for (size_t j = i; j > 1 && k < w;)
        if (!busy[--j])
            win[k++] = d[j];
    for (size_t j = i + 1; k < MIN_HISTORY && j < n; j++)
        if (!busy[j])
            win[k++] = d[j];
    *cut = p->cut_floor;
    *grad = p->gradual_floor;
    if (k < 3)
        return;
    qsort(win, (size_t)k, sizeof(float), cmp_float);
    med = median_sorted(win, k);
    for (int j = 0; j < k; j++)
        win[j] = (float)(win[j] > med ? win[j] - med : med - win[j]);
    qsort(win, (size_t)k, sizeof(float), cmp_float);
    mad = median_sorted(win, k);
    sigma = MAD_TO_SIGMA * mad;
    if (med + p->cut_k * sigma > *cut)
        *cut = med + p->cut_k * sigma;
    if (med + p->gradual_k * sigma > *grad)
        *grad = med + p->gradual_k * sigma;
}

static int push(scene_boundary **out, size_t *count, size_t *cap, size_t index, size_t end,
                double strength, int gradual)
{
    scene_boundary *nb = array_grow(*out, cap, *count + 1, sizeof(*nb), 16);
    if (!nb)
        return AVE_ERR_NOMEM;
    *out = nb;
    (*out)[(*count)++] = (scene_boundary){.index = index,
                                          .end_index = end,
                                          .strength = strength > 1 ? 1 : strength,
                                          .gradual = gradual};
    return 0;
}

static double max_in(const float *d, size_t a, size_t e)
{
    double m = 0;
    for (size_t j = a; j <= e; j++)
        if (d[j] > m)
            m = d[j];
    return m;
}

static double median_step(const float *b, size_t a, size_t e, size_t skip)
{
    float v[MAX_WINDOW];
    int k = 0;

    for (size_t j = a; j <= e && k < MAX_WINDOW; j++)
        if (j != skip)
            v[k++] = (float)fabs((double)b[j] - (double)b[j - 1]);
    if (k == 0)
        return 0;
    qsort(v, (size_t)k, sizeof(float), cmp_float);
    return median_sorted(v, k);
}

/* A step at the bright end of a brightness ramp is a cut next to the fade,
 * not part of it, when it reaches the cut threshold and either its distance
 * dwarfs the fade's steps or its brightness jump is far larger than the
 * fade's even steps. */
static int dominant_step(const float *d, const float *b, const unsigned char *busy, size_t n,
                         size_t j, size_t a, size_t e, const scene_params *p)
{
    double cut, grad, rest;

    thresholds(d, busy, n, a, p, &cut, &grad); /* frozen at the fade's start */
    rest = j == a ? max_in(d, a + 1, e) : max_in(d, a, e - 1);
    if (d[j] < cut)
        return 0;
    return d[j] > 2.0 * rest ||
           fabs((double)b[j] - (double)b[j - 1]) > 2.5 * median_step(b, a, e, j);
}

/* Mark fades to/from black: busy[i] = 1 for the samples of a fade and
 * fade_end[a] = e for the first sample a of each fade. Steps are i-1 -> i. */
static void find_fades(const float *d, const float *b, size_t n, const scene_params *p,
                       unsigned char *busy, size_t *fade_end)
{
    size_t i = 1;

    while (i < n) {
        double step = (double)b[i] - (double)b[i - 1];
        int dir = step >= p->fade_min_step ? 1 : step <= -p->fade_min_step ? -1 : 0;
        size_t a = i, e = i;

        if (!dir) {
            i++;
            continue;
        }
        while (e + 1 < n && dir * ((double)b[e + 1] - (double)b[e]) >= p->fade_min_step)
            e++;
        i = e + 1;
        /* Trim cut-sized steps off the bright end (the end away from black). */
        if (dir > 0)
            while (e > a + 1 && dominant_step(d, b, busy, n, e, a, e, p))
                e--;
        else
            while (e > a + 1 && dominant_step(d, b, busy, n, a, a, e, p))
                a++;
        if (e < a + 1) /* at least two steps */
            continue;
        double dark = dir > 0 ? b[a - 1] : b[e];
        double total = dir * ((double)b[e] - (double)b[a - 1]);
        if (dark > p->black_level || total < p->fade_min_total)
            continue;
        for (size_t j = a; j <= e; j++)
            busy[j] = 1;
        fade_end[a] = e;
    }
}

int scene_detect(const float *distance, const float *brightness, size_t n,
                 const scene_params *p, scene_boundary **out, size_t *count)
{
    scene_boundary *res = NULL;
    unsigned char *busy = NULL;
    size_t *fade_end = NULL, nres = 0, cap = 0, i = 1;
    int ret = 0;

    *out = NULL;
    *count = 0;
    if (n < 2)
        return 0;
    busy = calloc(n, 1);
    fade_end = calloc(n, sizeof(*fade_end));
    if (!busy || !fade_end) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    if (brightness)
        find_fades(distance, brightness, n, p, busy, fade_end);

    while (i < n) {
        double cut, grad, sum = 0, mx = 0;
        size_t e = i;

        if (busy[i] && fade_end[i]) { /* a fade starts here */
            e = fade_end[i];
            for (size_t j = i; j <= e; j++)
                sum += distance[j];
            if ((ret = push(&res, &nres, &cap, i, e, sum, 1)) < 0)
                goto out;
            i = e + 1;
            continue;
        }
        thresholds(distance, busy, n, i, p, &cut, &grad);
        if (distance[i] < grad) {
            i++;
            continue;
        }
        while (e + 1 < n && !busy[e + 1] && distance[e + 1] >= grad)
            e++;
        for (size_t j = i; j <= e; j++) {
            sum += distance[j];
            if (distance[j] > mx)
                mx = distance[j];
        }
        if (e + 1 - i >= (size_t)p->gradual_min_len && mx < p->dominance * sum && sum >= cut) {
            if ((ret = push(&res, &nres, &cap, i, e, sum, 1)) < 0)
                goto out;
            memset(busy + i, 1, e + 1 - i); /* keep the dissolve out of later windows */
        } else {
            for (size_t j = i; j <= e; j++) {
                /* A step next to a much larger one is that cut's blur (a
                 * sample on a blended frame); one at least half as large
                 * is a cut of its own (a flash, a one-sample shot). */
                double left = j > i ? distance[j - 1] : 0, right = j < e ? distance[j + 1] : 0;
                int peak = 2.0 * distance[j] >= (left > right ? left : right);
                if (peak && distance[j] >= cut &&
                    (ret = push(&res, &nres, &cap, j, j, distance[j], 0)) < 0)
                    goto out;
            }
        }
        i = e + 1;
    }
    *out = res;
    *count = nres;
    res = NULL;
out:
    free(res);
    free(busy);
    free(fade_end);
    return ret;
}
