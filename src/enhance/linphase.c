/* Linear-phase FIR by FFT overlap-save (see linphase.h).
 *
 * Design by frequency sampling: the wanted magnitude on a grid of 8x the
 * taps, inverse FFT (zero phase: a real, even impulse response centred on
 * sample 0), the centre cut out with a Blackman window (side lobes under
 * -58 dB, so a stop band holds to about that depth; the window's main lobe
 * blurs the response over about 3 fs / taps Hz, which sets how long a
 * filter must be for its corner). Filtering: blocks of B = N - taps + 1
 * new samples, N the power of two >= 2 x taps, so at least half of each
 * FFT is new output. Input is staged per block like the denoiser's hops, so
 * the output does not depend on the caller's chunking; latency = B staged
 * samples + (taps - 1) / 2 of the filter's own centre. */
#include "enhance/linphase.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

struct ave_linphase {
    double fs;
    size_t taps, n, block, pos; /* FFT size, new samples per block, staged so far */
    double *h;                  /* the taps, for the response */
    float *hist;                /* last n input samples: taps - 1 history + block new */
    float *out;                 /* the block being emitted */
    float *time;
    fftwf_complex *spec, *hspec; /* hspec: the filter's spectrum / n */
    fftwf_plan fwd, inv;
};

/* Zero-phase taps: h[i - (taps-1)/2] for i in 0..taps-1. */
static int design(ave_linphase *f, ave_linphase_mag_fn mag, const void *opaque)
{
    size_t m = 8, half = (f->taps - 1) / 2;
    while (m < 8 * f->taps)
        m *= 2;
    float *t = fftwf_malloc(m * sizeof(float));
    fftwf_complex *s = fftwf_malloc((m / 2 + 1) * sizeof(fftwf_complex));
    fftwf_plan p = t && s ? fftwf_plan_dft_c2r_1d((int)m, s, t, FFTW_ESTIMATE) : NULL;
    double sum = 0, wsum = 0;

    if (!p) {
        fftwf_free(t);
        fftwf_free(s);
        return AVE_ERR_NOMEM;
    }
    for (size_t k = 0; k <= m / 2; k++) {
        s[k][0] = (float)(mag(opaque, f->fs * (double)k / (double)m) / (double)m);
        s[k][1] = 0;
    }
    fftwf_execute(p);
    for (size_t i = 0; i < f->taps; i++) {
        long j = (long)i - (long)half;
        double x = 2 * M_PI * (double)i / (double)(f->taps - 1);
        double w = 0.42 - 0.5 * cos(x) + 0.08 * cos(2 * x);
        f->h[i] = t[(size_t)((j + (long)m) % (long)m)] * w;
        sum += f->h[i];
        wsum += w;
    }
    /* A stop band at DC: the window leaves a small residue; remove it with
     * a window-shaped correction, which keeps the filter symmetric. */
    if (mag(opaque, 0) == 0)
        for (size_t i = 0; i < f->taps; i++) {
            double x = 2 * M_PI * (double)i / (double)(f->taps - 1);
            f->h[i] -= sum / wsum * (0.42 - 0.5 * cos(x) + 0.08 * cos(2 * x));
        }
    fftwf_destroy_plan(p);
    fftwf_free(t);
    fftwf_free(s);
    return 0;
}

