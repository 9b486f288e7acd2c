/* Cache hooks of the speech stage (see ave_stage.cache_save/cache_load). */
#ifndef AVE_SPEECH_CACHE_H
#define AVE_SPEECH_CACHE_H

#include <stddef.h>

#include "ave/job.h"

/* Bump when the stage's results change for the same input and options. */
/* 4: suggestions, pause probes; 5: second pass; 6: its cut span; 7: held
 * words; 8: whole fillers; 9: the second pass only where it matters (its
 * decoder keeps state across windows, so a later alignment can move); 10:
 * steady voiced gaps cut. */
#define SPEECH_CACHE_VERSION 10

int ave_speech_cache_save(const ave_job *job, void **blob, size_t *size);
int ave_speech_cache_load(ave_job *job, const void *blob, size_t size);

#endif
