/* Median of each bin's gain over +-radius frames (see denoise_median.h).
 *
 * Why: musical noise is what the per-bin gain rule leaves in noise-only
 * stretches: the noise's random peaks sometimes pass as speech, and each
 * becomes a short tone where the neighbouring frames sit at the floor. A
 * tone lives for a few hops (the frames overlap by 75%); speech holds a bin
 * for longer (a harmonic, a fricative). The running median removes any
 * excursion shorter than radius + 1 frames and keeps edges where they are:
 * a word's onset and end do not move, unlike with a mean or a recursive
 * smoother. Centred, so the gain is not late; the look-ahead this needs is
 * free in the enhance chain, which works on whole files.
 * Measured (bench/bench_denoise_real.sh, real noises at 5 dB, 12 files at
 * 16 kHz, musical noise in the 6 with long pauses; and bench_enhance.sh's
 * stationary noises at 5 dB, 24 files at 48 kHz; docs/ENHANCE.md):
 *   radius   real segSI-SDRi  pauses  kurtosis  peaks/1000 | generated SI-SDRi
 *   none         6.14         -15.6    13.72     4.70     |  10.05
 *   25 ms        5.91         -16.0     7.60     3.40     |   9.98  (kept)
 *   35 ms        5.63         -16.1     6.55     3.14     |   9.70
 *   50 ms        5.01         -16.2     5.38     2.52     |   8.52
 *   80 ms        3.93         -16.3     4.66     1.95     |     -
 * (the input noise: kurtosis 2.96, 0.67 peaks; these are with the fixed
 * absence prior of the time: with the estimated one, denoise_absence.c,
 * 25 ms gives 6.04 / -19.0 / 6.86 / 1.16 | 9.81). 25 ms more than halves
 * the excess kurtosis for 0.2 dB on real speech and 0.07 dB on the generated voices;
 * wider medians cut more musical noise but blur the generated voices'
 * detail (white noise at 50 ms: 11.65 -> 9.39 dB).
 * Tried at 50 ms in a variant that also floored frames without one bin
 * above -6 dB, and not kept: a median over +-1-2 bins as
 * well (worse on both counts), centred power smoothing over +-1-3 frames
 * before the gain rule (more musical noise: the smoothed ratio sits just
 * over 1 where the tracker is a little low), and flooring more frames as
 * pauses with a longer look-ahead (1-4 dB less, kurtosis no better: the
 * switching between floored and open frames is itself a heavy tail).
 * Without the median, raising the noise PSD to a file-long pause profile
 * made pauses 5 dB quieter but cost 3-5 dB of segmental SI-SDR: the gain
 * rule scores best on a slight under-estimate of the noise (with the true
 * noise PSD, bench_enhance oracle, it scored 1-2 dB under the tracker on
 * these files).
 */
#include "enhance/denoise_median.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct denoise_median {
    size_t bins, radius, delay, len; /* len = delay + radius + 1 frames kept */
    size_t t;                 /* frames pushed */
    fftwf_complex *spec;      /* len x bins */
    float *gain;              /* len x bins */
    uint32_t *work;           /* len x bins: the window's gains' bits, sorted per bin */
};

denoise_median *denoise_median_new(size_t bins, size_t radius, size_t delay)
{
    denoise_median *m;

    if (radius > DENOISE_MEDIAN_MAX_RADIUS || !(m = calloc(1, sizeof(*m))))
        return NULL;
    m->bins = bins;
    m->radius = radius;
    m->delay = delay > radius ? delay : radius;
    m->len = m->delay + radius + 1;
    m->spec = fftwf_malloc(m->len * bins * sizeof(fftwf_complex));
    m->gain = malloc(m->len * bins * sizeof(float));
    m->work = malloc(m->len * bins * sizeof(uint32_t));
    if (!m->spec || !m->gain || !m->work) {
        denoise_median_free(m);
        return NULL;
    }
    return m;
}

void denoise_median_free(denoise_median *m)
{
    if (!m)
        return;
    fftwf_free(m->spec);
    free(m->gain);
    free(m->work);
    free(m);
}

/* Sort the n rows of w (bins values each) per bin, in place, by odd-even
 * transposition: n rounds of compare-exchanges between neighbouring rows,
 * each a min/max over contiguous bins. The gains are positive floats,
 * whose bit patterns order like their values, so the rows are sorted as
 * unsigned integers: integer min/max compile without branches (and
 * vectorise), where a float compare became a data-dependent branch that
 * cost a third of the denoiser's time at 48 kHz. */
static void exchange(uint32_t *restrict a, uint32_t *restrict b, size_t bins)
{
    for (size_t k = 0; k < bins; k++) {
        uint32_t x = a[k], y = b[k];
        a[k] = x < y ? x : y;
        b[k] = x < y ? y : x;
    }
}

static void sort_rows(uint32_t *w, size_t n, size_t bins)
{
    for (size_t r = 0; r < n; r++)
        for (size_t i = r % 2; i + 1 < n; i += 2)
            exchange(w + i * bins, w + (i + 1) * bins, bins);
}

int denoise_median_push(denoise_median *m, const fftwf_complex *spec, const float *gain,
                        fftwf_complex *out, float atten, float floor_)
{
    size_t slot = m->t % m->len, u, us, lo, bins = m->bins, c = 0;

    memcpy(m->spec + slot * bins, spec, bins * sizeof(fftwf_complex));
    memcpy(m->gain + slot * bins, gain, bins * sizeof(float));
    m->t++;
    if (m->t <= m->delay)
        return 0;
    u = m->t - 1 - m->delay; /* the frame completed now */
    us = u % m->len;
    lo = u >= m->radius ? u - m->radius : 0;
    for (size_t w = lo; w <= u + m->radius; w++, c++)
        memcpy(m->work + c * bins, m->gain + (w % m->len) * bins, bins * sizeof(float));
    sort_rows(m->work, c, bins);
    for (size_t k = 0; k < bins; k++) {
        float g;
        memcpy(&g, m->work + (c / 2) * bins + k, sizeof(g));
        if (atten < 1.0f) {
            float a = g * atten, f = g < floor_ ? g : floor_;
            g = a > f ? a : f;
        }
        out[k][0] = m->spec[us * bins + k][0] * g;
        out[k][1] = m->spec[us * bins + k][1] * g;
    }
    return 1;
}
