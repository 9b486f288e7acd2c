/* Beat analysis stage: placeholder until the music work lands. */
#include "ave/stage.h"

static int beats_enabled(const ave_job *job, const void *opts)
{
    (void)job;
    (void)opts;
    return 0;
}

const ave_stage ave_stage_beats = {
    .name = "beats",
    .description = "beat grid, tempo, downbeats and energy sections (analysis/beats.json)",
    .flags = AVE_STAGE_NEEDS_AUDIO | AVE_STAGE_ANALYSIS,
    .weight = 0.5,
    .enabled = beats_enabled,
};
