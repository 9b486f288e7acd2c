/* Where the harmony changes: a slow spectral novelty curve for the bar
 * (tempo_track.c).
 *
 * Chords and bass notes tend to change on the bar line, so the spacing of
 * harmony changes gives the bar when the rhythm alone does not (Goto and
 * Muraoka used chord changes for the bar level). The lmms techno loop (a
 * synth bass, no drums) is the case in point: its notes group in threes of
 * sixteenths and no bar repeats the rhythm of the one before, so the onset
 * curve's autocorrelation has no bar peak (0.37 at 1.39 s), yet its chords
 * change every 1.714 s, four beats of 140 BPM.
 *
 * Per frame, the sixth-octave band magnitudes of CHORD_LO_HZ-CHORD_HI_HZ
 * (bass notes and chords; kick drums' and hats' own ranges mostly left
 * out) are averaged over the HALF_S before and the HALF_S after the frame,
 * log-compressed, and each side's mean over the bands removed, so a louder
 * note or a crescendo is not a change but a new spectral shape is. The
 * curve is the mean absolute difference between the two shapes. Averaging
 * over 0.4 s evens out notes that pulse inside a chord. The first and last
 * HALF_S frames, which have no second side, repeat the nearest value
 * (beats_chord_finish). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

#define COMPRESS 100.0
#define PEAK_S 0.1 /* a change: the curve's maximum within +-0.1 s ... */
#define PEAK_Z 1.0 /* ... one deviation above its mean */
#define ACCENT 1.0 /* weight of a change's z-score against the onset curve's unit deviation */

int beats_chord_init(beats_chord *c, size_t bands, size_t half, size_t frames)
{
    memset(c, 0, sizeof(*c));
    c->bands = bands;
    c->half = half ? half : 1;
    c->ring = calloc((2 * c->half + 1) * (bands ? bands : 1), sizeof(*c->ring));
    c->old_sum = calloc(bands ? bands : 1, sizeof(*c->old_sum));
    c->new_sum = calloc(bands ? bands : 1, sizeof(*c->new_sum));
    c->out = calloc(frames ? frames : 1, sizeof(*c->out));
    c->frames = frames;
    if (!c->ring || !c->old_sum || !c->new_sum || !c->out) {
        beats_chord_free(c);
        return AVE_ERR_NOMEM;
    }
    return 0;
}

void beats_chord_push(beats_chord *c, const float *mag)
{
    const size_t h = c->half, slots = 2 * h + 1, j = c->pushed++;
    float *cur = c->ring + (j % slots) * c->bands;
    double ma = 0, mb = 0, d = 0;

    memcpy(cur, mag, c->bands * sizeof(*cur));
    for (size_t k = 0; k < c->bands; k++)
        c->new_sum[k] += mag[k];
    if (j >= h) { /* frame j - h moves from the new side to the old */
        const float *mid = c->ring + ((j - h) % slots) * c->bands;
        for (size_t k = 0; k < c->bands; k++) {
            c->new_sum[k] -= mid[k];
            c->old_sum[k] += mid[k];
        }
    }
    if (j >= 2 * h) { /* frame j - 2h leaves the old side */
        const float *gone = c->ring + ((j - 2 * h) % slots) * c->bands;
        for (size_t k = 0; k < c->bands; k++)
            c->old_sum[k] -= gone[k];
    }
    if (j + 1 < 2 * h || c->bands == 0 || j + 1 - h >= c->frames)
        return;
    /* old side: frames [j+1-2h, j+1-h), new side [j+1-h, j]; the curve
     * belongs to the first frame of the new side */
    for (size_t k = 0; k < c->bands; k++) {
        ma += log1p(COMPRESS * (c->old_sum[k] > 0 ? c->old_sum[k] : 0) / (double)h);
        mb += log1p(COMPRESS * (c->new_sum[k] > 0 ? c->new_sum[k] : 0) / (double)h);
    }
    ma /= (double)c->bands;
    mb /= (double)c->bands;
    for (size_t k = 0; k < c->bands; k++) {
        double a = log1p(COMPRESS * (c->old_sum[k] > 0 ? c->old_sum[k] : 0) / (double)h) - ma,
               b = log1p(COMPRESS * (c->new_sum[k] > 0 ? c->new_sum[k] : 0) / (double)h) - mb;
        d += fabs(a - b);
    }
    c->out[j + 1 - h] = (float)(d / (double)c->bands);
}

