/* Frame analysis stage: placeholder until the vision work lands. */
#include "ave/stage.h"

static int frames_enabled(const ave_job *job, const void *opts)
{
    (void)job;
    (void)opts;
    return 0;
}

const ave_stage ave_stage_frames = {
    .name = "frames",
    .description = "frame features, scenes and faces (analysis/frames.json)",
    .flags = AVE_STAGE_NEEDS_VIDEO | AVE_STAGE_ANALYSIS,
    .weight = 1.0,
    .enabled = frames_enabled,
};
