/* Benchmark of the speech denoiser against speexdsp's preprocessor and
 * ffmpeg's afftdn (run by bench/bench_enhance.sh; not a test).
 *
 * Subcommands:
 *   mix CLEAN NOISE SNR_DB OFFSET_S OUT_MIX OUT_REF
 *       scales NOISE so the mixture has exactly SNR_DB ("inf": no noise),
 *       writes the mixture and the (identically scaled) clean reference.
 *   eval NOISE SNR REF MIX AFFTDN
 *       runs ours and speexdsp on MIX, reads afftdn's output, aligns each
 *       to the reference, prints one TSV row of measurements.
 *   report ROWS.tsv      averages rows into the table and the summary line.
 *   speed WAV            real-time factor of our denoiser on one core.
 *   oracle NOISE SNR REF MIX
 *       ours with the true noise PSD (MIX - REF) in place of the tracked
 *       one, averaged over spans from one frame to the whole file: how
 *       far knowing the noise better could take the gain rule. One TSV
 *       row: noise snr in_sisdr tracked span1 span2 ... (SI-SDR, dB).
 *   compare REF EST     SI-SDR of EST against REF, and the lag between them.
 *   real NAME SNR REF MIX AFFTDN
 *       the real-noise measurements (bench/bench_denoise_real.sh): per
 *       system SI-SDR, segmental SI-SDR, noise reduction in the pauses and
 *       two musical-noise measures; one TSV row.
 * Audio: mono WAV, 16-bit PCM or 32-bit float (first channel if more).
 * Assumes all files of one mixture share the sample rate. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fftw3.h>
#include <speex/speex_preprocess.h>

#include "enhance/denoise.h"
#include "enhance/denoise_internal.h"
#include "../tests/unit/denoise_metrics.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct {
    float *x;
    size_t n;
    int rate;
} audio;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "bench_enhance: %s: %s\n", path, what);
    exit(1);
}

/* WAV in (tests/unit/denoise_metrics.h), dying on errors. */
static audio wav_read(const char *path)
{
    audio a = {0};
    const char *err;
    if (!(a.x = dm_wav_read(path, &a.n, &a.rate, &err)))
        die(err, path);
    return a;
}

static void put32(FILE *f, uint32_t v) { unsigned char b[4] = {v, v >> 8, v >> 16, v >> 24}; fwrite(b, 1, 4, f); }
static void put16(FILE *f, uint16_t v) { unsigned char b[2] = {v & 255, v >> 8}; fwrite(b, 1, 2, f); }

/* 32-bit float mono WAV. */
static void wav_write(const char *path, const float *x, size_t n, int rate)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot create", path);
    fwrite("RIFF", 1, 4, f);
    put32(f, (uint32_t)(36 + n * 4));
    fwrite("WAVEfmt ", 1, 8, f);
    put32(f, 16);
    put16(f, 3);
    put16(f, 1);
    put32(f, (uint32_t)rate);
    put32(f, (uint32_t)rate * 4);
    put16(f, 4);
    put16(f, 32);
    fwrite("data", 1, 4, f);
    put32(f, (uint32_t)(n * 4));
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        put32(f, u);
    }
    if (fclose(f))
        die("write failed", path);
}

/* ---- measurements ---- */

/* Segmental SNR, 20 ms frames, each clamped to [-10, 35] dB; frames where
 * the reference is more than 40 dB below its loudest frame are skipped. */
static double seg_snr(const float *ref, const float *est, size_t n, int rate)
{
    size_t fl = (size_t)rate / 50, nf = n / fl, used = 0;
    double emax = dm_loudest_frame(ref, nf, fl), sum = 0;
    for (size_t f = 0; f < nf; f++) {
        double s = 0, d = 0;
        for (size_t i = f * fl; i < (f + 1) * fl; i++) {
            double r = ref[i], e = r - est[i];
            s += r * r;
            d += e * e;
        }
        if (s < emax * 1e-4)
            continue;
        double v = d > 0 ? 10 * log10(s / d) : 35;
        sum += v < -10 ? -10 : v > 35 ? 35 : v;
        used++;
    }
    return used ? sum / (double)used : 0;
}

