/* Private to src/render: compositing the B-roll overlays (job->analysis.
 * overlays) onto the kept video frames (overlay.c). */
#ifndef AVE_RENDER_OVERLAY_H
#define AVE_RENDER_OVERLAY_H

#include <stddef.h>
#include <stdint.h>

#include <libavutil/frame.h>

#include "ave/job.h"

typedef struct render_overlays render_overlays;

/* Prepare to composite the n overlays ov (borrowed, sorted by start, must
 * outlive *out) onto width x height yuv420p frames of a video whose display
 * rotation is rotation_deg (clockwise; the cards are display-oriented). The
 * PNGs are loaded lazily, once each, when first shown, and freed after.
 * *out is owned by the caller (render_overlays_free); NULL when n is 0.
 * Returns 0 or AVE_ERR_NOMEM (message recorded on job). */
int render_overlays_new(render_overlays **out, ave_job *job, const ave_overlay *ov, size_t n,
                        int width, int height, int rotation_deg);

/* Blend the overlays active at source time t_us into *f (a yuv420p frame of
 * the size given to _new; its colour range and matrix are respected). A
 * frame whose buffers are shared (e.g. with the decoder) is first copied
 * into pooled buffers, so *f's buffers may change; frames without an active
 * overlay are left untouched. Alpha fades in and out over fade_ms at both
 * ends, measured on t_us. Returns 0, or a negative AVE_ERR_* code with the
 * message recorded (out of memory, --max-memory). ro may be NULL. */
int render_overlays_apply(render_overlays *ro, AVFrame *f, int64_t t_us);

/* Frames that received an overlay so far. */
int64_t render_overlays_frames(const render_overlays *ro);

/* Free *ro (NULL is fine), release its memory reservation, set it to NULL. */
void render_overlays_free(render_overlays **ro);

#endif
