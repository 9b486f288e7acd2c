/* Unit tests of the speech denoiser on synthetic signals: reconstruction,
 * latency, chunking independence, SI-SDR gains on a voiced signal in white
 * noise, harmlessness on clean input, noise-only attenuation, tracking of
 * a noise level step and a swinging noise level, digital silence (also
 * between noise), 8 kHz and 96 kHz; the two-step
 * gain at a speech offset and the noise tracker's bias where speech
 * occupies bins most of the time; the cepstral smoother's speech PSD on a
 * stationary harmonic spectrum in noise. Thresholds are
 * the measured values minus a safety margin (measured values in comments). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "enhance/denoise.h"
#include "enhance/denoise_cepstrum.h"
#include "enhance/denoise_gain.h"
#include "enhance/denoise_internal.h"
#include "enhance/noise_estimate.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static unsigned long long rng_state;

static double uniform(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(rng_state >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(2.0 * M_PI * uniform());
}

static void white(float *x, size_t n, double rms, unsigned long long seed)
{
    rng_state = seed;
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(rms * gauss());
}

/* A voiced "talker": 120 Hz harmonic complex with 5 Hz vibrato, a 4 Hz
 * syllable envelope, 0.4 s pauses every 1.6 s, starting with a pause (as
 * recordings do: the noise estimate starts from the first 0.1 s);
 * harmonics up to rate/2 and 4 kHz with a 1/h roll-off. Peak about 0.5. */
static void voiced(float *x, size_t n, int rate)
{
    double phase = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / rate, f0 = 120.0 * (1.0 + 0.03 * sin(2.0 * M_PI * 5.0 * t));
        double cyc = fmod(t + 1.2, 1.6), env, v = 0.0;
        phase += 2.0 * M_PI * f0 / rate;
        env = cyc < 1.2 ? pow(sin(M_PI * cyc / 1.2 * 4.0), 2.0) * 0.8 + 0.2 : 0.0;
        if (cyc < 1.2 && (cyc < 0.02 || cyc > 1.18))
            env *= (cyc < 0.02 ? cyc : 1.2 - cyc) / 0.02;  /* no clicks */
        for (int h = 1; h * 120.0 * 1.05 < rate / 2.0 && h * 120.0 < 4000.0; h++)
            v += sin(h * phase + h * 0.7) / h;
        x[i] = (float)(0.15 * env * v);
    }
}

static double si_sdr(const float *ref, const float *est, size_t n)
{
    double dot = 0, rr = 0, ee = 0;
    for (size_t i = 0; i < n; i++) {
        dot += (double)ref[i] * est[i];
        rr += (double)ref[i] * ref[i];
    }
    double a = dot / rr;
    for (size_t i = 0; i < n; i++) {
        double e = est[i] - a * ref[i];
        ee += e * e;
    }
    return 10.0 * log10(a * a * rr / ee);
}

static double power(const float *x, size_t n)
{
    double e = 0;
    for (size_t i = 0; i < n; i++)
        e += (double)x[i] * x[i];
    return e / (double)n;
}

/* Denoise n samples in chunks of `chunk`; returns a buffer of n samples
 * aligned with the input (latency removed, flushed). Caller frees. */
static float *denoise(const float *in, size_t n, int rate, double strength, size_t chunk, int unity,
                      size_t *latency)
{
    ave_denoiser *d = NULL;
    float *out = NULL;
    size_t lat;

    CHECK_EQ_INT(ave_denoiser_new(&d, rate, strength), 0);
    if (!d)
        return calloc(n, sizeof(float));
    denoise_set_unity_gain(d, unity);
    lat = ave_denoiser_latency(d);
    out = malloc((n + lat) * sizeof(float));
    for (size_t i = 0; i < n; i += chunk)
        CHECK_EQ_INT(ave_denoiser_process(d, in + i, out + i, i + chunk < n ? chunk : n - i), 0);
    CHECK_EQ_INT(ave_denoiser_flush(d, out + n), 0);
    for (size_t i = 0; i < lat; i++)
        CHECK(out[i] == 0.0f);
    memmove(out, out + lat, n * sizeof(float));
    ave_denoiser_free(d);
    if (latency)
        *latency = lat;
    return out;
}