/* Lag (in [-maxlag, maxlag]) at which y best matches x delayed: y[i+lag] ~ x[i]. */
static long best_lag(const float *x, const float *y, size_t n, long maxlag)
{
    size_t m = 1;
    while (m < 2 * n)
        m <<= 1;
    float *a = fftwf_malloc(m * sizeof(float)), *b = fftwf_malloc(m * sizeof(float));
    fftwf_complex *fa = fftwf_malloc((m / 2 + 1) * sizeof(fftwf_complex));
    fftwf_complex *fb = fftwf_malloc((m / 2 + 1) * sizeof(fftwf_complex));
    fftwf_plan pa = fftwf_plan_dft_r2c_1d((int)m, a, fa, FFTW_ESTIMATE);
    fftwf_plan pb = fftwf_plan_dft_r2c_1d((int)m, b, fb, FFTW_ESTIMATE);
    fftwf_plan pi = fftwf_plan_dft_c2r_1d((int)m, fa, a, FFTW_ESTIMATE);
    memset(a, 0, m * sizeof(float));
    memset(b, 0, m * sizeof(float));
    memcpy(a, x, n * sizeof(float));
    memcpy(b, y, n * sizeof(float));
    fftwf_execute(pa);
    fftwf_execute(pb);
    for (size_t k = 0; k <= m / 2; k++) {  /* conj(X) * Y */
        float re = fa[k][0] * fb[k][0] + fa[k][1] * fb[k][1];
        float im = fa[k][0] * fb[k][1] - fa[k][1] * fb[k][0];
        fa[k][0] = re;
        fa[k][1] = im;
    }
    fftwf_execute(pi);
    long best = 0;
    float bv = -INFINITY;
    for (long l = -maxlag; l <= maxlag; l++) {
        float v = a[(size_t)((l + (long)m) % (long)m)];
        if (v > bv) {
            bv = v;
            best = l;
        }
    }
    fftwf_destroy_plan(pa);
    fftwf_destroy_plan(pb);
    fftwf_destroy_plan(pi);
    fftwf_free(a);
    fftwf_free(b);
    fftwf_free(fa);
    fftwf_free(fb);
    return best;
}

/* Aligned copy: out[i] = y[i + lag] (zero outside). */
static float *shift(const float *y, size_t ny, long lag, size_t n)
{
    float *o = calloc(n, sizeof(float));
    for (size_t i = 0; i < n; i++) {
        long j = (long)i + lag;
        if (j >= 0 && (size_t)j < ny)
            o[i] = y[j];
    }
    return o;
}

static float *run_ours_with(const audio *mix, double strength, const float *oracle,
                           size_t oracle_frames, size_t *latency)
{
    ave_denoiser *d;
    if (ave_denoiser_new(&d, mix->rate, strength) < 0)
        die("denoiser init failed", "ours");
    denoise_set_noise_oracle(d, oracle, oracle_frames);
    size_t lat = ave_denoiser_latency(d);
    float *out = malloc((mix->n + lat) * sizeof(float));
    if (ave_denoiser_process(d, mix->x, out, mix->n) < 0 || ave_denoiser_flush(d, out + mix->n) < 0)
        die("denoiser failed", "ours");
    ave_denoiser_free(d);
    *latency = lat;
    return out;
}

static float *run_ours(const audio *mix, double strength, size_t *latency)
{
    return run_ours_with(mix, strength, NULL, 0, latency);
}

