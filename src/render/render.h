/* Render stage: public-within-the-project pieces (the options struct) so
 * benchmarks and tests can reuse them. The quality -> encoder mapping is
 * config's (ave_quality_encoder_settings, ave/config.h). */
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
    int zoom_cuts;       /* punch in at every other jump cut (docs/ZOOM.md) */
    double zoom_amount;  /* the punch-in, percent of the frame, 100..200, default 115 */
    int zoom_motion;     /* punched spans push in slowly */
    int captions;        /* file (subtitle files only), burn, both (render/captions.h) */
    int caption_style;   /* clean, bold, karaoke (render/caption_draw.h) */
    char *aspect;        /* --aspect 9:16,1:1,4:5: extra reframed versions (render/reframe.h) */
} ave_render_opts;

/* The stage object, registered by src/pipeline/registry.c. */
extern const ave_stage ave_stage_render;

#endif
