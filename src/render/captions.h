/* Private to src/render: burned-in captions (--captions burn|both) in the
 * render pass (captions.c). Built from the edited timeline's words when the
 * output starts, composited into each frame just before it is encoded; with
 * `both` the captioned frames go to a second encoder and file
 * (video/edited.captioned.mp4) that shares the decode and the audio
 * packets, so edited.mp4 stays clean. Every call is a no-op under
 * --captions file or without video. */
#ifndef AVE_RENDER_CAPTIONS_H
#define AVE_RENDER_CAPTIONS_H

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>

struct render_ctx;
struct render_captions;

enum render_captions_mode { RENDER_CAPTIONS_FILE, RENDER_CAPTIONS_BURN, RENDER_CAPTIONS_BOTH };

#define RENDER_CAPTIONED_PATH "video/edited.captioned.mp4"

/* From render_mux_start, after the encoders opened and before the main
 * output's header: lays the captions out and, for `both`, opens the second
 * encoder and output. Returns 0 or a negative AVE_ERR_* (message recorded). */
int render_captions_start(struct render_ctx *ctx);

/* From encode_frame, for each frame (owned by the caller, output pts in the
 * input time base, lasting dur) before it goes to the main encoder: `burn`
 * draws into *f (whose buffers may be replaced by writable ones); `both`
 * encodes a captioned copy into the second file and leaves *f alone. */
int render_captions_frame(struct render_ctx *ctx, AVFrame *f, int64_t dur);

/* From render_mux_drain: an audio packet (borrowed, already in the main
 * output's audio time base) to copy into the second file. */
int render_captions_audio_packet(struct render_ctx *ctx, const AVPacket *pkt);

/* From render_mux_finish: flush the second encoder, finish and commit the
 * second file, record the metrics. */
int render_captions_finish(struct render_ctx *ctx);

/* From the stage's uninit: free everything; an unfinished second file is
 * abandoned. */
void render_captions_free(struct render_ctx *ctx);

/* A burn-only caption layout for other width x height upright frames (an
 * --aspect version, the shorts): the same captions, sized and placed for
 * that picture, not moved for faces (the reframing keeps the face above
 * them). *out is owned by the caller (render_captions_layout_free).
 * Returns 0 or a negative AVE_ERR_* (message recorded). */
int render_captions_layout(struct render_ctx *ctx, int width, int height,
                           struct render_captions **out);

/* The caption on screen at f's time (output pts, input time base; frames
 * in output order) blended into a copy of f: *out is a new frame owned by
 * the caller, or NULL when no caption shows. */
int render_captions_burn(struct render_ctx *ctx, struct render_captions *rc, const AVFrame *f,
                         AVFrame **out);

/* Free *rc (NULL is fine) and set it to NULL. */
void render_captions_layout_free(struct render_ctx *ctx, struct render_captions **rc);

#endif