/* speexdsp on 20 ms int16 frames; returns the output stream (padded length). */
static float *run_speex(const audio *mix, size_t *nout)
{
    int fs = mix->rate / 50;
    size_t nfr = (mix->n + (size_t)fs - 1) / (size_t)fs + 4;
    SpeexPreprocessState *st = speex_preprocess_state_init(fs, mix->rate);
    int on = 1, sup = -25;
    speex_preprocess_ctl(st, SPEEX_PREPROCESS_SET_DENOISE, &on);
    speex_preprocess_ctl(st, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, &sup);
    spx_int16_t *buf = malloc((size_t)fs * sizeof(spx_int16_t));
    float *out = calloc(nfr * (size_t)fs, sizeof(float));
    for (size_t f = 0; f < nfr; f++) {
        for (int i = 0; i < fs; i++) {
            size_t j = f * (size_t)fs + (size_t)i;
            float v = j < mix->n ? mix->x[j] * 32768.0f : 0.0f;
            v = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
            buf[i] = (spx_int16_t)lrintf(v);
        }
        speex_preprocess_run(st, buf);
        for (int i = 0; i < fs; i++)
            out[f * (size_t)fs + (size_t)i] = buf[i] / 32768.0f;
    }
    speex_preprocess_state_destroy(st);
    free(buf);
    *nout = nfr * (size_t)fs;
    return out;
}

static void measure(const audio *ref, const float *y, double *sisdr, double *seg)
{
    *sisdr = dm_si_sdr(ref->x, y, ref->n);
    *seg = seg_snr(ref->x, y, ref->n, ref->rate);
}

static int cmd_mix(char **argv)
{
    audio c = wav_read(argv[0]), nz = wav_read(argv[1]);
    int clean = !strcmp(argv[2], "inf");
    double snr = clean ? 0 : atof(argv[2]), off_s = atof(argv[3]);
    float *mix = malloc(c.n * sizeof(float)), *ref = malloc(c.n * sizeof(float));
    double es = 0, en = 0, peak = 0;
    size_t off = (size_t)(off_s * nz.rate);

    if (nz.rate != c.rate)
        die("noise and speech rates differ", argv[1]);
    for (size_t i = 0; i < c.n; i++) {
        double v = nz.x[(off + i) % nz.n];
        es += (double)c.x[i] * c.x[i];
        en += v * v;
    }
    double g = clean || en <= 0 ? 0 : sqrt(es / en / pow(10, snr / 10));
    for (size_t i = 0; i < c.n; i++) {
        mix[i] = (float)(c.x[i] + g * nz.x[(off + i) % nz.n]);
        if (fabs(mix[i]) > peak)
            peak = fabs(mix[i]);
    }
    double s = peak > 0.9 ? 0.9 / peak : 1.0;  /* keep int16 paths unclipped */
    for (size_t i = 0; i < c.n; i++) {
        mix[i] = (float)(mix[i] * s);
        ref[i] = (float)(c.x[i] * s);
    }
    wav_write(argv[4], mix, c.n, c.rate);
    wav_write(argv[5], ref, c.n, c.rate);
    return 0;
}

static int cmd_eval(char **argv)
{
    const char *noise = argv[0], *snr = argv[1];
    audio ref = wav_read(argv[2]), mix = wav_read(argv[3]), aff = wav_read(argv[4]);
    size_t lat, nsp;
    double in_sdr, in_seg, o_sdr, o_seg, s_sdr, s_seg, a_sdr, a_seg;

    if (mix.n != ref.n)
        die("mixture and reference lengths differ", argv[3]);
    measure(&ref, mix.x, &in_sdr, &in_seg);

    /* AVE_BENCH_STRENGTH: sweep the strength; the default is the product's */
    const char *st = getenv("AVE_BENCH_STRENGTH");
    float *ours = run_ours(&mix, st ? atof(st) : 0.7, &lat);
    long lag = best_lag(mix.x, ours, mix.n, (long)lat * 2);
    if (strcmp(noise, "clean") && lag != (long)lat)  /* latency must be what is declared */
        fprintf(stderr, "bench_enhance: warning: ours aligns at %ld, declared %zu (%s %s)\n", lag, lat, noise, snr);
    float *o = shift(ours, mix.n + lat, (long)lat, mix.n);
    measure(&ref, o, &o_sdr, &o_seg);

    float *sp = run_speex(&mix, &nsp);
    long slag = best_lag(mix.x, sp, mix.n, mix.rate / 10);
    float *s = shift(sp, nsp, slag, mix.n);
    measure(&ref, s, &s_sdr, &s_seg);

    if (aff.rate != mix.rate)
        die("afftdn output has another rate", argv[4]);
    long alag = best_lag(mix.x, aff.x, mix.n < aff.n ? mix.n : aff.n, mix.rate / 10);
    float *a = shift(aff.x, aff.n, alag, mix.n);
    measure(&ref, a, &a_sdr, &a_seg);

    /* noise snr in_sisdr in_seg ours_sisdr ours_seg speex... afftdn... lags */
    printf("%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%ld\t%ld\t%ld\n", noise, snr,
           in_sdr, in_seg, o_sdr, o_seg, s_sdr, s_seg, a_sdr, a_seg, lag, slag, alag);
    return 0;
}

