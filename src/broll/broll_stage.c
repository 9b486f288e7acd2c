/* The broll stage: placeholder until its work lands. */
#include "ave/stage.h"

static int broll_enabled(const ave_job *job, const void *opts)
{
    (void)job;
    (void)opts;
    return 0;
}

const ave_stage ave_stage_broll = {
    .name = "broll",
    .description = "B-roll cards for strong concepts (broll/), composited by render",
    .weight = 0.2,
    .enabled = broll_enabled,
};
