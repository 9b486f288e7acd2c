/* Private to src/render: the --aspect versions of the edit and the
 * highlight shorts (reframe.c), made in the render pass from the same
 * decoded frames. reframe_plan.c places the virtual camera; this crops
 * (or letterboxes over a blurred copy), burns the captions laid out for
 * the new picture, encodes video/edited_WxH.mp4 and shorts/NN.mp4 through
 * side_output.c and writes video/reframe_WxH.json. */
#ifndef AVE_RENDER_REFRAME_H
#define AVE_RENDER_REFRAME_H

#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>

struct render_ctx;
typedef struct render_reframe render_reframe;

/* From render_mux_start (encoders open): plan every asked aspect (and 9:16
 * when there are highlights to render) and open the full-length files.
 * ctx->reframe stays NULL when there is nothing to do. Returns 0 or a
 * negative AVE_ERR_* (message recorded). */
int render_reframe_start(struct render_ctx *ctx);

/* From handle_frame, for each kept frame: raw is the frame before the
 * punch-in zoom and the cards, shown the one after the cards (both
 * borrowed, yuv420p, the main encoder's size), at source time t_us with
 * output pts out (input time base). */
int render_reframe_frame(struct render_ctx *ctx, const AVFrame *raw, const AVFrame *shown,
                         int64_t t_us, int64_t out);

/* From render_mux_drain: an audio packet (borrowed, main audio time base). */
int render_reframe_audio(struct render_ctx *ctx, const AVPacket *pkt);

/* From render_mux_finish: the last frame (lasting to end_out, input time
 * base), flush and commit every file, write the plans and the metrics. */
int render_reframe_finish(struct render_ctx *ctx, int64_t end_out);

/* From the stage's uninit. */
void render_reframe_free(struct render_ctx *ctx);

#endif