/* Periodograms of x framed as the denoiser frames its input (see
 * denoise_set_noise_oracle); frames x (n/2 + 1), caller frees. */
static float *periodograms(const float *x, size_t nx, size_t n, size_t frames)
{
    size_t hop = n / 4, bins = n / 2 + 1;
    float *t = fftwf_malloc(n * sizeof(float)), *win = malloc(n * sizeof(float));
    fftwf_complex *f = fftwf_malloc(bins * sizeof(fftwf_complex));
    fftwf_plan p = fftwf_plan_dft_r2c_1d((int)n, t, f, FFTW_ESTIMATE);
    float *psd = malloc(frames * bins * sizeof(float));

    for (size_t i = 0; i < n; i++)
        win[i] = (float)sqrt(0.5 - 0.5 * cos(2.0 * M_PI * (double)i / (double)n));
    for (size_t h = 0; h < frames; h++) {
        long start = (long)((h + 1) * hop) - (long)n;
        for (size_t i = 0; i < n; i++) {
            long j = start + (long)i;
            t[i] = j >= 0 && (size_t)j < nx ? x[j] * win[i] : 0.0f;
        }
        fftwf_execute(p);
        for (size_t k = 0; k < bins; k++)
            psd[h * bins + k] = f[k][0] * f[k][0] + f[k][1] * f[k][1];
    }
    fftwf_destroy_plan(p);
    fftwf_free(t);
    fftwf_free(f);
    free(win);
    return psd;
}

/* Centred moving average over span frames (shorter at the ends), floored
 * so the gain rule's ratios stay finite where the noise is digital zero. */
static void smooth_frames(const float *psd, float *out, size_t frames, size_t bins, size_t span)
{
    double top = 0;
    for (size_t i = 0; i < frames * bins; i++)
        top = psd[i] > top ? psd[i] : top;
    for (size_t k = 0; k < bins; k++) {
        double sum = 0;
        size_t lo = 0, hi = 0;  /* window [lo, hi) */
        for (size_t h = 0; h < frames; h++) {
            size_t want_lo = h >= span / 2 ? h - span / 2 : 0;
            size_t want_hi = h + span - span / 2 < frames ? h + span - span / 2 : frames;
            while (hi < want_hi)
                sum += psd[hi++ * bins + k];
            while (lo < want_lo)
                sum -= psd[lo++ * bins + k];
            double m = sum / (double)(hi - lo);
            out[h * bins + k] = (float)(m > top * 1e-12 ? m : top * 1e-12 + 1e-30);
        }
    }
}

/* SI-SDR of ours (strength 0.7) on mix, with the given oracle PSD or
 * (NULL) the tracked one; *lat gets the latency. */
static double ours_sisdr(const audio *ref, const audio *mix, const float *oracle, size_t frames,
                         size_t *lat)
{
    double sdr, seg;
    float *out = run_ours_with(mix, 0.7, oracle, frames, lat);
    float *o = shift(out, mix->n + *lat, (long)*lat, mix->n);

    measure(ref, o, &sdr, &seg);
    free(o);
    free(out);
    return sdr;
}

