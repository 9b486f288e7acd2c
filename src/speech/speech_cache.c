/* Cache hooks of the speech stage: the recognised words (times, text,
 * confidence, filler score, flags such as AVE_WORD_CUT), the engine name and
 * the timeline with the hesitation cuts, as a blob and back. Transcribing is
 * the slowest analysis (about real time with PocketSphinx), so this is where
 * a warm cache saves most. The stage's metrics section (including the
 * original decode time) is restored by the pipeline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/cache.h"
#include "ave/error.h"
#include "speech/speech_cache.h"

#define BLOB_FORMAT 1u
#define WORD_BYTES (8 + 8 + sizeof(((ave_word *)0)->text) + 8 + 8 + 4)

int ave_speech_cache_save(const ave_job *job, void **blob, size_t *size)
{
    const ave_analysis *a = &job->analysis;
    ave_blob b = {0};

    ave_blob_u32(&b, BLOB_FORMAT);
    ave_blob_bytes(&b, a->asr_engine, sizeof(a->asr_engine));
    ave_blob_u32(&b, (uint32_t)a->word_count);
    for (size_t i = 0; i < a->word_count; i++) {
        const ave_word *w = &a->words[i];
        ave_blob_i64(&b, w->start_us);
        ave_blob_i64(&b, w->end_us);
        ave_blob_bytes(&b, w->text, sizeof(w->text));
        ave_blob_f64(&b, w->confidence); /* float -> double -> float is exact */
        ave_blob_f64(&b, w->filler_score);
        ave_blob_u32(&b, w->flags);
    }
    ave_blob_timeline(&b, &job->timeline);
    return ave_blob_finish(&b, blob, size);
}

int ave_speech_cache_load(ave_job *job, const void *blob, size_t size)
{
    ave_blob_reader r = {blob, size, 0};
    char engine[sizeof(job->analysis.asr_engine)];
    ave_word *words = NULL;
    ave_timeline tl = {0};
    uint32_t n;
    int ret = AVE_ERR_INPUT;

    if (ave_blob_read_u32(&r) != BLOB_FORMAT)
        return AVE_ERR_INPUT;
    ave_blob_read_bytes(&r, engine, sizeof(engine));
    n = ave_blob_read_u32(&r);
    if (r.err || n > r.left / WORD_BYTES || memchr(engine, '\0', sizeof(engine)) == NULL)
        return AVE_ERR_INPUT;
    if (n && !(words = calloc(n, sizeof(*words))))
        return AVE_ERR_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        ave_word *w = &words[i];
        w->start_us = ave_blob_read_i64(&r);
        w->end_us = ave_blob_read_i64(&r);
        ave_blob_read_bytes(&r, w->text, sizeof(w->text));
        w->text[sizeof(w->text) - 1] = '\0';
        w->confidence = (float)ave_blob_read_f64(&r);
        w->filler_score = (float)ave_blob_read_f64(&r);
        w->flags = ave_blob_read_u32(&r);
    }
    if (r.err || (ret = ave_blob_read_timeline(&r, &tl)) < 0)
        goto out;
    /* Only words a run can produce: sorted by start (ave_analysis promises
     * it), times not negative nor reversed, finite scores. */
    ret = AVE_ERR_INPUT;
    for (uint32_t i = 0; i < n; i++) {
        const ave_word *w = &words[i];
        if (w->start_us < 0 || w->end_us < w->start_us ||
            (i && w->start_us < words[i - 1].start_us) || !isfinite(w->confidence) ||
            !isfinite(w->filler_score))
            goto out;
    }
    if (tl.duration_us != job->timeline.duration_us) {
        ret = AVE_ERR_INPUT; /* not this input's timeline */
        goto out;
    }
    /* Everything parsed: now change the job, all at once. */
    free(job->analysis.words);
    job->analysis.words = words;
    job->analysis.word_count = n;
    memcpy(job->analysis.asr_engine, engine, sizeof(engine));
    ave_timeline_free(&job->timeline);
    job->timeline = tl;
    words = NULL;
    tl.segs = NULL;
    ret = 0;
out:
    free(words);
    ave_timeline_free(&tl);
    return ret;
}
