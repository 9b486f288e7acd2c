/* Re-rendering a finished output folder from the user's edits
 * (`ai-video-editor render OUTPUT_DIR`, docs/EDITING.md).
 *
 * The work is done by the `edit` stage, which replaces the analysis and plan
 * stages; these helpers let a front end set up that job the way the first
 * run was set up: the same input and the same settings. */
#ifndef AVE_EDIT_H
#define AVE_EDIT_H

#include <stddef.h>

#include "ave/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The input the folder was made from ("input" in OUTPUT/timeline.json), as
 * it was given then (a relative path is relative to where that run was
 * started). *input malloc'd, caller frees. Returns 0, or AVE_ERR_INPUT /
 * AVE_ERR_NOMEM with one line in err naming the file and the cause. */
int ave_edit_input_path(const char *output_dir, char **input, char *err, size_t errlen);

/* Apply the effective configuration recorded by the last run in
 * OUTPUT/analytics/performance_metrics.json to s, keeping each value's
 * recorded source, for every option s still has at its default (so flags,
 * environment and profile given now win). Options that only made sense for
 * that run (output, profile, profiles-file) and hidden credentials are
 * skipped, as are options this build does not know. *applied (may be NULL)
 * receives the count. A missing metrics file is not an error (nothing
 * applied); an unreadable one is AVE_ERR_INPUT with err filled. */
int ave_edit_recorded_settings(ave_settings *s, const char *output_dir, int *applied, char *err,
                               size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
