/* The content stage: placeholder until its work lands. */
#include "ave/stage.h"

static int content_enabled(const ave_job *job, const void *opts)
{
    (void)job;
    (void)opts;
    return 0;
}

const ave_stage ave_stage_content = {
    .name = "content",
    .description = "keyphrases, concepts, chapters, titles/description/tags (metadata/)",
    .weight = 0.2,
    .enabled = content_enabled,
};