int ave_linphase_new(ave_linphase **out, double fs, size_t taps, ave_linphase_mag_fn mag,
                     const void *opaque)
{
    ave_linphase *f;
    int ret = AVE_ERR_NOMEM;

    *out = NULL;
    if (!(fs >= 1000 && fs <= 768000) || taps < 3 || taps > (1u << 20) || !mag)
        return AVE_ERR_USAGE;
    if (!(f = calloc(1, sizeof(*f))))
        return AVE_ERR_NOMEM;
    f->fs = fs;
    f->taps = taps | 1;
    f->n = 16;
    while (f->n < 2 * f->taps)
        f->n *= 2;
    f->block = f->n - f->taps + 1;
    f->h = malloc(f->taps * sizeof(double));
    f->hist = calloc(f->n, sizeof(float));
    f->out = calloc(f->block, sizeof(float));
    f->time = fftwf_malloc(f->n * sizeof(float));
    f->spec = fftwf_malloc((f->n / 2 + 1) * sizeof(fftwf_complex));
    f->hspec = fftwf_malloc((f->n / 2 + 1) * sizeof(fftwf_complex));
    if (!f->h || !f->hist || !f->out || !f->time || !f->spec || !f->hspec)
        goto out;
    if ((ret = design(f, mag, opaque)) < 0)
        goto out;
    ret = AVE_ERR_NOMEM;
    f->fwd = fftwf_plan_dft_r2c_1d((int)f->n, f->time, f->spec, FFTW_ESTIMATE);
    f->inv = fftwf_plan_dft_c2r_1d((int)f->n, f->spec, f->time, FFTW_ESTIMATE);
    if (!f->fwd || !f->inv)
        goto out;
    memset(f->time, 0, f->n * sizeof(float));
    for (size_t i = 0; i < f->taps; i++)
        f->time[i] = (float)(f->h[i] / (double)f->n); /* FFTW's c2r is unnormalised */
    fftwf_execute(f->fwd);
    memcpy(f->hspec, f->spec, (f->n / 2 + 1) * sizeof(fftwf_complex));
    *out = f;
    f = NULL;
    ret = 0;
out:
    ave_linphase_free(f);
    return ret;
}

/* One block: circular convolution of the n staged samples; its last
 * `block` outputs are the linear convolution's (overlap-save). */
static void run_block(ave_linphase *f)
{
    memcpy(f->time, f->hist, f->n * sizeof(float));
    fftwf_execute(f->fwd);
    for (size_t k = 0; k <= f->n / 2; k++) {
        float a = f->spec[k][0], b = f->spec[k][1];
        float c = f->hspec[k][0], d = f->hspec[k][1];
        f->spec[k][0] = a * c - b * d;
        f->spec[k][1] = a * d + b * c;
    }
    fftwf_execute(f->inv);
    memcpy(f->out, f->time + f->taps - 1, f->block * sizeof(float));
    memmove(f->hist, f->hist + f->block, (f->taps - 1) * sizeof(float));
}

void ave_linphase_run(ave_linphase *f, const float *in, float *out, size_t n)
{
    size_t done = 0;

    while (done < n) {
        size_t take = f->block - f->pos;
        if (take > n - done)
            take = n - done;
        /* stage the input before writing: out may alias in */
        memcpy(f->hist + f->taps - 1 + f->pos, in + done, take * sizeof(float));
        memcpy(out + done, f->out + f->pos, take * sizeof(float));
        f->pos += take;
        done += take;
        if (f->pos == f->block) {
            run_block(f);
            f->pos = 0;
        }
    }
}

size_t ave_linphase_latency(const ave_linphase *f)
{
    return f->block + (f->taps - 1) / 2;
}

double ave_linphase_response_db(const ave_linphase *f, double hz)
{
    /* symmetric taps: the zero-phase response is a cosine sum */
    size_t half = (f->taps - 1) / 2;
    double w = 2 * M_PI * hz / f->fs, a = f->h[half];
    for (size_t i = 1; i <= half; i++)
        a += 2 * f->h[half + i] * cos(w * (double)i);
    return 20 * log10(fabs(a) + 1e-300);
}

void ave_linphase_free(ave_linphase *f)
{
    if (!f)
        return;
    if (f->fwd)
        fftwf_destroy_plan(f->fwd);
    if (f->inv)
        fftwf_destroy_plan(f->inv);
    fftwf_free(f->time);
    fftwf_free(f->spec);
    fftwf_free(f->hspec);
    free(f->h);
    free(f->hist);
    free(f->out);
    free(f);
}
