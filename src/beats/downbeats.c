/* Downbeats: which beat of the bar the bar starts on.
 *
 * Kick drums and bass notes tend to start bars, so the phase whose beats
 * carry the strongest low-band onsets (plus half the broadband ones) is
 * taken for beat one. Assumes a steady number of beats per bar. */
#include "beats/beats_internal.h"

int beats_downbeat_phase(const double *beats, size_t n, const beats_env *env, int bpb)
{
    double sum[16] = {0};
    int cnt[16] = {0}, best = 0;

    if (bpb < 1 || bpb > 16)
        return 0;
    for (size_t j = 0; j < n; j++) {
        double pt, lo = 0, br = 0;
        if (beats_env_peak(env, env->low, beats[j], 0.03, &pt, &lo) < 0 ||
            beats_env_peak(env, env->flux, beats[j], 0.03, &pt, &br) < 0)
            continue;
        sum[j % (size_t)bpb] += lo + 0.5 * br;
        cnt[j % (size_t)bpb]++;
    }
    for (int p = 1; p < bpb; p++)
        if (cnt[p] && (!cnt[best] || sum[p] / cnt[p] > sum[best] / cnt[best]))
            best = p;
    return best;
}
