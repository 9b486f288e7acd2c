/* Batch policy: the pure decisions of the scheduler -- memory estimate,
 * admission, calibration, retries, backoff, resume transitions and the batch
 * exit code. Kept free of I/O so each rule is unit-tested on its own.
 *
 * The memory estimate is the library's one model (ave/resources.h), which
 * the job itself accounts against --max-memory; batch had its own fitted
 * formula until the two disagreed by up to 50%. The runner multiplies it by
 * a calibration factor learnt from the jobs it has finished, so a pipeline
 * that grows hungrier is followed without a code change. */
#include <math.h>
#include <string.h>

#include "ave/batch.h"
#include "ave/error.h"
#include "ave/resources.h"

#define MAX_BACKOFF_S 300.0
#define MAX_CALIBRATION 4.0

static const char *const state_names[] = {"queued", "running", "done", "failed"};

const char *ave_batch_state_name(int state)
{
    if (state < 0 || state > AVE_BATCH_FAILED)
        return "?";
    return state_names[state];
}

int ave_batch_state_parse(const char *name)
{
    for (int i = 0; name && i <= AVE_BATCH_FAILED; i++)
        if (!strcmp(name, state_names[i]))
            return i;
    return -1;
}

int64_t ave_batch_estimate_peak(const ave_batch_probe *p, const ave_config *cfg)
{
    ave_media_info m;
    ave_memory_estimate est;
    ave_config quality_high;

    memset(&m, 0, sizeof(m));
    if (p && p->ok) {
        m.duration_us = p->duration_us;
        m.has_video = p->has_video;
        m.width = p->width;
        m.height = p->height;
        m.has_audio = p->has_audio;
    }
    if (!cfg) {
        memset(&quality_high, 0, sizeof(quality_high));
        quality_high.quality = AVE_QUALITY_HIGH;
        cfg = &quality_high;
    }
    /* The child's speech stage runs a decoder per thread: two with
     * --parallel (threads 0 = auto), one without. */
    if (ave_estimate_job_memory(&m, cfg, cfg->parallel ? 0 : 1, &est) < 0)
        return 0;
    return est.total;
}

int ave_batch_admit(int64_t budget, int max_parallel, int running, int64_t running_bytes,
                    int64_t est)
{
    if (max_parallel < 1)
        max_parallel = 1;
    if (running >= max_parallel)
        return AVE_BATCH_WAIT;
    if (est > budget)
        return running == 0 ? AVE_BATCH_START_ALONE : AVE_BATCH_WAIT;
    if (running_bytes + est > budget)
        return AVE_BATCH_WAIT;
    return AVE_BATCH_START;
}

double ave_batch_calibrate(double factor, int64_t est, int64_t peak)
{
    if (factor < 1.0 || !isfinite(factor))
        factor = 1.0;
    if (est <= 0 || peak <= 0)
        return factor;
    double ratio = (double)peak / (double)est;
    if (ratio > factor)
        factor = ratio;
    return factor > MAX_CALIBRATION ? MAX_CALIBRATION : factor;
}

int ave_batch_should_retry(int exit_code, int attempts, int max_retries)
{
    if (attempts > max_retries)
        return 0;
    return exit_code == AVE_EXIT_INTERNAL || exit_code == AVE_EXIT_IO ||
           exit_code == AVE_EXIT_TIMEOUT;
}

double ave_batch_backoff_s(double base_s, int attempt)
{
    if (base_s <= 0 || attempt < 2)
        return 0;
    double d = base_s * pow(2.0, (double)(attempt - 2));
    return d > MAX_BACKOFF_S ? MAX_BACKOFF_S : d;
}

static int exit_rank(int code)
{
    switch (code) {
    case AVE_EXIT_OK: return 0;
    case AVE_EXIT_USAGE: return 1;
    case AVE_EXIT_INPUT: return 2;
    case AVE_EXIT_IO: return 3;
    case AVE_EXIT_TIMEOUT: return 4;
    case AVE_EXIT_LIMIT: return 5;
    case AVE_EXIT_CANCELLED: return 7;
    default: return 6; /* internal, or anything unexpected */
    }
}

int ave_batch_exit_worse(int a, int b)
{
    return exit_rank(b) > exit_rank(a) ? b : a;
}

int ave_batch_resume_state(int state, int pid_alive, int outputs_ok, int input_unchanged)
{
    switch (state) {
    case AVE_BATCH_DONE:
        return outputs_ok && input_unchanged ? AVE_BATCH_DONE : AVE_BATCH_QUEUED;
    case AVE_BATCH_RUNNING:
        return pid_alive ? AVE_BATCH_RUNNING : AVE_BATCH_QUEUED;
    default:
        return AVE_BATCH_QUEUED;
    }
}
