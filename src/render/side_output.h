/* Private to src/render: an extra video file written in the render pass
 * (side_output.c): the --aspect versions and the shorts. It has its own
 * libx264 encoder at its own size, with the main encoder's settings, and
 * copies of the main file's audio packets, so decoding, cutting and the
 * audio encode are shared. A window [from_us, to_us) of the output clock
 * limits what it takes (a short), shifted to start at 0. */
#ifndef AVE_RENDER_SIDE_OUTPUT_H
#define AVE_RENDER_SIDE_OUTPUT_H

#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>

struct render_ctx;
typedef struct render_side render_side;

/* RENDER_SIDE_SAME_PICTURE: the main file's picture (its size, sample
 * aspect ratio and display rotation); otherwise an upright picture of
 * square pixels. */
enum { RENDER_SIDE_SAME_PICTURE = 1 };

/* Open relpath (inside the job's folder, written atomically) for
 * width x height yuv420p frames, taking the output clock's [from_us, to_us)
 * (0 and INT64_MAX for all of it). *out is owned by the caller
 * (render_side_free). Returns 0 or a negative AVE_ERR_* (message recorded). */
int render_side_open(struct render_ctx *ctx, const char *relpath, int width, int height,
                     int64_t from_us, int64_t to_us, int flags, render_side **out);

/* Encode f (borrowed; pts on the output clock in the input time base,
 * lasting dur) when it starts inside the window. */
int render_side_frame(struct render_ctx *ctx, render_side *s, const AVFrame *f, int64_t dur);

/* Copy an audio packet (borrowed, in the main output's audio time base)
 * when it starts inside the window. */
int render_side_audio(struct render_ctx *ctx, render_side *s, const AVPacket *pkt);

/* Flush the encoder, finish and commit the file. */
int render_side_finish(struct render_ctx *ctx, render_side *s);

/* Frames encoded so far. */
int64_t render_side_frames(const render_side *s);

/* The finished file's size in bytes (0 before render_side_finish). */
int64_t render_side_file_bytes(const render_side *s);

/* Free *s (NULL is fine); an unfinished file is abandoned. */
void render_side_free(struct render_ctx *ctx, render_side **s);

#endif
