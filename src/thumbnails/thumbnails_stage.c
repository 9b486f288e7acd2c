/* Thumbnail stage: placeholder until the vision work lands. */
#include "ave/stage.h"

static int thumbnails_enabled(const ave_job *job, const void *opts)
{
    (void)job;
    (void)opts;
    return 0;
}

const ave_stage ave_stage_thumbnails = {
    .name = "thumbnails",
    .description = "scored, composed thumbnails (thumbnails/)",
    .flags = AVE_STAGE_NEEDS_VIDEO,
    .weight = 0.5,
    .enabled = thumbnails_enabled,
};
