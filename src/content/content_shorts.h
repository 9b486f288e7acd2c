/* Private to src/content: the highlights the content stage picks for
 * shorts (content_shorts.c). */
#ifndef AVE_CONTENT_SHORTS_H
#define AVE_CONTENT_SHORTS_H

#include <stddef.h>

#include "ave/job.h"
#include "content/content.h"

/* Pick up to count highlights of whole sentences of t, at most max_len_s
 * long on the edit (at least a quarter of that, and 5 s), titled only with
 * keyphrases at least min_reliability; fill job->analysis.highlights and
 * write shorts/highlights.json. count 0 does nothing. 0 or an AVE_ERR_*
 * code (recorded on the job). */
int content_pick_highlights(ave_job *job, const content_text *t, size_t count, double max_len_s,
                            double min_reliability);

#endif
