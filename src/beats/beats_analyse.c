/* The whole beat analysis of one mono PCM buffer, independent of the job:
 * onset curve, local tempo, beats, tempo segments and the music
 * confidence. The stage (beats_stage.c) and the benchmark tool
 * (bench/bench_beats_track.c) both call this, so what is benchmarked is
 * what runs. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

#define SALIENCE_NONE 0.1
#define SALIENCE_FULL 0.3
#define START_SLACK_S 0.035

int beats_analyse(const int16_t *pcm, size_t n, int rate, beats_progress_fn progress, void *opaque,
                  beats_result *r)
{
    double dur = rate > 0 ? (double)n / rate : 0, *period = NULL;
    beats_odf odf = {0};
    float *accented = NULL, *plain = NULL;
    int ret, by_chord = 0;

    /* Measured shares of the time (630 s of music): onset curve 0.8,
     * tempogram 0.15, the rest 0.05. */
    const beats_progress p_odf = {progress, opaque, 0.0, 0.8},
                         p_tempo = {progress, opaque, 0.8, 0.95};

    memset(r, 0, sizeof(*r));
    if ((ret = beats_odf_compute(pcm, n, rate, &p_odf, &odf)) != 0)
        goto out;
    if (odf.count && !(period = malloc(odf.count * sizeof(*period)))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    if ((ret = beats_tempo_curve(&odf, &p_tempo, period, &r->salience, &by_chord)) != 0 ||
        (ret = beats_progress_report(&p_tempo, 1.0)) != 0)
        goto out;
    /* The harmony set the tempo (tempo_track.c): its changes, on bar lines,
     * are beats too, and the chain is drawn to them (chord_change.c). */
    if (by_chord) {
        if ((ret = beats_chord_accent(&odf, &accented)) < 0)
            goto out;
        plain = odf.v;
        odf.v = accented;
    }
    if ((ret = beats_dp_track(&odf, period, &r->raw, &r->raw_count)) < 0)
        goto out;
    if ((ret = beats_env_compute(pcm, n, rate, &r->env)) < 0)
        goto out;
    /* A half-note chain under a backbeat (metre_level.c): the beat is twice
     * as fast, as long as that stays in the tempogram's range. */
    int half;
    if (beats_backbeat(&odf, period, r->raw, r->raw_count)) {
        int fits = 1;
        for (size_t j = 0; j < odf.count && fits; j++)
            fits = 60.0 * odf.fps / (0.5 * period[j]) <= BEATS_BPM_MAX;
        if (fits) {
            for (size_t j = 0; j < odf.count; j++)
                period[j] *= 0.5;
            free(r->raw);
            r->raw = NULL;
            if ((ret = beats_dp_track(&odf, period, &r->raw, &r->raw_count)) < 0)
                goto out;
        }
    } else if (beats_accent_level(&odf, &r->env, period, r->raw, r->raw_count, &half)) {
        /* A chain of subdivisions (metre_level.c): every other beat is the
         * beat, on the half the low accent picked, as long as that stays in
         * the tempogram's range. The half is kept as it is: a new chain at
         * half the tempo takes the phase of the louder off-beats. */
        int fits = 1;
        for (size_t j = 0; j < odf.count && fits; j++)
            fits = 60.0 * odf.fps / (2.0 * period[j]) >= BEATS_BPM_MIN;
        if (fits) {
            size_t k = 0;
            for (size_t i = (size_t)half; i < r->raw_count; i += 2)
                r->raw[k++] = r->raw[i];
            r->raw_count = k;
            for (size_t j = 0; j < odf.count; j++)
                period[j] *= 2.0;
        }
    }
    if ((ret = beats_fit_segments(r->raw, r->raw_count, &r->segs, &r->seg_count)) < 0)
        goto out;
    if (r->raw_count && !(r->beats = malloc((r->raw_count + 1) * sizeof(*r->beats)))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    /* The onset curve's first frames are blind (the first window is centred
     * 32 ms in and compared with the frame 16 ms before), so a beat on the
     * very first note is never seen: one more period before the chain's
     * first beat, if it lands at or just before the start, is that beat
     * (generated tracks lost their first beat, F 0.98 instead of 1). */
    if (r->raw_count >= 2) {
        double first = r->raw[0] - (r->raw[1] - r->raw[0]);
        if (first >= -START_SLACK_S)
            r->beats[r->count++] = first > 0 ? first : 0;
    }
    for (size_t i = 0; i < r->raw_count; i++)
        if (r->raw[i] >= 0 && r->raw[i] < dur)
            r->beats[r->count++] = r->raw[i];
    /* No steady stretch of six beats (heavy rubato, a loop the tracker only
     * half follows): one loose fit over all beats still gives a tempo. */
    if (r->seg_count == 0 &&
        (ret = beats_fit_loose(r->raw, r->raw_count, &r->segs, &r->seg_count)) < 0)
        goto out;
    /* Music confidence: the beats on steady lines, the grid's regularity and
     * coverage, and how periodic the onsets are at all. The last is what
     * tells speech apart: the tracker finds a regular chain of syllables
     * (confidence 0.56 on an espeak-ng sentence without it), but their
     * autocorrelation at that period is about 0.11, against 0.2 (rubato
     * piano) to 0.9 in the music corpus (bench/bench_beats_real.sh). */
    double periodic = (r->salience - SALIENCE_NONE) / (SALIENCE_FULL - SALIENCE_NONE);
    periodic = periodic < 0 ? 0 : periodic > 1 ? 1 : periodic;
    r->confidence = beats_music_confidence(r->segs, r->seg_count, r->raw_count) *
                    beats_grid_quality(r->segs, r->seg_count, dur) * periodic;
out:
    free(period);
    if (plain)
        odf.v = plain;
    free(accented);
    beats_odf_free(&odf);
    return ret;
}

int beats_progress_report(const beats_progress *p, double f)
{
    return p && p->fn ? p->fn(p->opaque, p->lo + (p->hi - p->lo) * f) : 0;
}

int64_t beats_analyse_bytes(size_t n, int rate)
{
    /* Per 8 ms frame: the onset curve, its two band layouts and the three
     * ranges of the band layout (6 floats), the harmony change curve and
     * the onset curve with its accents (2 floats),
     * normalising's running sum and mean (a double and a float), the local
     * period, and the tracker's score and back-pointer; per 4 ms
     * level frame: 5 floats; per second (one tempogram window): a comb
     * score and a back-pointer for each of ~180 tempi (about a quarter of
     * the total) and the bar's lag. */
    const size_t hop = rate > 0 ? (size_t)(rate * 0.008) : 0;
    const int64_t frames = (int64_t)(n / (hop ? hop : 1)) + 1;
    const int64_t windows = rate > 0 ? (int64_t)(n / (size_t)rate) + 1 : 1;
    return frames * (int64_t)(9 * sizeof(float) + 3 * sizeof(double) + sizeof(long)) +
           (int64_t)(n / BEATS_ENV_HOP + 1) * 5 * (int64_t)sizeof(float) +
           windows * (BEATS_TEMPO_BINS * (int64_t)(sizeof(double) + sizeof(int)) +
                      (int64_t)sizeof(double));
}

void beats_result_free(beats_result *r)
{
    if (!r)
        return;
    free(r->raw);
    free(r->beats);
    free(r->segs);
    beats_env_free(&r->env);
    memset(r, 0, sizeof(*r));
}
