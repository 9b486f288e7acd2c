/* What a job will cost and what the machine has: the numbers behind
 * --max-memory, --adaptive-processing and the batch scheduler's admission.
 *
 * The estimates follow the buffers the stages reserve with
 * ave_job_mem_reserve (the stages call the same functions), plus a measured
 * fixed cost for the libraries, models and code. */
#ifndef AVE_RESOURCES_H
#define AVE_RESOURCES_H

#include <stdint.h>
#include "ave/config.h"
#include "ave/media.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ave_machine {
    int cores;                   /* processors this process may use: online ones, fewer
                                    under an affinity mask (taskset, numactl, Slurm) or a
                                    control group's CPU quota (rounded up) */
    int online_cores;            /* online processors of the machine */
    int64_t mem_total_bytes;     /* physical memory, or the control group's limit if lower */
    int64_t mem_available_bytes; /* MemAvailable (Linux), else total; at most the limit */
    int64_t mem_limit_bytes;     /* the control group's memory limit; 0: none */
} ave_machine;

/* Fill m from sysconf, /proc/meminfo, the affinity mask and the control
 * groups (v2 cpu.max/memory.max, v1 cfs quota/memory.limit_in_bytes).
 * Always succeeds (falls back to 1 core / unknown memory = 0). */
int ave_machine_probe(ave_machine *m);

/* Peak bytes of the render stage's encoder and decoder pictures for this
 * input at this --quality (x264 lookahead grows with the preset). */
int64_t ave_estimate_render_bytes(const ave_media_info *m, int quality);

/* One PocketSphinx decoder with the en-us model loaded. */
int64_t ave_estimate_asr_decoder_bytes(void);

typedef struct ave_memory_estimate {
    int64_t fixed;    /* libraries, models, code: measured */
    int64_t audio;    /* analysis PCM and its per-frame tables */
    int64_t speech;   /* recogniser decoders */
    int64_t render;   /* encoder/decoder pictures */
    int64_t total;    /* the peak: fixed + audio + max(speech, render) */
} ave_memory_estimate;

/* Estimate the peak memory of `process` on an input with these settings,
 * using threads analysis/codec threads (0 = all cores). Stages run one after
 * another, so speech and render do not add up. */
int ave_estimate_job_memory(const ave_media_info *m, const ave_config *cfg, int threads,
                            ave_memory_estimate *out);

#ifdef __cplusplus
}
#endif
#endif
