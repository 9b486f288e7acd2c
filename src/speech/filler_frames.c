/* Frame measurements for the filler detector: level, voicing, pitch and
 * spectral flux every 10 ms, from one 32 ms Hann-windowed frame.
 *
 * A hesitation is a held vowel or nasal: voiced, steady pitch, steady
 * spectral shape. Voicing and pitch come from the normalised autocorrelation
 * (divided by the window's own autocorrelation, so long lags are not
 * penalised), computed through the power spectrum; the same spectrum gives
 * the band levels whose frame-to-frame change is the flux. Level changes do
 * not count as flux (each frame's mean band level is removed): a filler that
 * fades is still one sound.
 *
 * A small radix-2 FFT lives here rather than FFTW because FFTW's planner is
 * not thread-safe and batch jobs run stages concurrently; at 100 frames/s of
 * 1024 points it costs well under 1% of real time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "speech/filler_detect.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define NBANDS 24
#define BAND_LO_HZ 150.0
#define BAND_HI_HZ 4000.0
#define PITCH_LO_HZ 70.0
#define PITCH_HI_HZ 400.0

/* In-place iterative complex FFT of size n (a power of two); sign -1
 * forward, +1 inverse (unscaled). */
static void fft(float *re, float *im, size_t n, int sign)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            float t = re[i];
            re[i] = re[j];
            re[j] = t;
            t = im[i];
            im[i] = im[j];
            im[j] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        double ang = sign * 2.0 * M_PI / (double)len;
        float wr = (float)cos(ang), wi = (float)sin(ang);
        for (size_t i = 0; i < n; i += len) {
            float cr = 1, ci = 0;
            for (size_t k = 0; k < len / 2; k++) {
                size_t a = i + k, b = i + k + len / 2;
                float xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
                re[b] = re[a] - xr;
                im[b] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
                float t = cr * wr - ci * wi;
                ci = cr * wi + ci * wr;
                cr = t;
            }
        }
    }
}

