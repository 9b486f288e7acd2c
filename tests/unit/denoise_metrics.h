/* Measurements of a denoiser's output against the clean reference, shared
 * by bench/bench_enhance.c (bench_denoise_real.sh) and the unit tests on
 * real noise: a WAV reader, SI-SDR, segmental SI-SDR, the noise reduction
 * in the pauses, and two musical-noise measures. Header-only (static), like
 * check.h; needs FFTW (fftw3f) and libm. */
#ifndef AVE_TEST_DENOISE_METRICS_H
#define AVE_TEST_DENOISE_METRICS_H

#include <fftw3.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static inline uint32_t dm_rd32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static inline uint16_t dm_rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Minimal RIFF/WAVE reader: walks the chunks for "fmt " and "data"; 16-bit
 * PCM or 32-bit float, the first channel. Returns the samples (caller
 * frees) or NULL with *err set. */
static inline float *dm_wav_read(const char *path, size_t *n, int *rate, const char **err)
{
    FILE *f = fopen(path, "rb");
    unsigned char hdr[12], ch[8], fmt[40];
    int format = 0, chans = 0, bits = 0;
    float *x = NULL;

    *n = 0;
    *rate = 0;
    *err = "cannot open";
    if (!f)
        return NULL;
    *err = "not a WAV file";
    if (fread(hdr, 1, 12, f) != 12 || memcmp(hdr, "RIFF", 4) || memcmp(hdr + 8, "WAVE", 4))
        goto out;
    for (;;) {
        *err = "no data chunk";
        if (fread(ch, 1, 8, f) != 8)
            goto out;
        uint32_t len = dm_rd32(ch + 4);
        if (!memcmp(ch, "fmt ", 4)) {
            size_t take = len < sizeof(fmt) ? len : sizeof(fmt);
            *err = "bad fmt chunk";
            if (len < 16 || fread(fmt, 1, take, f) != take)
                goto out;
            format = dm_rd16(fmt);
            chans = dm_rd16(fmt + 2);
            *rate = (int)dm_rd32(fmt + 4);
            bits = dm_rd16(fmt + 14);
            if (format == 0xFFFE && len >= 26)
                format = dm_rd16(fmt + 24);
            fseek(f, (long)(len - take + (len & 1)), SEEK_CUR);
        } else if (!memcmp(ch, "data", 4)) {
            *err = "only 16-bit PCM or 32-bit float WAV";
            if (!chans || !((format == 1 && bits == 16) || (format == 3 && bits == 32)))
                goto out;
            size_t bps = (size_t)bits / 8, frame = bps * (size_t)chans;
            if (len == 0xFFFFFFFFu || len == 0) { /* streamed writer: read to EOF */
                long here = ftell(f);
                fseek(f, 0, SEEK_END);
                len = (uint32_t)(ftell(f) - here);
                fseek(f, here, SEEK_SET);
            }
            *n = len / frame;
            unsigned char *raw = malloc(*n * frame + 1);
            x = malloc((*n + 1) * sizeof(float));
            *err = "out of memory";
            if (!raw || !x) {
                free(raw);
                free(x);
                x = NULL;
                goto out;
            }
            *n = fread(raw, frame, *n, f);
            for (size_t i = 0; i < *n; i++) {
                const unsigned char *p = raw + i * frame;
                if (format == 1) {
                    x[i] = (float)(int16_t)dm_rd16(p) / 32768.0f;
                } else {
                    uint32_t u = dm_rd32(p);
                    float v;
                    memcpy(&v, &u, 4);
                    x[i] = v;
                }
            }
            free(raw);
            *err = NULL;
            break;
        } else {
            fseek(f, (long)(len + (len & 1)), SEEK_CUR);
        }
    }
out:
    fclose(f);
    return x;
}

/* SI-SDR (Le Roux et al. 2019) of est against ref, both made zero-mean. */
static inline double dm_si_sdr(const float *ref, const float *est, size_t n)
{
    double mr = 0, me = 0, dot = 0, rr = 0, ee = 0;
    for (size_t i = 0; i < n; i++) {
        mr += ref[i];
        me += est[i];
    }
    mr /= (double)n;
    me /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double r = ref[i] - mr, e = est[i] - me;
        dot += r * e;
        rr += r * r;
    }
    double alpha = rr > 0 ? dot / rr : 0;
    double tt = alpha * alpha * rr;
    for (size_t i = 0; i < n; i++) {
        double d = (est[i] - me) - alpha * (ref[i] - mr);
        ee += d * d;
    }
    if (ee <= 0)
        return 100.0;
    return 10 * log10(tt / ee + 1e-30);
}

