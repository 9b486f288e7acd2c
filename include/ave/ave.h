/* AI Video Editor library: umbrella header. */
#ifndef AVE_AVE_H
#define AVE_AVE_H

#include <stddef.h>

#include "ave/error.h"
#include "ave/log.h"
#include "ave/options.h"
#include "ave/config.h"
#include "ave/media.h"
#include "ave/timeline.h"
#include "ave/job.h"
#include "ave/stage.h"

#define AVE_VERSION_STRING "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes "ai-video-editor 0.1.0 (libavformat 59.27.100, ...)" for --version
 * into buf (truncated to len). Returns 0. */
int ave_version_info(char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
