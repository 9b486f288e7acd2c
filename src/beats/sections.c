/* Energy sections: where the music is loud or quiet, in whole bars.
 *
 * Units are bars (downbeat to downbeat; the stretch before the first and
 * after the last downbeat are units of their own) or 2 s windows when no bar
 * grid exists. A unit is loud when its level is above the middle of the
 * track's level range; a range under 4 dB is one loud section (no real
 * dynamics to follow). Runs shorter than the minimum length join the
 * previous section (the first joins the next), so section boundaries stay
 * on downbeats. Quiet first and last sections are the intro and outro. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

#define MIN_RANGE_DB 4.0
#define WINDOW_S 2.0

typedef struct unit {
    double a, b, db;
    int loud;
} unit;

static size_t make_units(const beats_env *env, const double *down, size_t nd, double dur, unit *u)
{
    size_t n = 0;
    double prev = 0;

    if (nd >= 2) {
        for (size_t i = 0; i < nd; i++) {
            if (down[i] > prev + 1e-3)
                u[n++] = (unit){prev, down[i], 0, 0};
            prev = down[i];
        }
    } else {
        for (double t = WINDOW_S; t < dur; t += WINDOW_S) {
            u[n++] = (unit){prev, t, 0, 0};
            prev = t;
        }
    }
    if (dur > prev + 1e-3)
        u[n++] = (unit){prev, dur, 0, 0};
    for (size_t i = 0; i < n; i++)
        u[i].db = beats_env_level(env, u[i].a, u[i].b);
    return n;
}

int beats_sections(const beats_env *env, const double *downbeats, size_t ndown,
                   double duration_s, double min_len_s, ave_music_section **out, size_t *count)
{
    size_t cap = (ndown >= 2 ? ndown : (size_t)(duration_s / WINDOW_S)) + 2, n, ns = 0;
    unit *u = malloc(cap * sizeof(*u));
    ave_music_section *s = NULL;
    double lo = 1e9, hi = -1e9, mid;
    int ret = 0;

    *out = NULL;
    *count = 0;
    if (!u)
        return AVE_ERR_NOMEM;
    n = duration_s > 0 ? make_units(env, downbeats, ndown, duration_s, u) : 0;
    if (n == 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        /* Silent units say nothing about the range of the music. */
        if (u[i].db > -70 && u[i].db < lo)
            lo = u[i].db;
        if (u[i].db > hi)
            hi = u[i].db;
    }
    mid = hi - lo < MIN_RANGE_DB ? -1e9 : 0.5 * (hi + lo);
    for (size_t i = 0; i < n; i++)
        u[i].loud = u[i].db >= mid;
    /* Runs of equal units, then absorb short runs. A section's energy is the
     * power mean of its units, weighted by length. */
    s = malloc(n * sizeof(*s));
    if (!s) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (ns > 0 && !strcmp(s[ns - 1].label, u[i].loud ? "loud" : "quiet")) {
            s[ns - 1].end_us = (int64_t)(u[i].b * 1e6 + 0.5);
            continue;
        }
        s[ns] = (ave_music_section){(int64_t)(u[i].a * 1e6 + 0.5), (int64_t)(u[i].b * 1e6 + 0.5),
                                    0, ""};
        strcpy(s[ns].label, u[i].loud ? "loud" : "quiet");
        ns++;
    }
    for (size_t i = 0; i < ns && ns > 1;) {
        if ((double)(s[i].end_us - s[i].start_us) / 1e6 >= min_len_s) {
            i++;
            continue;
        }
        if (i > 0) { /* into the previous one */
            s[i - 1].end_us = s[i].end_us;
        } else {     /* the first: into the next one */
            s[1].start_us = s[0].start_us;
        }
        memmove(s + i, s + i + 1, (ns - i - 1) * sizeof(*s));
        ns--;
        /* Neighbours with the same label merge. */
        for (size_t j = 1; j < ns;) {
            if (!strcmp(s[j - 1].label, s[j].label)) {
                s[j - 1].end_us = s[j].end_us;
                memmove(s + j, s + j + 1, (ns - j - 1) * sizeof(*s));
                ns--;
            } else {
                j++;
            }
        }
        i = 0;
    }
    for (size_t i = 0; i < ns; i++)
        s[i].energy_db = (float)beats_env_level(env, (double)s[i].start_us / 1e6,
                                                (double)s[i].end_us / 1e6);
    if (ns > 1 && !strcmp(s[0].label, "quiet"))
        strcpy(s[0].label, "intro");
    if (ns > 1 && !strcmp(s[ns - 1].label, "quiet"))
        strcpy(s[ns - 1].label, "outro");
    *out = s;
    *count = ns;
    s = NULL;
out:
    free(u);
    free(s);
    return ret;
}
