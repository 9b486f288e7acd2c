/* Private to src/render: the punch-in zoom at jump cuts (--zoom-cuts), per
 * frame. zoom_plan.c decides which span is punched in and through which
 * crop; this applies it to the kept frames (crop + swscale Lanczos back to
 * the frame size), finds the saliency point of spans without a face, and
 * publishes the plan (video/zoom_plan.json and metrics). */
#ifndef AVE_RENDER_ZOOM_H
#define AVE_RENDER_ZOOM_H

#include <stddef.h>
#include <stdint.h>

#include <libavutil/frame.h>

#include "ave/job.h"
#include "render/render.h"

typedef struct render_zoom render_zoom;
struct render_span;

/* Plan the zoom for the n kept spans (borrowed for the life of *out) of a
 * width x height yuv420p output, from the options o, the faces of
 * job->analysis.frames and the full-frame cards of job->analysis.overlays
 * (both borrowed; they outlive the render). *out is NULL when --zoom-cuts
 * is off (unless the output folder holds an earlier run's plan, which is
 * then replaced by an all-full-frame one), else owned by the caller
 * (render_zoom_free). Returns 0, or
 * AVE_ERR_NOMEM / AVE_ERR_LIMIT (message recorded on job). */
int render_zoom_new(render_zoom **out, ave_job *job, const ave_render_opts *o,
                    const struct render_span *spans, size_t n, int width, int height);

/* Punch in *f (a yuv420p frame of the planned size, source time t_us, in
 * kept span k) when the plan says so: *f is then replaced by a new frame
 * (same properties) holding the scaled crop, and the old one freed. Frames
 * left at full frame are not touched at all (bit-exact with --no-zoom-cuts).
 * Returns 0 or a negative AVE_ERR_* (message recorded). z may be NULL. */
int render_zoom_apply(render_zoom *z, AVFrame **f, int64_t t_us, long k);

/* Write video/zoom_plan.json (each span's framing and crop in pixels, on
 * the source and the edited timeline) and the render.zoom_* metrics. z may
 * be NULL (nothing written). Returns 0 or a negative AVE_ERR_* code. */
int render_zoom_publish(render_zoom *z);

/* Free *z (NULL is fine), release its memory reservation, set it to NULL. */
void render_zoom_free(render_zoom **z);

#endif