void beats_chord_finish(beats_chord *c)
{
    size_t first = c->half, last = c->pushed >= c->half ? c->pushed - c->half : 0;

    if (c->pushed < 2 * c->half || last >= c->frames || first > last)
        return; /* nothing defined: all 0 */
    for (size_t j = 0; j < first; j++)
        c->out[j] = c->out[first];
    for (size_t j = last + 1; j < c->frames; j++)
        c->out[j] = c->out[last];
}

void beats_chord_free(beats_chord *c)
{
    if (!c)
        return;
    free(c->ring);
    free(c->old_sum);
    free(c->new_sum);
    free(c->out);
    memset(c, 0, sizeof(*c));
}

/* Mean and deviation of c[0..n). */
static void mean_sd(const float *c, size_t n, double *mean, double *sd)
{
    double m = 0, v = 0;

    for (size_t j = 0; j < n; j++)
        m += c[j];
    m /= (double)n;
    for (size_t j = 0; j < n; j++)
        v += (c[j] - m) * (c[j] - m);
    *mean = m;
    *sd = sqrt(v / (double)n);
}

/* Whether frame j of c[0..n) is a change: PEAK_Z deviations above the
 * mean and the curve's maximum within +-h frames (the first of equals). */
static int is_change(const float *c, size_t n, size_t j, size_t h, double mean, double sd)
{
    int top = sd > 0 && (c[j] - mean) / sd > PEAK_Z;

    for (size_t d = j >= h ? j - h : 0; top && d <= j + h && d < n; d++)
        top = c[d] < c[j] || d == j || (c[d] == c[j] && d > j);
    return top;
}

int beats_chord_accent(const beats_odf *o, float **out)
{
    const size_t n = o->count, half = (size_t)lround(PEAK_S * o->fps);
    double mean, sd;
    float *v;

    *out = NULL;
    if (!(v = malloc((n ? n : 1) * sizeof(*v))))
        return AVE_ERR_NOMEM;
    for (size_t j = 0; j < n; j++)
        v[j] = o->v[j];
    if (!o->chord || n == 0) {
        *out = v;
        return 0;
    }
    mean_sd(o->chord, n, &mean, &sd);
    for (size_t j = 0; j < n; j++)
        if (is_change(o->chord, n, j, half, mean, sd))
            v[j] += (float)(ACCENT * (o->chord[j] - mean) / sd);
    *out = v;
    return 0;
}

double beats_chord_pair(const float *c, size_t n, double fps)
{
    const size_t h = (size_t)lround(PEAK_S * fps), edge = (size_t)lround(BEATS_CHORD_HALF_S * fps);
    size_t at[2] = {0, 0}, got = 0;
    double mean, sd;

    if (n == 0)
        return 0;
    mean_sd(c, n, &mean, &sd);
    /* the edges repeat the nearest measured value (beats_chord_finish):
     * no change can be told there */
    for (size_t j = edge; j + edge < n; j++) {
        if (!is_change(c, n, j, h, mean, sd))
            continue;
        got++;
        if (got == 1 || c[j] > c[at[0]]) {
            at[1] = at[0];
            at[0] = j;
        } else if (got == 2 || c[j] > c[at[1]])
            at[1] = j;
    }
    if (got < 2)
        return 0;
    size_t lo = at[0] < at[1] ? at[0] : at[1], hi = at[0] < at[1] ? at[1] : at[0];
    for (size_t j = lo + 1; j < hi; j++)
        if (is_change(c, n, j, h, mean, sd))
            return 0; /* not consecutive: their spacing is no bar */
    return (double)(hi - lo);
}
