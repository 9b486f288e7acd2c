/* Pause guard (pause_guard.h): probe windows over the pause cuts, and the
 * rescue of the words heard in them. */
#include <math.h>
#include <stdlib.h>

#include "ave/error.h"
#include "ave/log.h"
#include "core/array_grow.h"
#include "core/silence_detect.h"
#include "speech/pause_guard.h"

void ave_pause_guard_params_default(ave_pause_guard_params *p)
{
    p->probe_pad_us = 100000;
    /* A word heard in a "pause" means the level detector lost the speaker
     * there, and a mumbled word seldom comes alone: on the real set the
     * probe heard one word of "the acoustic" (0.7 s apart). So the rescue
     * reaches a second either side, not just the silence stage's margins. */
    p->keep_before_us = 1000000;
    p->keep_after_us = 1000000;
    p->min_word_us = 60000;
    /* Measured on the real set and the benches' talks (docs/SPEECH.md
     * "Transcription speed"): probes over room noise, where the quiet words
     * were rescued, sit 7-19 dB under the speech; clean studio clips 35-55
     * dB under, but with breaths and lip noises standing 12-29 dB out of
     * their floor (one decoded as a word); a generated talk's pink-noise
     * floor 43-48 dB under, standing out 4-9 dB; digital silence 0. */
    p->probe_below_speech_db = 35.0;
    p->probe_steady_db = 12.0;
}

static int is_pause(const ave_segment *s)
{
    return !s->keep && s->reason == AVE_REASON_SILENCE;
}

static int push(ave_interval **v, size_t *n, size_t *cap, int64_t a, int64_t b)
{
    if (b <= a)
        return 0;
    if (*n > 0 && (*v)[*n - 1].end_us >= a && (*v)[*n - 1].start_us <= b) {
        /* Overlaps the last one (padded neighbours): one interval. */
        ave_interval *last = &(*v)[*n - 1];
        last->start_us = a < last->start_us ? a : last->start_us;
        last->end_us = b > last->end_us ? b : last->end_us;
        return 0;
    }
    ave_interval *q = array_grow(*v, cap, *n + 1, sizeof(*q), 8);
    if (!q)
        return AVE_ERR_NOMEM;
    *v = q;
    (*v)[*n].start_us = a;
    (*v)[(*n)++].end_us = b;
    return 0;
}

int ave_pause_probe_windows(const ave_timeline *tl, const ave_interval *regions, size_t nreg,
                            const ave_pause_guard_params *p, ave_interval **out, size_t *count)
{
    ave_interval *v = NULL;
    size_t n = 0, cap = 0, r = 0;
    int ret = 0;

    if (!tl || !p || !out || !count || (nreg && !regions))
        return AVE_ERR_USAGE;
    *out = NULL;
    *count = 0;
    for (size_t i = 0; i < tl->count && ret == 0; i++) {
        const ave_segment *s = &tl->segs[i];
        int64_t a = s->start_us - p->probe_pad_us, b = s->end_us + p->probe_pad_us;

        if (!is_pause(s))
            continue;
        if (a < 0)
            a = 0;
        if (b > tl->duration_us)
            b = tl->duration_us;
        /* Walk the decoded regions across [a, b) and keep what they miss. */
        while (r < nreg && regions[r].end_us <= a)
            r++;
        for (size_t k = r; k < nreg && regions[k].start_us < b && ret == 0; k++) {
            if (regions[k].start_us > a)
                ret = push(&v, &n, &cap, a, regions[k].start_us);
            if (regions[k].end_us > a)
                a = regions[k].end_us;
        }
        if (ret == 0)
            ret = push(&v, &n, &cap, a, b);
    }
    if (ret < 0) {
        free(v);
        return ret;
    }
    *out = n ? v : NULL;
    if (!n)
        free(v);
    *count = n;
    return 0;
}

/* The loudest frame level of pcm[a..b) and its 10th percentile, in dBFS
 * (both AVE_SILENCE_MIN_DB when the stretch is empty or digitally silent). */
