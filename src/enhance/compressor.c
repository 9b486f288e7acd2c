/* Compressor (see compressor.h): RMS detector -> static soft-knee curve in
 * dB -> attack/release smoothing of the gain in dB -> linear gain. The
 * smoothing acts on the gain, not the level, so attack and release are
 * independent of the ratio (the "smooth decoupled" design of Giannoulis,
 * Massberg and Reiss, JAES 2012). No makeup gain: the loudness normaliser
 * that follows sets the level. Costs one log and one exp per sample frame. */
#include <math.h>

#include "enhance/compressor.h"

void ave_compressor_params_speech(ave_compressor_params *p, double input_lufs)
{
    p->threshold_db = input_lufs + 2.0;
    p->ratio = 3.0;
    p->knee_db = 6.0;
    p->attack_ms = 5.0;
    p->release_ms = 120.0;
    p->rms_ms = 10.0;
}

static double coef(double ms, double fs)
{
    return ms > 0 ? exp(-1000.0 / (ms * fs)) : 0.0;
}

void ave_compressor_init(ave_compressor *c, const ave_compressor_params *p, double fs)
{
    c->p = *p;
    if (c->p.ratio < 1)
        c->p.ratio = 1;
    if (c->p.knee_db < 0)
        c->p.knee_db = 0;
    c->a_att = coef(p->attack_ms, fs);
    c->a_rel = coef(p->release_ms, fs);
    c->a_rms = coef(p->rms_ms, fs);
    c->env = 0;
    c->gain_db = 0;
    c->min_gain_db = 0;
}

double ave_compressor_static_gain_db(const ave_compressor_params *p, double x)
{
    double over = x - p->threshold_db, w = p->knee_db, slope = 1.0 / p->ratio - 1.0;

    if (2 * over <= -w)
        return 0;
    if (2 * fabs(over) < w) /* inside the knee: quadratic blend of the two lines */
        return slope * (over + w / 2) * (over + w / 2) / (2 * w);
    return slope * over;
}

void ave_compressor_run(ave_compressor *c, float *const *planes, int channels, size_t n)
{
    double env = c->env, g = c->gain_db, gmin = c->min_gain_db;

    for (size_t i = 0; i < n; i++) {
        double p = 0, target, lin;
        for (int ch = 0; ch < channels; ch++) {
            double v = planes[ch][i];
            if (v * v > p)
                p = v * v;
        }
        env = c->a_rms * env + (1 - c->a_rms) * p;
        target = ave_compressor_static_gain_db(&c->p, 10 * log10(env + 1e-20));
        if (target < g)
            g = c->a_att * g + (1 - c->a_att) * target;
        else
            g = c->a_rel * g + (1 - c->a_rel) * target;
        if (g < gmin)
            gmin = g;
        lin = pow(10.0, g / 20);
        for (int ch = 0; ch < channels; ch++)
            planes[ch][i] = (float)(planes[ch][i] * lin);
    }
    if (env < 1e-30)
        env = 0;
    c->env = env;
    c->gain_db = g;
    c->min_gain_db = gmin;
}
