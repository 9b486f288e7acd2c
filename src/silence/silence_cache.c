/* Cache hooks of the silence stage: what silence_run leaves in the job (the
 * pauses, the three levels and the timeline with its silence cuts) as a
 * blob, and back. The whole timeline is stored because the cache key covers
 * every earlier stage's options, so the timeline the stage started from is
 * implied by the key. The stage's metrics section is restored by the
 * pipeline. */
#include <math.h>
#include <stdlib.h>

#include "ave/cache.h"
#include "ave/error.h"
#include "silence/silence_cache.h"

#define BLOB_FORMAT 1u
#define INTERVAL_BYTES 16

int ave_silence_cache_save(const ave_job *job, void **blob, size_t *size)
{
    const ave_analysis *a = &job->analysis;
    ave_blob b = {0};

    ave_blob_u32(&b, BLOB_FORMAT);
    ave_blob_u32(&b, (uint32_t)a->silence_count);
    for (size_t i = 0; i < a->silence_count; i++) {
        ave_blob_i64(&b, a->silences[i].start_us);
        ave_blob_i64(&b, a->silences[i].end_us);
    }
    ave_blob_f64(&b, a->noise_floor_db);
    ave_blob_f64(&b, a->speech_level_db);
    ave_blob_f64(&b, a->threshold_db);
    ave_blob_timeline(&b, &job->timeline);
    return ave_blob_finish(&b, blob, size);
}

int ave_silence_cache_load(ave_job *job, const void *blob, size_t size)
{
    ave_blob_reader r = {blob, size, 0};
    ave_interval *iv = NULL;
    ave_timeline tl = {0};
    double levels[3];
    uint32_t n;
    int ret = AVE_ERR_INPUT;

    if (ave_blob_read_u32(&r) != BLOB_FORMAT)
        return AVE_ERR_INPUT;
    n = ave_blob_read_u32(&r);
    if (r.err || n > r.left / INTERVAL_BYTES)
        return AVE_ERR_INPUT;
    if (n && !(iv = calloc(n, sizeof(*iv))))
        return AVE_ERR_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        iv[i].start_us = ave_blob_read_i64(&r);
        iv[i].end_us = ave_blob_read_i64(&r);
    }
    for (int i = 0; i < 3; i++)
        levels[i] = ave_blob_read_f64(&r);
    if (r.err || (ret = ave_blob_read_timeline(&r, &tl)) < 0)
        goto out;
    /* Only what a run can produce: pauses in order, not overlapping (the
     * plan and speech stages rely on that), levels finite (clamped at
     * AVE_SILENCE_MIN_DB by the detector). Pauses may end after the
     * timeline: the audio stream can outlast the container's duration. */
    ret = AVE_ERR_INPUT;
    for (uint32_t i = 0; i < n; i++)
        if (iv[i].start_us < (i ? iv[i - 1].end_us : 0) || iv[i].end_us <= iv[i].start_us)
            goto out;
    for (int i = 0; i < 3; i++)
        if (!isfinite(levels[i]))
            goto out;
    if (tl.duration_us != job->timeline.duration_us) {
        ret = AVE_ERR_INPUT; /* not this input's timeline */
        goto out;
    }
    /* Everything parsed: now change the job, all at once. */
    free(job->analysis.silences);
    job->analysis.silences = iv;
    job->analysis.silence_count = n;
    job->analysis.noise_floor_db = levels[0];
    job->analysis.speech_level_db = levels[1];
    job->analysis.threshold_db = levels[2];
    ave_timeline_free(&job->timeline);
    job->timeline = tl;
    iv = NULL;
    tl.segs = NULL;
    ret = 0;
out:
    free(iv);
    ave_timeline_free(&tl);
    return ret;
}