static void test_args(void)
{
    ave_denoiser *d = (ave_denoiser *)1;
    CHECK(ave_denoiser_new(&d, 4000, 0.5) < 0);
    CHECK(d == NULL);
    CHECK(ave_denoiser_new(&d, 48000, 1.5) < 0);
    CHECK(ave_denoiser_new(&d, 48000, NAN) < 0);
    ave_denoiser_free(NULL);
    CHECK_NEAR(denoise_expint_e1(0.5), 0.5597736, 1e-6);
    CHECK_NEAR(denoise_expint_e1(2.0), 0.04890051, 5e-6);
    CHECK_NEAR(denoise_expint_e1(5.0) / 0.001148296, 1.0, 1e-4);
}

/* Strength 0: exactly the input, delayed; unity gains: within float error.
 * An impulse shows the latency is what is declared. */
static void test_reconstruction(void)
{
    const int rate = 48000;
    const size_t n = rate * 2;
    float *x = malloc(n * sizeof(float)), *y;
    size_t lat;
    double err = 0;

    voiced(x, n, rate);
    y = denoise(x, n, rate, 0.0, 1000, 0, &lat);
    CHECK_EQ_INT(lat, 2048);
    CHECK(memcmp(x, y, n * sizeof(float)) == 0);
    free(y);
    y = denoise(x, n, rate, 0.7, 1000, 1, NULL);
    for (size_t i = 0; i < n; i++)
        err = fmax(err, fabs(x[i] - y[i]));
    CHECK(err < 1e-5);  /* measured 1.2e-7 */
    free(y);

    memset(x, 0, n * sizeof(float));
    x[12345] = 0.5f;
    y = denoise(x, n, rate, 0.7, 512, 1, NULL);
    CHECK_NEAR(y[12345], 0.5, 1e-5);
    CHECK(fabs(y[12344]) < 1e-5 && fabs(y[12346]) < 1e-5);
    free(y);
    free(x);
}

static void test_chunking(void)
{
    const int rate = 48000;
    const size_t n = rate * 3;
    float *x = malloc(n * sizeof(float)), *nz = malloc(n * sizeof(float));
    float *a, *b, *c;

    voiced(x, n, rate);
    white(nz, n, 0.02, 7);
    for (size_t i = 0; i < n; i++)
        x[i] += nz[i];
    a = denoise(x, n, rate, 0.7, 1, 0, NULL);
    b = denoise(x, n, rate, 0.7, 37, 0, NULL);
    c = denoise(x, n, rate, 0.7, 4096, 0, NULL);
    CHECK(memcmp(a, b, n * sizeof(float)) == 0);
    CHECK(memcmp(a, c, n * sizeof(float)) == 0);
    free(a);
    free(b);
    free(c);
    free(x);
    free(nz);
}

/* Voiced signal + white noise at 5 dB SNR: SI-SDR improvement. */
static double noisy_gain(int rate, double seconds, double *in_db, double *out_db, ave_denoise_stats *st)
{
    const size_t n = (size_t)(rate * seconds);
    float *s = malloc(n * sizeof(float)), *m = malloc(n * sizeof(float)), *y;
    ave_denoiser *d = NULL;

    voiced(s, n, rate);
    white(m, n, sqrt(power(s, n) / pow(10.0, 0.5)), 11);
    for (size_t i = 0; i < n; i++)
        m[i] += s[i];
    y = denoise(m, n, rate, 0.7, 4096, 0, NULL);
    *in_db = si_sdr(s, m, n);
    *out_db = si_sdr(s, y, n);
    if (st && ave_denoiser_new(&d, rate, 0.7) == 0) {
        ave_denoiser_process(d, m, y, n);
        ave_denoiser_stats(d, st);
        ave_denoiser_free(d);
    }
    free(s);
    free(m);
    free(y);
    return *out_db - *in_db;
}