/* Segmental SI-SDR: SI-SDR per 50 ms segment (each with its own scale, so
 * a slowly varying gain is not an error), clamped to [-10, 35] dB, over
 * the segments where the reference is within 40 dB of its loudest one. */
/* The energy of the loudest of the nf frames of fl samples of x. */
static inline double dm_loudest_frame(const float *x, size_t nf, size_t fl)
{
    double emax = 0;
    for (size_t f = 0; f < nf; f++) {
        double e = 0;
        for (size_t i = f * fl; i < (f + 1) * fl; i++)
            e += (double)x[i] * x[i];
        emax = e > emax ? e : emax;
    }
    return emax;
}

static inline double dm_seg_si_sdr(const float *ref, const float *est, size_t n, int rate)
{
    size_t fl = (size_t)rate / 20, nf = n / fl, used = 0;
    double emax = dm_loudest_frame(ref, nf, fl), sum = 0;
    for (size_t f = 0; f < nf; f++) {
        double rr = 0, re = 0, dd = 0;
        for (size_t i = f * fl; i < (f + 1) * fl; i++) {
            rr += (double)ref[i] * ref[i];
            re += (double)ref[i] * est[i];
        }
        if (rr < emax * 1e-4 || rr <= 0)
            continue;
        double a = re / rr;
        for (size_t i = f * fl; i < (f + 1) * fl; i++) {
            double d = est[i] - a * ref[i];
            dd += d * d;
        }
        double v = dd > 0 ? 10 * log10(a * a * rr / dd + 1e-30) : 35;
        sum += v < -10 ? -10 : v > 35 ? 35 : v;
        used++;
    }
    return used ? sum / (double)used : NAN;
}

/* Pause frames: 20 ms frames where the reference is at least 20 dB below
 * the noise (mix - ref), i.e. what is heard there is the noise, and so are
 * the frames within 100 ms either side: the gain around a word's ends
 * follows the word, which is not musical noise.
 * AVE_BENCH_PAUSE_MARGIN_MS changes the 100 ms (0: every such frame). */
static inline unsigned char *dm_pause_frames(const float *ref, const float *mix, size_t n, int rate,
                                      size_t *nframes)
{
    size_t fl = (size_t)rate / 50, nf = n / fl;
    const char *e = getenv("AVE_BENCH_PAUSE_MARGIN_MS");
    long margin = (e ? atol(e) : 100) / 20;
    unsigned char *q = calloc(nf ? nf : 1, 1), *p = calloc(nf ? nf : 1, 1);
    for (size_t f = 0; f < nf; f++) {
        double s = 0, v = 0;
        for (size_t i = f * fl; i < (f + 1) * fl; i++) {
            double r = ref[i], d = mix[i] - r;
            s += r * r;
            v += d * d;
        }
        q[f] = v > 0 && s < v * 0.01;
    }
    for (size_t f = 0; f < nf; f++) {
        p[f] = 1;
        for (long g = (long)f - margin; g <= (long)f + margin; g++)
            if (g >= 0 && (size_t)g < nf && !q[g])
                p[f] = 0;
    }
    free(q);
    *nframes = nf;
    return p;
}

/* How much quieter y is than the mixture in the pauses, dB. */
static inline double dm_pause_reduction(const float *mix, const float *y, int rate,
                                 const unsigned char *pz, size_t nf)
{
    size_t fl = (size_t)rate / 50;
    double em = 0, ey = 0;
    for (size_t f = 0; f < nf; f++)
        for (size_t i = f * fl; pz[f] && i < (f + 1) * fl; i++) {
            em += (double)mix[i] * mix[i];
            ey += (double)y[i] * y[i];
        }
    return em > 0 && ey > 0 ? 10 * log10(em / ey) : NAN;
}

