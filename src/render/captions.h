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

#endif