static void test_noisy_voiced(void)
{
    double in_db, out_db, gain;
    ave_denoise_stats st;

    gain = noisy_gain(48000, 6.0, &in_db, &out_db, &st);
    fprintf(stderr, "48 kHz voiced + white 5 dB: SI-SDR %.2f -> %.2f dB (+%.2f); est. SNR %.1f -> %.1f dB, floor %.1f dBFS\n",
            in_db, out_db, gain, st.snr_in_db, st.snr_out_db, st.noise_floor_db);
    CHECK_NEAR(in_db, 5.0, 0.2);
    CHECK(gain > 9.0);  /* measured 10.65 (9.2 before the gated noise mean) */
    CHECK(st.frames > 500);  /* 6 s in 512-sample hops: 562 */
    CHECK(st.snr_out_db > st.snr_in_db + 10.0);  /* measured 6.5 -> 21.2 */
    CHECK(st.noise_floor_db < -20.0 && st.noise_floor_db > -40.0);

    gain = noisy_gain(8000, 4.0, &in_db, &out_db, NULL);
    fprintf(stderr, "8 kHz: SI-SDR +%.2f dB\n", gain);
    CHECK(gain > 4.5);  /* measured 6.04 */
    gain = noisy_gain(96000, 3.0, &in_db, &out_db, NULL);
    fprintf(stderr, "96 kHz: SI-SDR +%.2f dB\n", gain);
    CHECK(gain > 10.5);  /* measured 12.42 */
}

static void test_clean(void)
{
    const int rate = 48000;
    const size_t n = rate * 6;
    float *s = malloc(n * sizeof(float)), *y;
    double out_db;

    voiced(s, n, rate);
    y = denoise(s, n, rate, 0.7, 4096, 0, NULL);
    out_db = si_sdr(s, y, n);
    /* 0.5 dB read as signal-to-(signal + error) energy: SI-SDR >= 9.1 dB;
     * we ask much more, i.e. the error stays far below the signal. The
     * cepstral smoother cannot follow this talker's 5 Hz vibrato on the
     * high harmonics (their comb lives in the strongly smoothed
     * quefrencies), which costs here what the bench's clean speech does
     * not show (29.3 dB there, 27.8 without it). */
    fprintf(stderr, "clean voiced: output SI-SDR %.2f dB\n", out_db);
    CHECK(out_db > 20.0);  /* measured 24.24 (90.9 with the decision-directed xi alone) */
    free(y);
    free(s);
}

static void test_noise_only_and_step(void)
{
    const int rate = 48000;
    const size_t n = rate * 10, half = n / 2;
    float *x = malloc(n * sizeof(float)), *y;
    double att1, att2;

    white(x, n, 0.003, 3);
    for (size_t i = half; i < n; i++)
        x[i] *= (float)pow(10.0, 15.0 / 20.0);
    y = denoise(x, n, rate, 0.7, 4096, 0, NULL);
    /* A rise is taken in once the 1.5 s minimum-statistics span has
     * passed it (then within 0.2 s), so measure from 2.5 s after it. */
    att1 = 10.0 * log10(power(x + rate, half - rate) / power(y + rate, half - rate));
    att2 = 10.0 * log10(power(x + half + 5 * rate / 2, half - 5 * rate / 2) /
                        power(y + half + 5 * rate / 2, half - 5 * rate / 2));
    fprintf(stderr, "noise only: %.1f dB attenuation; after a +15 dB step (from 2.5 s on): %.1f dB\n", att1, att2);
    CHECK(att1 > 16.5);  /* measured 18.5 */
    CHECK(att2 > 12.5);  /* measured 14.1: the estimate is 1-2 dB low for a few s after a rise */
    free(y);
    free(x);
}

/* Noise whose level swings (white, 0.5 Hz, 8 dB between trough and
 * peak) under the voiced talker at 5 dB SNR: the level factor
 * (noise_level.c) follows the swing, the PSD tracker alone cannot. */
