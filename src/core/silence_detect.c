/* Pause detection from frame levels with an adaptive threshold.
 *
 * threshold = floor + delta, delta = max(6 dB, 0.35 * (speech - floor)) or
 * the user's fixed offset. Scaling delta with the speech-to-noise distance
 * keeps breaths and reverb tails out of "speech" on clean recordings while
 * still separating speech from noise at 10 dB SNR. Hysteresis: speech starts
 * above the threshold but only ends below threshold - min(3 dB, delta/3), so
 * soft consonants do not flicker. Hangover: a pause shorter than hangover_s
 * is a gap between words and stays speech; we bridge such gaps after the
 * fact instead of delaying the end of speech, so boundaries stay where the
 * level actually dropped. Clicks shorter than min_speech_s inside a pause
 * do not split it. Times are in microseconds from sample 0. */
#include <math.h>
#include <stdlib.h>

#include "ave/error.h"
#include "core/silence_detect.h"

/* A file whose speech level (95th percentile) is below this holds nothing
 * louder than room noise (dBFS), so it may be silent throughout. */
#define AUDIBLE_DB (-50.0)
/* A pause is at least this far below the speech level (dB). */
#define MIN_CONTRAST_DB 6.0

void ave_silence_params_default(ave_silence_params *p)
{
    p->frame_s = 0.020;
    p->hop_s = 0.010;
    p->floor_window_s = 10.0;
    p->floor_percentile = 10.0;
    p->speech_percentile = 95.0;
    p->threshold_offset_db = 0.0;
    p->hangover_s = 0.2;
    p->min_speech_s = 0.05;
    p->min_silence_s = 0.8;
}

static int params_ok(const ave_silence_params *p, int rate)
{
    return p && rate >= 1000 && rate <= 384000 && p->frame_s > 0.0 && p->hop_s > 0.0 &&
           p->hop_s <= p->frame_s && p->frame_s <= 1.0 && p->floor_window_s > 0.0 &&
           p->floor_percentile >= 0.0 && p->floor_percentile <= 100.0 &&
           p->speech_percentile >= 0.0 && p->speech_percentile <= 100.0 &&
           p->threshold_offset_db >= 0.0 && p->hangover_s >= 0.0 && p->min_speech_s >= 0.0 &&
           p->min_silence_s >= 0.0;
}

/* Relabel runs of `from` shorter than min_len frames to the other label.
 * Runs touching the file edges are left alone when edges is 0. */
static void drop_short_runs(unsigned char *lab, size_t n, unsigned char from, size_t min_len,
                            int edges)
{
    size_t i = 0;

    while (i < n) {
        size_t j = i;
        while (j < n && lab[j] == lab[i])
            j++;
        if (lab[i] == from && j - i < min_len && (edges || (i > 0 && j < n)))
            for (size_t k = i; k < j; k++)
                lab[k] = !from;
        i = j;
    }
}

static size_t frames_of(double s, double hop_s)
{
    return (size_t)floor(s / hop_s + 0.5);
}

int ave_silence_detect(const int16_t *pcm, size_t n, int rate, const ave_silence_params *p,
                       ave_interval **out, size_t *count, ave_silence_levels *levels)
{
    double *lv = NULL, *floor_db = NULL, *on_db = NULL, *scratch = NULL, speech, ceiling;
    unsigned char *lab = NULL;
    ave_interval *iv = NULL;
    size_t nf = 0, frame, hop, niv = 0, min_sil;
    int ret;

    if (!out || !count || !params_ok(p, rate) || (n > 0 && !pcm))
        return AVE_ERR_USAGE;
    *out = NULL;
    *count = 0;
    if (levels)
        *levels =
            (ave_silence_levels){AVE_SILENCE_MIN_DB, AVE_SILENCE_MIN_DB, AVE_SILENCE_MIN_DB, 0};
    frame = (size_t)floor(p->frame_s * rate + 0.5);
    hop = (size_t)floor(p->hop_s * rate + 0.5);
    if (frame == 0 || hop == 0)
        return AVE_ERR_USAGE;
    if ((ret = ave_silence_frame_levels(pcm, n, frame, hop, &lv, &nf)) < 0 || nf == 0)
        goto out;

    floor_db = malloc(nf * sizeof(*floor_db));
    on_db = malloc(nf * sizeof(*on_db));
    scratch = malloc(nf * sizeof(*scratch));
    lab = malloc(nf);
    if (!floor_db || !on_db || !scratch || !lab) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    {
        size_t window = frames_of(p->floor_window_s, p->hop_s);
        size_t block = frames_of(1.0, p->hop_s);
        if ((ret = ave_silence_track_floor(lv, nf, window ? window : 1, block ? block : 1,
                                           p->floor_percentile, floor_db)) < 0)
            goto out;
    }
    speech = ave_silence_percentile(lv, nf, p->speech_percentile, scratch);
    /* Inside a long stretch without pauses (steady music, a tone, a fast
     * talker) the local floor climbs to the signal itself; a pause must also
     * be clearly quieter than the file's speech level. Only when nothing in
     * the file is audible is there no such ceiling. */
    ceiling = speech < AUDIBLE_DB ? HUGE_VAL : speech - MIN_CONTRAST_DB;

    /* Hysteresis state machine over the frames; 1 = speech. */
    for (size_t i = 0; i < nf; i++) {
        double gap = speech - floor_db[i];
        double delta =
            p->threshold_offset_db > 0.0 ? p->threshold_offset_db : fmax(6.0, 0.35 * gap);
        int prev = i > 0 ? lab[i - 1] : 0;

        on_db[i] = fmin(floor_db[i] + delta, ceiling);
        double off = on_db[i] - fmin(3.0, delta / 3.0);
        lab[i] = prev ? lv[i] >= off : lv[i] >= on_db[i];
    }
    drop_short_runs(lab, nf, 1, frames_of(p->min_speech_s, p->hop_s), 1);
    /* A short pause at the file edges is still leading/trailing silence. */
    drop_short_runs(lab, nf, 0, frames_of(p->hangover_s, p->hop_s), 0);

    min_sil = (size_t)llround(p->min_silence_s * rate);
    iv = malloc(((nf + 1) / 2 + 1) * sizeof(*iv));
    if (!iv) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nf;) {
        size_t j = i, a, b;
        while (j < nf && lab[j] == lab[i])
            j++;
        if (!lab[i]) {
            /* Frame k stands for the hop-wide cell around its centre; the
             * first and last cells reach the ends of the input. */
            a = i == 0 ? 0 : i * hop + (frame - hop) / 2;
            b = j == nf ? n : j * hop + (frame - hop) / 2;
            if (b > n)
                b = n;
            if (b > a && b - a >= min_sil) {
                iv[niv].start_us = (int64_t)((double)a * 1e6 / rate + 0.5);
                iv[niv].end_us = (int64_t)((double)b * 1e6 / rate + 0.5);
                niv++;
            }
        }
        i = j;
    }
    if (levels) {
        levels->frames = nf;
        levels->speech_level_db = speech;
        levels->noise_floor_db = ave_silence_percentile(floor_db, nf, 50.0, scratch);
        levels->threshold_db = ave_silence_percentile(on_db, nf, 50.0, scratch);
    }
    if (niv > 0) {
        *out = iv;
        *count = niv;
        iv = NULL;
    }
    ret = 0;
out:
    free(lv);
    free(floor_db);
    free(on_db);
    free(scratch);
    free(lab);
    free(iv);
    return ret;
}