void ave_filler_frames_free(ave_filler_frames *fr)
{
    if (!fr)
        return;
    free(fr->energy_db);
    free(fr->voicing);
    free(fr->pitch_st);
    free(fr->flux_db);
    free(fr->cep);
    memset(fr, 0, sizeof(*fr));
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

int ave_filler_frames_compute(const int16_t *pcm, size_t n, int rate, ave_filler_frames *fr)
{
    size_t win, nfft = 1, nfr;
    float *re = NULL, *im = NULL, *w = NULL, *wac = NULL, *sorted = NULL;
    float prev[NBANDS] = {0};
    int band_lo[NBANDS], band_hi[NBANDS];
    double dct[AVE_FILLER_CEPS][NBANDS];
    int lag_lo, lag_hi, ret = AVE_ERR_NOMEM;

    memset(fr, 0, sizeof(*fr));
    if (!pcm || rate < 8000)
        return AVE_ERR_USAGE;
    fr->rate = rate;
    fr->hop = rate / 100;
    win = (size_t)(0.032 * rate + 0.5);
    while (nfft < 2 * win)
        nfft <<= 1;
    nfr = n / (size_t)fr->hop;
    fr->count = nfr;
    lag_lo = (int)(rate / PITCH_HI_HZ);
    lag_hi = (int)(rate / PITCH_LO_HZ);
    if ((size_t)lag_hi >= win)
        lag_hi = (int)win - 1;
    re = malloc(nfft * sizeof(*re));
    im = malloc(nfft * sizeof(*im));
    w = malloc(win * sizeof(*w));
    wac = malloc(win * sizeof(*wac));
    fr->energy_db = calloc(nfr + 1, sizeof(float));
    fr->voicing = calloc(nfr + 1, sizeof(float));
    fr->pitch_st = calloc(nfr + 1, sizeof(float));
    fr->flux_db = calloc(nfr + 1, sizeof(float));
    fr->cep = calloc((nfr + 1) * AVE_FILLER_CEPS, sizeof(float));
    sorted = malloc((nfr + 1) * sizeof(float));
    if (!re || !im || !w || !wac || !fr->energy_db || !fr->voicing || !fr->pitch_st ||
        !fr->flux_db || !fr->cep || !sorted)
        goto out;
    for (size_t i = 0; i < win; i++)
        w[i] = (float)(0.5 - 0.5 * cos(2.0 * M_PI * ((double)i + 0.5) / (double)win));
    /* The window's autocorrelation, to undo its taper at each lag. */
    for (size_t l = 0; l < win; l++) {
        double s = 0;
        for (size_t i = 0; i + l < win; i++)
            s += (double)w[i] * w[i + l];
        wac[l] = (float)s;
    }
    for (int k = 0; k < AVE_FILLER_CEPS; k++)
        for (int b = 0; b < NBANDS; b++)
            dct[k][b] = 2.0 / NBANDS * cos(M_PI * (k + 1) * (b + 0.5) / NBANDS);
    for (int b = 0; b < NBANDS; b++) {
        double f0 = BAND_LO_HZ * pow(BAND_HI_HZ / BAND_LO_HZ, (double)b / NBANDS);
        double f1 = BAND_LO_HZ * pow(BAND_HI_HZ / BAND_LO_HZ, (double)(b + 1) / NBANDS);
        band_lo[b] = (int)(f0 * nfft / rate);
        band_hi[b] = (int)(f1 * nfft / rate);
        if (band_hi[b] <= band_lo[b])
            band_hi[b] = band_lo[b] + 1;
    }

    for (size_t f = 0; f < nfr; f++) {
        /* The frame is centred on the hop's centre. */
        int64_t c = (int64_t)f * fr->hop + fr->hop / 2, s0 = c - (int64_t)win / 2;
        double e = 0, bands[NBANDS], mean = 0, flux = 0;
        float best = 0;
        int best_lag = 0;

        for (size_t i = 0; i < nfft; i++) {
            int64_t k = s0 + (int64_t)i;
            float x = i < win && k >= 0 && (size_t)k < n ? pcm[k] / 32768.0f : 0.0f;
            e += i < win ? (double)x * x : 0;
            re[i] = i < win ? x * w[i] : 0;
            im[i] = 0;
        }
        fr->energy_db[f] = (float)(10.0 * log10(e / (double)win + 1e-10));
        fft(re, im, nfft, -1);
        for (int b = 0; b < NBANDS; b++) {
            double p = 0;
            for (int k = band_lo[b]; k < band_hi[b]; k++)
                p += (double)re[k] * re[k] + (double)im[k] * im[k];
            bands[b] = 10.0 * log10(p + 1e-9);
            mean += bands[b];
        }
        mean /= NBANDS;
        for (int b = 0; b < NBANDS; b++) {
            double d = bands[b] - mean;
            if (f > 0)
                flux += (d - prev[b]) * (d - prev[b]);
            prev[b] = (float)d;
        }
        fr->flux_db[f] = (float)sqrt(flux / NBANDS);
        /* The band levels' cosine transform (c1..): the slow shape of the
         * spectrum, the formants, without the harmonics' ripple. */
        for (int k = 0; k < AVE_FILLER_CEPS; k++) {
            double v = 0;
            for (int b = 0; b < NBANDS; b++)
                v += bands[b] * dct[k][b];
            fr->cep[f * AVE_FILLER_CEPS + (size_t)k] = (float)v;
        }
        /* Power spectrum -> autocorrelation. */
        for (size_t i = 0; i < nfft; i++) {
            re[i] = re[i] * re[i] + im[i] * im[i];
            im[i] = 0;
        }
        fft(re, im, nfft, +1);
        if (re[0] > 1e-9f) {
            for (int l = lag_lo; l <= lag_hi; l++) {
                float r = (re[l] / re[0]) / (wac[l] / wac[0]);
                /* A slight preference for shorter lags avoids octave-down
                 * errors (a period's multiples correlate almost as well). */
                r *= 1.0f - 0.08f * (float)(l - lag_lo) / (float)(lag_hi - lag_lo);
                if (r > best) {
                    best = r;
                    best_lag = l;
                }
            }
        }
        fr->voicing[f] = best > 1 ? 1 : best;
        if (best_lag > 0) {
            /* Parabolic interpolation of the peak. */
            double ym = re[best_lag - 1], y0 = re[best_lag], yp = re[best_lag + 1], d = 0;
            double den = ym - 2 * y0 + yp;
            if (den < 0)
                d = 0.5 * (ym - yp) / den;
            if (d > 0.5 || d < -0.5)
                d = 0;
            fr->pitch_st[f] = (float)(12.0 * log2((double)rate / (best_lag + d) / 55.0));
        }
    }
    if (nfr > 0) {
        memcpy(sorted, fr->energy_db, nfr * sizeof(float));
        qsort(sorted, nfr, sizeof(float), cmp_float);
        fr->floor_db = sorted[nfr / 10];
        fr->speech_db = sorted[nfr * 9 / 10];
    }
    ret = 0;
out:
    free(re);
    free(im);
    free(w);
    free(wac);
    free(sorted);
    if (ret < 0)
        ave_filler_frames_free(fr);
    return ret;
}