static void test_swelling_noise(void)
{
    const int rate = 48000;
    const size_t n = rate * 8;
    float *s = malloc(n * sizeof(float)), *m = malloc(n * sizeof(float)), *y;
    double in_db, out_db;

    voiced(s, n, rate);
    white(m, n, 1.0, 5);
    for (size_t i = 0; i < n; i++)
        m[i] *= (float)(0.7 + 0.3 * sin(2.0 * M_PI * 0.5 * (double)i / rate));
    double g = sqrt(power(s, n) / power(m, n) / pow(10.0, 0.5));
    for (size_t i = 0; i < n; i++)
        m[i] = (float)(s[i] + g * m[i]);
    y = denoise(m, n, rate, 0.7, 4096, 0, NULL);
    in_db = si_sdr(s, m, n);
    out_db = si_sdr(s, y, n);
    fprintf(stderr, "voiced + swelling white 5 dB: SI-SDR %.2f -> %.2f dB (+%.2f)\n", in_db, out_db, out_db - in_db);
    CHECK_NEAR(in_db, 5.0, 0.2);
    CHECK(out_db - in_db > 10.0);  /* measured 11.03 (8.10 with the level factor off) */
    free(y);
    free(m);
    free(s);
}

static void test_silence(void)
{
    const int rate = 48000;
    const size_t n = rate;
    float *x = calloc(n, sizeof(float)), *y;
    ave_denoiser *d = NULL;
    ave_denoise_stats st;
    int all_zero = 1;

    y = denoise(x, n, rate, 1.0, 777, 0, NULL);
    for (size_t i = 0; i < n; i++)
        all_zero &= y[i] == 0.0f;
    CHECK(all_zero);
    CHECK_EQ_INT(ave_denoiser_new(&d, rate, 0.7), 0);
    if (d) {
        ave_denoiser_stats(d, &st);  /* no frames yet */
        CHECK_EQ_INT(st.frames, 0);
        CHECK(ave_denoiser_process(d, x, y, n) == 0);
        ave_denoiser_stats(d, &st);
        CHECK(isfinite(st.noise_floor_db) && st.noise_floor_db <= -140.0);
        CHECK(isfinite(st.snr_in_db) && isfinite(st.snr_out_db));
        ave_denoiser_free(d);
    }
    free(y);
    free(x);
}

/* The gain table's upper edge: a posterior SNR v just under 16 once read
 * one entry past the table (ASan found it in an e2e run). Sweep v across
 * the edge on the first frame, where v = gamma - 1. */
static void test_gain_table_edge(void)
{
    const denoise_gain_params p = {0.96f, 1e-3f, 0.05f, 0.0f, 1.0f, 0};
    for (int step = -64; step <= 64; step++) {
        denoise_gain *g = denoise_gain_new(1, &p);
        float power = 17.0f + (float)step * 1e-6f, noise = 1.0f, gain = -1.0f;
        CHECK(g != NULL);
        if (!g)
            return;
        denoise_gain_compute(g, &power, &noise, NULL, &gain);
        CHECK(gain > 0.9f && gain <= 1.0f);
        denoise_gain_free(g);
    }
}

/* Two-step a-priori SNR: at a speech offset (a bin at gamma 100, then at
 * gamma 1) the decision-directed gain lags a frame and stays near 1; the
 * two-step gain drops at once. On a steady strong bin both pass. */
static void test_two_step(void)
{
    denoise_gain_params p = {0.98f, 3.16e-3f, 0.056f, 0.0f, 1.0f, 0};
    float gain_dd = 0, gain_ts = 0, noise = 1.0f;
    for (int ts = 0; ts < 2; ts++) {
        denoise_gain *g;
        float power = 100.0f, gain = -1.0f;
        p.two_step = ts;
        g = denoise_gain_new(1, &p);
        CHECK(g != NULL);
        if (!g)
            return;
        denoise_gain_compute(g, &power, &noise, NULL, &gain);
        CHECK(gain > 0.98f);
        power = 1.0f;
        denoise_gain_compute(g, &power, &noise, NULL, &gain);
        *(ts ? &gain_ts : &gain_dd) = gain;
        denoise_gain_free(g);
    }
    fprintf(stderr, "offset frame: gain %.3f decision-directed, %.3f two-step\n", gain_dd, gain_ts);
    CHECK(gain_dd > 0.95f);  /* measured 1.000 */
    CHECK(gain_ts < 0.75f);  /* measured 0.661 */
}

