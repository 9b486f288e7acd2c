/* Render stage: public-within-the-project pieces (options struct and the
 * quality -> encoder mapping) so benchmarks and tests can reuse them. */
#ifndef AVE_RENDER_RENDER_H
#define AVE_RENDER_RENDER_H

#include <stdint.h>

#include "ave/stage.h"

/* The render stage's options (table in render.c). */
typedef struct ave_render_opts {
    double crossfade_ms; /* audio crossfade at each cut, 0..200, default 20 */
    int64_t crf;         /* x264 CRF override, -1: from --quality */
    int faststart;       /* move the index to the front (costs a second pass) */
    int measure_quality; /* decode sampled output frames again to measure PSNR */
} ave_render_opts;

/* Encoder settings for one --quality level. */
typedef struct ave_encoder_settings {
    const char *x264_preset; /* static string, e.g. "faster" */
    int crf;                 /* x264 constant rate factor */
    int audio_bitrate;       /* AAC bits per second */
} ave_encoder_settings;

/* Fill *out for quality (enum ave_quality):
 *   low    -> preset veryfast, crf 28, AAC  96 kb/s
 *   medium -> preset faster,   crf 23, AAC 128 kb/s
 *   high   -> preset medium,   crf 20, AAC 160 kb/s
 *   ultra  -> preset slow,     crf 17, AAC 192 kb/s
 * Returns 0, or AVE_ERR_USAGE for an unknown level (*out untouched). */
int ave_render_encoder_settings(int quality, ave_encoder_settings *out);

/* The stage object, registered by src/pipeline/registry.c. */
extern const ave_stage ave_stage_render;

#endif