/* Musical noise, measured on the STFT of the pauses (32 ms Hann frames at
 * half overlap, those entirely inside pause frames; 100 Hz and up). Each
 * bin's power is divided by its mean over those frames, which removes the
 * noise's spectral shape and the overall gain. Then:
 *   *kurt:  E[P^2] / E[P]^2 of the normalised power (the kurtosis of the
 *           complex amplitude; 2 for Gaussian noise). Isolated residual
 *           peaks ("birdies") make the distribution heavy-tailed: the ratio
 *           of the output's to the input noise's is the musical-noise
 *           measure of Uemura et al. (2009, kurtosis ratio).
 *   *peaks: isolated time-frequency peaks per 1000 points: the largest of
 *           their 3x3 neighbourhood and 10 dB above the bin's mean (white
 *           Gaussian noise: e^-10, 0.05 per 1000). A Hann window leaks a
 *           tone into the next bins and frames, so "isolated" cannot ask
 *           for a clear drop in the immediate neighbours. */
static inline void dm_musical_noise(const float *x, size_t n, int rate, const unsigned char *pz,
                             size_t npz, double *kurt, double *peaks)
{
    size_t fl = (size_t)rate / 50, m = 256;
    while ((double)m * 1.4142 < rate * 0.032)
        m *= 2;
    size_t hop = m / 2, bins = m / 2 + 1, k0 = (size_t)(100.0 * m / rate) + 1;
    size_t nfr = n >= m ? (n - m) / hop + 1 : 0, used = 0;
    float *t = fftwf_malloc(m * sizeof(float));
    fftwf_complex *sp = fftwf_malloc(bins * sizeof(fftwf_complex));
    fftwf_plan pl = fftwf_plan_dft_r2c_1d((int)m, t, sp, FFTW_ESTIMATE);
    float *P = malloc((nfr ? nfr : 1) * bins * sizeof(float));
    size_t *idx = malloc((nfr ? nfr : 1) * sizeof(size_t)); /* STFT frame of each kept row */
    double *mean = calloc(bins, sizeof(double)), s1 = 0, s2 = 0, npk = 0, npts = 0;

    for (size_t h = 0; h < nfr; h++) {
        size_t a = h * hop / fl, b = (h * hop + m - 1) / fl, ok = b < npz;
        for (size_t f = a; ok && f <= b; f++)
            ok = pz[f];
        if (!ok)
            continue;
        for (size_t i = 0; i < m; i++)
            t[i] = x[h * hop + i] * (float)(0.5 - 0.5 * cos(2 * M_PI * (double)i / (double)m));
        fftwf_execute(pl);
        for (size_t k = 0; k < bins; k++) {
            P[used * bins + k] = sp[k][0] * sp[k][0] + sp[k][1] * sp[k][1];
            mean[k] += P[used * bins + k];
        }
        idx[used++] = h;
    }
    *kurt = *peaks = NAN;
    if (used >= 8) {
        for (size_t k = k0; k < bins; k++)
            mean[k] = mean[k] > 0 ? (double)used / mean[k] : 0;
        for (size_t r = 0; r < used; r++)
            for (size_t k = k0; k < bins; k++) {
                double v = P[r * bins + k] * mean[k];
                s1 += v;
                s2 += v * v;
            }
        *kurt = s1 > 0 ? s2 * (double)(used * (bins - k0)) / (s1 * s1) : NAN;
        /* peaks: only between two kept rows that are neighbours in time */
        for (size_t r = 1; r + 1 < used; r++) {
            if (idx[r - 1] + 1 != idx[r] || idx[r] + 1 != idx[r + 1])
                continue;
            for (size_t k = k0 + 1; k + 1 < bins; k++) {
                double v = P[r * bins + k] * mean[k], nb = 0;
                for (int dr = -1; dr <= 1; dr++)
                    for (int dk = -1; dk <= 1; dk++)
                        if (dr || dk) {
                            double u = P[(r + dr) * bins + k + dk] * mean[k + dk];
                            nb = u > nb ? u : nb;
                        }
                npk += v > 10 && v >= nb;
                npts++;
            }
        }
        *peaks = npts > 0 ? 1000 * npk / npts : NAN;
    }
    fftwf_destroy_plan(pl);
    fftwf_free(t);
    fftwf_free(sp);
    free(P);
    free(idx);
    free(mean);
}

#endif