/* The noise tracker on periodograms of stationary noise (exponential
 * bins, mean 1) with "speech" (30x the noise) in every third bin of a
 * band, present 85% of the time (0.1 s pauses every 0.67 s), as voiced
 * speech is in its harmonic bins: the estimate in and around the band
 * must stay at the noise level, not follow the speech that leaks into
 * the frames judged noise. Reference: the old recursive SPP estimator read
 * +3..6 dB there on the bench. */
static void test_noise_tracker_bias(void)
{
    const size_t bins = 200, frames = 94 * 8;  /* 8 s of 512-sample hops at 48 kHz */
    noise_estimator *ne = noise_estimator_new(bins, 512.0 / 48000.0);
    float *pw = malloc(bins * sizeof(float));
    double band = 0, other = 0;
    CHECK(ne != NULL && pw != NULL);
    if (!ne || !pw)
        goto out;
    rng_state = 5;
    for (size_t t = 0; t < frames; t++) {
        int talking = t % 63 >= 10;
        for (size_t k = 0; k < bins; k++) {
            pw[k] = (float)-log(uniform());
            if (talking && k >= 40 && k < 120 && k % 3 == 0)
                pw[k] += (float)(30.0 * -log(uniform()));
        }
        noise_estimator_update(ne, pw, -1);
    }
    for (size_t k = 0; k < bins; k++) {
        double db = 10.0 * log10(noise_estimator_psd(ne)[k]);
        if (k >= 40 && k < 120)
            band += db / 80.0;
        else
            other += db / 120.0;
    }
    fprintf(stderr, "noise tracker: %.2f dB in the speech band, %.2f dB outside (truth 0)\n", band, other);
    CHECK(band < 2.0 && band > -1.5);  /* measured 0.94 (old estimator 4.70) */
    CHECK(fabs(other) < 1.5);          /* measured -0.73 */
out:
    noise_estimator_free(ne);
    free(pw);
}

/* Temporal cepstrum smoothing on periodograms of a stationary voiced
 * spectrum (200 Hz harmonics, a 1/f envelope, peaks 20 dB over the valleys)
 * plus unit noise: each bin is exponential with mean S + N, as a complex
 * Gaussian sum is. The smoothed speech PSD must converge to the true S
 * where speech dominates (S > 30 N): mean error near the known residual
 * log bias and a frame-to-frame scatter far below that of the
 * maximum-likelihood estimate |Y|^2 - N. */
static void test_cepstrum_smoothing(void)
{
    const size_t bins = 1025, frames = 300;
    denoise_cepstrum *c = denoise_cepstrum_new(bins, 48000, 512.0 / 48000.0);
    float *pw = malloc(bins * sizeof(float)), *noise = malloc(bins * sizeof(float));
    float *sp = malloc(bins * sizeof(float)), *est = malloc(bins * sizeof(float));
    double err = 0, err2 = 0, ml2 = 0;
    size_t cnt = 0;
    CHECK(c != NULL && pw && noise && sp && est);
    if (!c || !pw || !noise || !sp || !est)
        goto out;
    for (size_t k = 0; k < bins; k++) {
        double f = k * 48000.0 / 2048.0, h = fmod(f / 200.0 + 0.5, 1.0) - 0.5;
        noise[k] = 1.0f;
        sp[k] = (float)(300.0 / (1.0 + f / 500.0) * (0.01 + exp(-h * h / (2.0 * 0.08 * 0.08))));
    }
    rng_state = 11;
    for (size_t t = 0; t < frames; t++) {
        for (size_t k = 0; k < bins; k++)
            pw[k] = (float)((sp[k] + noise[k]) * -log(uniform()));
        denoise_cepstrum_update(c, pw, noise, est);
        if (t < frames / 2)
            continue;
        for (size_t k = 1; k < bins; k++) {
            if (sp[k] < 30.0f * noise[k])
                continue;
            double e = 10.0 * log10(est[k] / sp[k]), m = pw[k] - noise[k];
            double em = 10.0 * log10((m > 1e-3 ? m : 1e-3) / sp[k]);
            err += e;
            err2 += e * e;
            ml2 += em * em;
            cnt++;
        }
    }
    CHECK(cnt > 1000);
    if (cnt) {
        double mean = err / (double)cnt, rms = sqrt(err2 / (double)cnt), ml = sqrt(ml2 / (double)cnt);
        fprintf(stderr, "cepstral smoothing: speech PSD error mean %.2f dB, rms %.2f dB (ML estimate rms %.2f dB), %zu bin-frames\n",
                mean, rms, ml, cnt);
        /* exp(mean log) of an exponential is e^-0.577 = -2.5 dB below its
         * mean; the paper's bias term puts half of it back: expect about
         * -1.25 dB. */
        CHECK(mean > -2.5 && mean < 0.0);  /* measured -1.91 */
        CHECK(rms < 3.5);                  /* measured 2.68 */
        CHECK(ml > 2.5 * rms);             /* measured 8.76 (ML, floored at 1e-3) */
    }
out:
    denoise_cepstrum_free(c);
    free(pw);
    free(noise);
    free(sp);
    free(est);
}

