/* Running a recogniser over speech regions, on one or several threads. */
#ifndef AVE_SPEECH_RUN_H
#define AVE_SPEECH_RUN_H

#include <stddef.h>

#include "ave/job.h"
#include "speech/asr.h"

typedef struct ave_speech_result {
    ave_word *words; /* sorted by start, malloc'd (caller frees) */
    size_t count;
    double decoded_s;     /* audio handed to the engine */
    size_t calls;         /* transcribe calls made */
    int threads;          /* threads actually used */
    double load_wall_s;   /* loading the engine states (they load in parallel) */
    double load_cpu_s;    /* CPU time of the loads, all threads */
    double decode_cpu_s;  /* CPU time of the transcribe calls, all threads */
    size_t batches;       /* request batches sent (paced engines) */
    double busiest_cpu_s; /* load + transcribe CPU time of the busiest thread: the
                             wall time on idle cores, the critical path */
} ave_speech_result;

/* How requests to a paid service leave: batch_size at once (the threads
 * should be as many), the next batch once the last has answered and at
 * least batch_interval_s after it started (the rate limit). */
typedef struct ave_speech_pacing {
    int batch_size;          /* 0: no pacing (an embedded engine) */
    double batch_interval_s; /* 0: no spacing */
} ave_speech_pacing;

/* Transcribe job->analysis.audio over regions[0..nreg) with `threads` states
 * of eng (1 unless eng->parallel), each opened on its own thread; regions are
 * handed out longest first. Reports progress between regions and stops
 * when the job must (timeout, cancel); errors are recorded on the job.
 * On success fills *res; on failure res holds nothing to free. */
int ave_speech_run(ave_job *job, const ave_asr_engine *eng, const ave_asr_config *cfg, int threads,
                   const ave_speech_pacing *pacing, const ave_interval *regions, size_t nreg,
                   ave_speech_result *res);

#endif
