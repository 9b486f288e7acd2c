/* Onset envelope of the analysis audio: level and level rise per 4 ms frame.
 *
 * The beats themselves come from the spectral flux (onset_odf.c); this
 * finer, window-free envelope measures the accents that pick the downbeats
 * and the levels that make the energy sections. The rise of log level over
 * the previous frames marks note and drum onsets whatever their loudness;
 * the same on a low-passed copy (~150 Hz, two one-pole stages) marks kick
 * drums and bass notes, which tend to start bars. Levels are floored at
 * -80 dBFS so that digital silence before a note does not make its onset
 * look 40 dB stronger than one over a held chord.
 *
 * A rise in dB counts any new low note, however quiet, and most of all one
 * after a rest. The rise of the power below POWER_HZ itself is ruled by the
 * loudest low sounds, kick drums and bass notes (their fundamentals lie
 * below 100 Hz). Its low-pass is steep (4th-order Butterworth, two of
 * aubio's biquads: C3-G3, 131-196 Hz, at -5 to -17 dB, an octave up -27
 * dB and below) where the two one-pole stages at 150 Hz leave -5 to -9 and
 * -12 dB: with those, on reggae's 152 BPM chain the strongest off-beat
 * position (organ chords, a bass note after a rest) came within 1.4 times
 * of beats 1 and 3 (bass roots, the kick on 3; seed 11), with this one 1.9
 * (metre_level.c). */
#include <aubio/aubio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

#define FLOOR_DB (-80.0)
#define LOW_HZ 150.0
#define RISE_FRAMES 3 /* rise measured against the mean of this many frames */
#define POWER_HZ 120.0

static float to_db(double ms)
{
    double db = ms > 0 ? 10.0 * log10(ms) : FLOOR_DB;
    return (float)(db < FLOOR_DB ? FLOOR_DB : db);
}

/* A low-pass biquad at POWER_HZ with quality q (RBJ's cookbook form). */
static aubio_filter_t *low_pass(int rate, double q)
{
    const double w = 2.0 * 3.14159265358979323846 * POWER_HZ / rate, c = cos(w);
    const double al = sin(w) / (2.0 * q), a0 = 1.0 + al;

    return new_aubio_filter_biquad((1 - c) / 2 / a0, (1 - c) / a0, (1 - c) / 2 / a0, -2 * c / a0,
                                   (1 - al) / a0);
}

/* Per frame of pcm, the rise of the power below POWER_HZ over the mean of
 * the previous RISE_FRAMES frames into out[0..frames). Returns 0 or
 * AVE_ERR_NOMEM. */
static int power_rise(const int16_t *pcm, size_t frames, int rate, float *out)
{
    /* the two sections of a 4th-order Butterworth */
    aubio_filter_t *f1 = low_pass(rate, 0.5412), *f2 = low_pass(rate, 1.3066);
    fvec_t *buf = new_fvec(BEATS_ENV_HOP);
    double hist[RISE_FRAMES] = {0};
    int ret = 0;

    if (!f1 || !f2 || !buf) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t j = 0; j < frames; j++) {
        double p = 0, ref = 0;
        for (int i = 0; i < BEATS_ENV_HOP; i++)
            buf->data[i] = (smpl_t)(pcm[j * BEATS_ENV_HOP + (size_t)i] / 32768.0);
        aubio_filter_do(f1, buf);
        aubio_filter_do(f2, buf);
        for (int i = 0; i < BEATS_ENV_HOP; i++)
            p += (double)buf->data[i] * buf->data[i];
        p /= BEATS_ENV_HOP;
        const size_t m = j < RISE_FRAMES ? j : RISE_FRAMES; /* as rise() */
        for (size_t i = 0; i < m; i++)
            ref += hist[i];
        ref = m ? ref / (double)m : 0;
        out[j] = p > ref ? (float)(p - ref) : 0.0f;
        hist[j % RISE_FRAMES] = p;
    }
out:
    if (f1)
        del_aubio_filter(f1);
    if (f2)
        del_aubio_filter(f2);
    if (buf)
        del_fvec(buf);
    return ret;
}

static void rise(const float *level, float *out, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        double ref = 0;
        int m = 0;
        for (size_t i = j >= RISE_FRAMES ? j - RISE_FRAMES : 0; i < j; i++, m++)
            ref += level[i];
        ref = m ? ref / m : FLOOR_DB;
        out[j] = level[j] > ref ? (float)(level[j] - ref) : 0.0f;
    }
}

int beats_env_compute(const int16_t *pcm, size_t n, int rate, beats_env *env)
{
    const double a = 1.0 - exp(-2.0 * 3.14159265358979323846 * LOW_HZ / rate);
    float *low_level = NULL;
    double y1 = 0, y2 = 0;
    size_t frames = n / BEATS_ENV_HOP;

    memset(env, 0, sizeof(*env));
    env->rate = rate;
    if (frames == 0)
        return 0;
    env->flux = malloc(frames * sizeof(float));
    env->low = malloc(frames * sizeof(float));
    env->low_power = malloc(frames * sizeof(float));
    env->level_db = malloc(frames * sizeof(float));
    low_level = malloc(frames * sizeof(float));
    if (!env->flux || !env->low || !env->low_power || !env->level_db || !low_level) {
        free(low_level);
        beats_env_free(env);
        return AVE_ERR_NOMEM;
    }
    for (size_t j = 0; j < frames; j++) {
        const int16_t *x = pcm + j * BEATS_ENV_HOP;
        double e = 0, el = 0;
        for (int i = 0; i < BEATS_ENV_HOP; i++) {
            double v = x[i] / 32768.0;
            y1 += a * (v - y1);
            y2 += a * (y1 - y2);
            e += v * v;
            el += y2 * y2;
        }
        env->level_db[j] = to_db(e / BEATS_ENV_HOP);
        low_level[j] = to_db(el / BEATS_ENV_HOP);
    }
    rise(env->level_db, env->flux, frames);
    rise(low_level, env->low, frames);
    free(low_level);
    if (power_rise(pcm, frames, rate, env->low_power) < 0) {
        beats_env_free(env);
        return AVE_ERR_NOMEM;
    }
    env->count = frames;
    return 0;
}

void beats_env_free(beats_env *env)
{
    if (!env)
        return;
    free(env->flux);
    free(env->low);
    free(env->low_power);
    free(env->level_db);
    memset(env, 0, sizeof(*env));
}

int beats_env_peak(const beats_env *env, const float *curve, double t_s, double win_s,
                   double *peak_t, double *strength)
{
    const double fps = (double)env->rate / BEATS_ENV_HOP;
    long lo = lround((t_s - win_s) * fps), hi = lround((t_s + win_s) * fps), best = -1;

    if (lo < 0)
        lo = 0;
    if (hi >= (long)env->count)
        hi = (long)env->count - 1;
    if (lo > hi)
        return -1;
    for (long j = lo; j <= hi; j++)
        if (best < 0 || curve[j] > curve[best])
            best = j;
    *peak_t = (double)best / fps;
    *strength = curve[best];
    return 0;
}

double beats_env_level(const beats_env *env, double a_s, double b_s)
{
    const double fps = (double)env->rate / BEATS_ENV_HOP;
    long lo = lround(a_s * fps), hi = lround(b_s * fps);
    double sum = 0;

    if (lo < 0)
        lo = 0;
    if (hi > (long)env->count)
        hi = (long)env->count;
    if (lo >= hi)
        return -120.0;
    for (long j = lo; j < hi; j++)
        sum += pow(10.0, env->level_db[j] / 10.0);
    return 10.0 * log10(sum / (double)(hi - lo));
}