/* Noise, then digital silence (a recording padded with zeros), then noise
 * again: the output stays finite, silent where the input is, and the noise
 * after the gap is reduced as before it. */
static void test_silence_gap(void)
{
    const int rate = 48000;
    const size_t n = 6 * (size_t)rate;
    float *x = malloc(n * sizeof(float)), *y;
    int finite = 1, silent = 1;
    double att;

    white(x, n, 0.01, 9);
    for (size_t i = 2 * (size_t)rate; i < 4 * (size_t)rate; i++)
        x[i] = 0.0f;
    y = denoise(x, n, rate, 0.7, 4096, 0, NULL);
    for (size_t i = 0; i < n; i++)
        finite &= isfinite(y[i]);
    /* an output sample depends on input up to one frame (2048) either side */
    for (size_t i = 2 * (size_t)rate + 2048; i < 4 * (size_t)rate - 2048; i++)
        silent &= y[i] == 0.0f;
    att = 10.0 * log10(power(x + 5 * rate, rate) / power(y + 5 * rate, rate));
    fprintf(stderr, "noise / digital silence / noise: finite %d, silent gap %d, %.1f dB after the gap\n",
            finite, silent, att);
    CHECK(finite);
    CHECK(silent);
    /* measured 14.8 (4.1 with the level factor off: the tracker's estimate
     * collapsed in the gap and the minimum-statistics floor takes 1.5 s to
     * raise it again) */
    CHECK(att > 12.0);
    free(y);
    free(x);
}

/* Issue 20: a file that opens with digital silence. The noise estimate
 * then sits at the tracker's floor, the a-priori SNR overflowed to inf, a
 * NaN entered the decision-directed recursion and every later gain was the
 * floor: 0.4 s of zeros before a real clean utterance left -0.8 dB SI-SDR (the
 * enhance chain fed the denoiser such zeros itself for a while, its FIR
 * high-pass filling). */
static void test_leading_silence(void)
{
    const int rate = 16000;
    const size_t pad = 6400, n = rate * 4;
    float *s = calloc(n, sizeof(float)), *y;
    double out_db;

    voiced(s + pad, n - pad, rate);
    y = denoise(s, n, rate, 0.7, 1000, 0, NULL);
    out_db = si_sdr(s, y, n);
    fprintf(stderr, "0.4 s of digital silence, then clean voiced: output SI-SDR %.2f dB\n", out_db);
    CHECK(out_db > 20.0); /* measured 124 (6.3 before the fix) */
    free(y);
    free(s);
}

int main(void)
{
    test_leading_silence();
    test_cepstrum_smoothing();
    test_gain_table_edge();
    test_two_step();
    test_noise_tracker_bias();
    test_args();
    test_reconstruction();
    test_chunking();
    test_noisy_voiced();
    test_clean();
    test_noise_only_and_step();
    test_swelling_noise();
    test_silence();
    test_silence_gap();
    return CHECK_DONE();
}
