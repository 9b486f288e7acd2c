/* Onset envelope of the analysis audio: level and level rise per 4 ms frame.
 *
 * The beats themselves come from the spectral flux (onset_odf.c); this
 * finer, window-free envelope measures the accents that pick the downbeats
 * and the levels that make the energy sections. The rise of log level over
 * the previous frames marks note and drum onsets whatever their loudness;
 * the same on a low-passed copy (~150 Hz, two one-pole stages) marks kick
 * drums and bass notes, which tend to start bars. Levels are floored at
 * -80 dBFS so that digital silence before a note does not make its onset
 * look 40 dB stronger than one over a held chord. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

#define FLOOR_DB (-80.0)
#define LOW_HZ 150.0
#define RISE_FRAMES 3 /* rise measured against the mean of this many frames */

static float to_db(double ms)
{
    double db = ms > 0 ? 10.0 * log10(ms) : FLOOR_DB;
    return (float)(db < FLOOR_DB ? FLOOR_DB : db);
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
    env->level_db = malloc(frames * sizeof(float));
    low_level = malloc(frames * sizeof(float));
    if (!env->flux || !env->low || !env->level_db || !low_level) {
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
    env->count = frames;
    return 0;
}

void beats_env_free(beats_env *env)
{
    if (!env)
        return;
    free(env->flux);
    free(env->low);
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