static int cmd_oracle(char **argv)
{
    const char *noise = argv[0], *snr = argv[1];
    audio ref = wav_read(argv[2]), mix = wav_read(argv[3]);
    /* spans in seconds; 0 = one frame, -1 = the whole file */
    const double spans[] = {0, 0.075, 0.25, 0.5, 1.0, 2.0, -1};
    const size_t nspans = sizeof(spans) / sizeof(spans[0]);
    size_t lat, n, hop, bins, frames;
    double in_sdr, in_seg;

    if (mix.n != ref.n)
        die("mixture and reference lengths differ", argv[3]);
    measure(&ref, mix.x, &in_sdr, &in_seg);
    printf("%s\t%s\t%.3f\t%.3f", noise, snr, in_sdr, ours_sisdr(&ref, &mix, NULL, 0, &lat));

    n = lat;
    hop = n / 4;
    bins = n / 2 + 1;
    frames = (mix.n + n) / hop + 1;
    float *nz = malloc(mix.n * sizeof(float));
    for (size_t i = 0; i < mix.n; i++)
        nz[i] = mix.x[i] - ref.x[i];
    float *raw = periodograms(nz, mix.n, n, frames);
    float *psd = malloc(frames * bins * sizeof(float));
    for (size_t s = 0; s < nspans; s++) {
        size_t span = spans[s] < 0 ? 2 * frames : (size_t)(spans[s] * mix.rate / (double)hop + 0.5);
        smooth_frames(raw, psd, frames, bins, span ? span : 1);
        printf("\t%.3f", ours_sisdr(&ref, &mix, psd, frames, &lat));
    }
    printf("\n");
    free(psd);
    free(raw);
    free(nz);
    free(ref.x);
    free(mix.x);
    return 0;
}

#define MAXC 64
typedef struct {
    char noise[32], snr[16];
    int n;
    double v[10];
} cell;


/* Ours as the enhance chain runs it on a file, aligned with the input
 * (mix->n samples); caller frees. */
static float *run_ours_offline(const audio *mix, double strength, size_t *latency)
{
    float *out = run_ours(mix, strength, latency);
    float *o = shift(out, mix->n + *latency, (long)*latency, mix->n);
    free(out);
    return o;
}

typedef struct {
    double sdr, seg, pause_db, kurt, peaks;
} real_score;

static real_score score_real(const audio *ref, const audio *mix, const float *y,
                             const unsigned char *pz, size_t npz)
{
    real_score s;
    s.sdr = dm_si_sdr(ref->x, y, ref->n);
    s.seg = dm_seg_si_sdr(ref->x, y, ref->n, ref->rate);
    s.pause_db = dm_pause_reduction(mix->x, y, mix->rate, pz, npz);
    dm_musical_noise(y, ref->n, ref->rate, pz, npz, &s.kurt, &s.peaks);
    return s;
}

static void print_score(const real_score *s)
{
    printf("\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f", s->sdr, s->seg, s->pause_db, s->kurt, s->peaks);
}

/* compare REF EST: SI-SDR of EST against REF and the lag (samples, EST
 * late if positive) at which they match best: how much of the waveform a
 * chain kept. */
static int cmd_compare(char **argv)
{
    audio ref = wav_read(argv[0]), est = wav_read(argv[1]);
    size_t n = ref.n < est.n ? ref.n : est.n;
    long lag = best_lag(ref.x, est.x, n, ref.rate / 10);
    printf("%.2f\t%ld\n", dm_si_sdr(ref.x, est.x, n), lag);
    return 0;
}

/* real NAME SNR REF MIX AFFTDN: one row, the noisy input then ours, speexdsp
 * and afftdn, each: SI-SDR, segmental SI-SDR, pause reduction, kurtosis,
 * isolated peaks (see above). */
