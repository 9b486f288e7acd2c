/* Writing analysis/beats.json (beats_json.c). */
#ifndef AVE_BEATS_JSON_H
#define AVE_BEATS_JSON_H

#include "ave/job.h"
#include "beats/beats_internal.h"

/* What the JSON adds beyond job->analysis.beats; all borrowed. */
typedef struct beats_summary {
    const beats_tempo_seg *segs;
    size_t seg_count;
    const float *strength; /* onset strength per beat (dB rise), or NULL */
    double periodicity;    /* beats_result.salience */
} beats_summary;

/* Write analysis/beats.json from job->analysis.beats and sum. */
int beats_write_json(ave_job *job, const beats_summary *sum);

#endif
