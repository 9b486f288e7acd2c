/* Batch policy: the pure decisions of the scheduler -- memory estimate,
 * admission, calibration, retries, backoff, resume transitions and the batch
 * exit code. Kept free of I/O so each rule is unit-tested on its own.
 *
 * The memory estimate was fitted on measured peaks (ru_maxrss, the metrics'
 * memory_peak_usage) of `process` on generated clips on Debian 12 / FFmpeg
 * 5.1 (see docs/BATCH.md): 5 s at 360p 140 MiB (as an audio-only input), at
 * 720p 190 MiB (low) / 300 MiB (high), at 1080p 350 MiB (low) / 580 MiB
 * (high); 40 s at 360p 270 MiB. The runner multiplies it by a calibration
 * factor learnt from the jobs it has finished, so a pipeline that grows
 * hungrier is followed without a code change. */
#include <math.h>
#include <string.h>

#include "ave/batch.h"
#include "ave/error.h"

#define MIB (1024.0 * 1024.0)
#define BASE_MIB 120.0
#define FREE_MPX 0.23      /* 640x360: costs nothing above the base */
#define PER_SECOND_MIB 3.5
#define PARALLEL_FACTOR 1.25
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
    /* Per megapixel, by x264 preset: slower presets keep more reference and
     * look-ahead frames. */
    static const double per_mpx[] = {120.0, 180.0, 250.0, 320.0};
    double mib = BASE_MIB;
    if (!p || !p->ok)
        return (int64_t)(mib * MIB);
    if (p->has_video && p->width > 0 && p->height > 0) {
        double mpx = (double)p->width * (double)p->height / 1e6;
        int q = cfg ? cfg->quality : AVE_QUALITY_HIGH;
        if (q < 0 || q > AVE_QUALITY_ULTRA)
            q = AVE_QUALITY_HIGH;
        double video = per_mpx[q] * fmax(0.0, mpx - FREE_MPX);
        if (cfg && cfg->parallel)
            video *= PARALLEL_FACTOR;
        mib += video;
    }
    if (p->duration_us > 0)
        mib += PER_SECOND_MIB * (double)p->duration_us / 1e6;
    return (int64_t)(mib * MIB);
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
