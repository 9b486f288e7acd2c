/* A recognised word for the speech unit tests, times in seconds. */
#ifndef AVE_TEST_WORD_FIXTURE_H
#define AVE_TEST_WORD_FIXTURE_H
#include <stdio.h>
#include <string.h>

#include "ave/job.h"

static inline ave_word fixture_word(const char *text, double start_s, double end_s, float conf,
                                    unsigned flags)
{
    ave_word w;
    memset(&w, 0, sizeof(w));
    snprintf(w.text, sizeof(w.text), "%s", text);
    w.start_us = (int64_t)(start_s * 1e6 + 0.5);
    w.end_us = (int64_t)(end_s * 1e6 + 0.5);
    w.confidence = conf;
    w.flags = flags;
    return w;
}
#endif