static int cmd_real(char **argv)
{
    audio ref = wav_read(argv[2]), mix = wav_read(argv[3]), aff = wav_read(argv[4]);
    size_t lat, nsp, npz;
    real_score in, o, s, a;

    if (mix.n != ref.n || mix.rate != ref.rate || aff.rate != mix.rate)
        die("mixture, reference and afftdn output differ in length or rate", argv[3]);
    unsigned char *pz = dm_pause_frames(ref.x, mix.x, ref.n, ref.rate, &npz);
    in = score_real(&ref, &mix, mix.x, pz, npz);

    float *ours = run_ours_offline(&mix, 0.7, &lat);
    o = score_real(&ref, &mix, ours, pz, npz);

    float *sp = run_speex(&mix, &nsp);
    long slag = best_lag(mix.x, sp, mix.n, mix.rate / 10);
    float *sa = shift(sp, nsp, slag, mix.n);
    s = score_real(&ref, &mix, sa, pz, npz);

    long alag = best_lag(mix.x, aff.x, mix.n < aff.n ? mix.n : aff.n, mix.rate / 10);
    float *aa = shift(aff.x, aff.n, alag, mix.n);
    a = score_real(&ref, &mix, aa, pz, npz);

    printf("%s\t%s", argv[0], argv[1]);
    print_score(&in);
    print_score(&o);
    print_score(&s);
    print_score(&a);
    printf("\n");
    free(pz);
    free(ours);
    free(sp);
    free(sa);
    free(aa);
    return 0;
}
static int cmd_report(char **argv)
{
    FILE *f = fopen(argv[0], "r");
    cell c[MAXC];
    int nc = 0;
    char line[512];

    if (!f)
        die("cannot open", argv[0]);
    while (fgets(line, sizeof(line), f)) {
        char nz[32], sn[16];
        double v[8];
        if (sscanf(line, "%31s %15s %lf %lf %lf %lf %lf %lf %lf %lf", nz, sn, &v[0], &v[1], &v[2],
                   &v[3], &v[4], &v[5], &v[6], &v[7]) != 10)
            continue;
        int i;
        for (i = 0; i < nc; i++)
            if (!strcmp(c[i].noise, nz) && !strcmp(c[i].snr, sn))
                break;
        if (i == nc) {
            if (nc == MAXC)
                continue;
            memset(&c[nc], 0, sizeof(c[nc]));
            snprintf(c[nc].noise, sizeof(c[nc].noise), "%s", nz);
            snprintf(c[nc].snr, sizeof(c[nc].snr), "%s", sn);
            nc++;
        }
        for (int k = 0; k < 8; k++)
            c[i].v[k] += v[k];
        c[i].n++;
    }
    fclose(f);

    printf("%-8s %5s %3s | %8s | %8s %8s | %8s %8s | %8s %8s\n", "noise", "SNR", "n", "in SISDR",
           "ours", "ours", "speex", "speex", "afftdn", "afftdn");
    printf("%-8s %5s %3s | %8s | %8s %8s | %8s %8s | %8s %8s\n", "", "dB", "", "dB", "SI-SDRi",
           "segSNRi", "SI-SDRi", "segSNRi", "SI-SDRi", "segSNRi");
    int all_better = 1, stat_n = 0;
    double stat_sum = 0, babble5 = NAN, swell5 = NAN, clean_out = NAN, clean_seg = NAN;
    for (int i = 0; i < nc; i++) {
        double m[8];
        for (int k = 0; k < 8; k++)
            m[k] = c[i].v[k] / c[i].n;
        int clean = !strcmp(c[i].noise, "clean");
        if (clean) {
            /* infinite input SI-SDR: show the output's absolute SI-SDR */
            printf("%-8s %5s %3d | %8s | %7.2f* %8.2f | %7.2f* %8.2f | %7.2f* %8.2f\n", c[i].noise,
                   "inf", c[i].n, "inf", m[2], m[3] - m[1], m[4], m[5] - m[1], m[6], m[7] - m[1]);
            clean_out = m[2];
            clean_seg = m[3] - m[1];
            continue;
        }
        printf("%-8s %5s %3d | %8.2f | %8.2f %8.2f | %8.2f %8.2f | %8.2f %8.2f\n", c[i].noise,
               c[i].snr, c[i].n, m[0], m[2] - m[0], m[3] - m[1], m[4] - m[0], m[5] - m[1],
               m[6] - m[0], m[7] - m[1]);
        if (m[2] <= m[4])
            all_better = 0;
        if (!strcmp(c[i].snr, "5")) {
            if (!strcmp(c[i].noise, "babble"))
                babble5 = m[2] - m[0];
            else if (!strcmp(c[i].noise, "swell"))
                swell5 = m[2] - m[0];
            else {
                stat_sum += m[2] - m[0];
                stat_n++;
            }
        }
    }
    printf("* clean row: absolute output SI-SDR against the clean input (input SI-SDR is infinite)\n");
    double stat5 = stat_n ? stat_sum / stat_n : NAN;
    /* Loss of the clean input, read as the drop of signal-to-(signal+error)
     * energy: 10 log10(1 + 10^(-SI-SDR/10)). */
    double clean_loss = 10 * log10(1 + pow(10, -clean_out / 10));
    printf("SUMMARY: stationary@5dB SI-SDRi %.2f dB (>=10: %s); non-stationary@5dB: babble %.2f dB "
           "(>=5: %s), swell %.2f dB (>=5: %s); "
           "ours > speexdsp everywhere: %s; clean: output SI-SDR %.2f dB, loss %.2f dB (<=0.5: %s), "
           "segSNR change %.2f dB\n",
           stat5, stat5 >= 10 ? "MET" : "NOT MET", babble5, babble5 >= 5 ? "MET" : "NOT MET",
           swell5, swell5 >= 5 ? "MET" : "NOT MET",
           all_better ? "MET" : "NOT MET", clean_out, clean_loss, clean_loss <= 0.5 ? "MET" : "NOT MET",
           clean_seg);
    return 0;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmd_speed(char **argv)
{
    audio a = wav_read(argv[0]);
    double audio_s = 0, t0 = cpu_s(), t;
    size_t lat;
    do {
        free(run_ours(&a, 0.7, &lat));
        audio_s += (double)a.n / a.rate;
        t = cpu_s() - t0;
    } while (t < 2.0);
    printf("SPEED: ours %.0fx real time (%d Hz mono, one core, %.1f s of audio in %.2f s CPU)\n",
           audio_s / t, a.rate, audio_s, t);
    t0 = cpu_s();
    audio_s = 0;
    do {
        size_t n;
        free(run_speex(&a, &n));
        audio_s += (double)a.n / a.rate;
        t = cpu_s() - t0;
    } while (t < 1.0);
    printf("SPEED: speexdsp %.0fx real time\n", audio_s / t);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 8 && !strcmp(argv[1], "mix"))
        return cmd_mix(argv + 2);
    if (argc >= 7 && !strcmp(argv[1], "eval"))
        return cmd_eval(argv + 2);
    if (argc >= 3 && !strcmp(argv[1], "report"))
        return cmd_report(argv + 2);
    if (argc >= 3 && !strcmp(argv[1], "speed"))
        return cmd_speed(argv + 2);
    if (argc >= 6 && !strcmp(argv[1], "oracle"))
        return cmd_oracle(argv + 2);
    if (argc >= 4 && !strcmp(argv[1], "compare"))
        return cmd_compare(argv + 2);
    if (argc >= 7 && !strcmp(argv[1], "real"))
        return cmd_real(argv + 2);
    fprintf(stderr, "usage: bench_enhance mix CLEAN NOISE SNR|inf OFFSET_S OUT_MIX OUT_REF\n"
                    "       bench_enhance eval NOISE SNR REF MIX AFFTDN_OUT\n"
                    "       bench_enhance report ROWS.tsv\n"
                    "       bench_enhance speed WAV\n"
                    "       bench_enhance oracle NOISE SNR REF MIX\n"
                    "       bench_enhance real NAME SNR REF MIX AFFTDN_OUT\n"
                    "       bench_enhance compare REF EST\n");
    return 2;
}