static int window_levels(const int16_t *pcm, size_t a, size_t b, int rate, double *top, double *low)
{
    ave_silence_params sp;
    double *lv = NULL, *scratch;
    size_t nf = 0, frame, hop;
    int ret;

    ave_silence_params_default(&sp);
    frame = (size_t)floor(sp.frame_s * rate + 0.5);
    hop = (size_t)floor(sp.hop_s * rate + 0.5);
    *top = *low = AVE_SILENCE_MIN_DB;
    if (b <= a)
        return 0;
    if ((ret = ave_silence_frame_levels(pcm + a, b - a, frame ? frame : 1, hop ? hop : 1, &lv,
                                        &nf)) < 0)
        return ret;
    if (!(scratch = malloc(nf * sizeof(*scratch)))) {
        free(lv);
        return AVE_ERR_NOMEM;
    }
    for (size_t i = 0; i < nf; i++)
        if (lv[i] > *top)
            *top = lv[i];
    *low = ave_silence_percentile(lv, nf, 10.0, scratch);
    free(scratch);
    free(lv);
    return 0;
}

int ave_pause_probe_filter(const int16_t *pcm, size_t n, int rate, double speech_db,
                           const ave_pause_guard_params *p, ave_interval *w, size_t *count,
                           double *skipped_s)
{
    size_t kept = 0;
    double skipped = 0;

    if (!p || !count || (*count && !w) || (n && !pcm) || rate <= 0)
        return AVE_ERR_USAGE;
    for (size_t i = 0; i < *count; i++) {
        int64_t a_us = w[i].start_us < 0 ? 0 : w[i].start_us;
        size_t a = (size_t)(a_us * rate / 1000000), b = (size_t)(w[i].end_us * rate / 1000000);
        double top, low;
        int ret;

        if (b > n)
            b = n;
        if (a > b)
            a = b;
        if ((ret = window_levels(pcm, a, b, rate, &top, &low)) < 0)
            return ret;
        ave_log(AVE_LOG_DEBUG, "speech",
                "probe %.3f-%.3f s: loudest frame %.1f dB under speech, %.1f dB over the "
                "window's quietest tenth",
                w[i].start_us / 1e6, w[i].end_us / 1e6, speech_db - top, top - low);
        if (p->probe_below_speech_db > 0 && p->probe_steady_db > 0 &&
            top < speech_db - p->probe_below_speech_db && top - low < p->probe_steady_db) {
            skipped += (w[i].end_us - w[i].start_us) / 1e6;
            continue;
        }
        w[kept++] = w[i];
    }
    *count = kept;
    if (skipped_s)
        *skipped_s = skipped;
    return 0;
}

int ave_pause_guard_apply(ave_timeline *tl, const ave_word *w, size_t n,
                          const ave_filler_vocab *vocab, const ave_pause_guard_params *p,
                          size_t *rescued)
{
    ave_interval *keep = NULL;
    size_t nk = 0, cap = 0, saved = 0;
    int ret = 0;

    if (!tl || !p || (n && !w))
        return AVE_ERR_USAGE;
    for (size_t i = 0; i < n && ret == 0; i++) {
        int64_t a = w[i].start_us - p->keep_before_us, b = w[i].end_us + p->keep_after_us;
        int inside = 0;

        if (w[i].end_us - w[i].start_us < p->min_word_us || (w[i].flags & AVE_WORD_FILLER) ||
            (vocab && ave_filler_vocab_match(vocab, w, n, i) > 0))
            continue;
        for (size_t k = 0; k < tl->count && !inside; k++)
            inside = is_pause(&tl->segs[k]) && tl->segs[k].start_us < w[i].end_us &&
                     tl->segs[k].end_us > w[i].start_us;
        if (!inside) /* the words beside a pause already have the stage's margins */
            continue;
        /* Collected first: ave_timeline_keep reshapes the segment list. */
        for (size_t k = 0; k < tl->count && ret == 0; k++) {
            const ave_segment *s = &tl->segs[k];
            int64_t ka = s->start_us > a ? s->start_us : a, kb = s->end_us < b ? s->end_us : b;
            if (is_pause(s) && kb > ka)
                ret = push(&keep, &nk, &cap, ka, kb);
        }
        saved++;
    }
    for (size_t k = 0; k < nk && ret == 0; k++)
        ret = ave_timeline_keep(tl, keep[k].start_us, keep[k].end_us);
    free(keep);
    if (ret == 0 && rescued)
        *rescued = saved;
    return ret;
}
