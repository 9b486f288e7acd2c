/* Private to src/render: the render context shared by render.c (input,
 * demux loop, metrics), video_path.c, audio_path.c and mux.c. */
#ifndef AVE_RENDER_INTERNAL_H
#define AVE_RENDER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#include "ave/error.h"
#include "ave/job.h"
#include "ave/log.h"
#include "render/captions.h"
#include "render/crossfade.h"
#include "render/hw_decode.h"
#include "render/mute.h"
#include "render/overlay.h"
#include "render/reframe.h"
#include "render/render.h"
#include "render/zoom.h"

#define RENDER_LOG "render"

/* A kept segment with its place in the output, all in microseconds. */
typedef struct render_span {
    int64_t start_us, end_us; /* source */
    int64_t out_us;           /* output time of start_us */
} render_span;

/* Output pts of packets still inside the encoder, with the duration we gave
 * their frame (encoders with delay do not carry it through). */
#define RENDER_DUR_RING 512
typedef struct render_dur_ring {
    int64_t pts[RENDER_DUR_RING], dur[RENDER_DUR_RING];
    unsigned head, count;
} render_dur_ring;

/* quality.c: PSNR of the encoded video against the encoder's input, on
 * sampled frames (see the file's comment). Nothing in it fails the render:
 * after a problem it logs one warning and stops measuring. */
typedef struct render_quality render_quality;

typedef struct render_quality_result {
    int64_t frames;        /* frames compared */
    int64_t missed;        /* sampled frames that never came back from the decoder */
    int64_t every;         /* one frame in `every` was sampled */
    int64_t skipped;       /* packets not decoded (unsampled non-reference frames) */
    double psnr_y_db;      /* luma PSNR of the mean MSE (99 when identical) */
    double psnr_y_min_db;  /* worst single frame, luma */
    double psnr_chroma_db; /* Cb and Cr together, PSNR of the mean MSE */
    double seconds;        /* time spent decoding and comparing */
} render_quality_result;

/* Open the verifier for the opened encoder enc (borrowed; its extradata is
 * copied). expected_frames sets the sampling (about one frame a second, at
 * least 10 frames). threads: decoder threads (0 = auto). On success *out is
 * owned by the caller (render_quality_free); on failure *out is NULL, a
 * warning is logged and AVE_ERR_NOMEM or AVE_ERR_UNSUPPORTED is returned. */
int render_quality_new(render_quality **out, const AVCodecContext *enc, int64_t expected_frames,
                       int threads);
/* Before opening encoder enc of codec: ask it to measure PSNR itself
 * where it can (libx264; the stream is unchanged). */
void render_quality_encoder_flags(AVCodecContext *enc, const AVCodec *codec);
/* The opened encoder's own per-frame PSNR (libx264 opened with the flags
 * above), read from its log: sets enc->opaque, so *out must be freed only
 * after enc. AVE_ERR_UNSUPPORTED when enc cannot report it (then use
 * render_quality_new), AVE_ERR_NOMEM. */
int render_quality_from_encoder(render_quality **out, AVCodecContext *enc);
/* Offer the frame about to be sent to the encoder (borrowed; a sampled one
 * is kept by reference). q may be NULL. */
void render_quality_frame(render_quality *q, const AVFrame *f);
/* Decode one encoder packet (borrowed, pts in the encoder's time base;
 * decoder makes its own reference), NULL at the end to flush. q may be NULL. */
void render_quality_packet(render_quality *q, const AVPacket *pkt);
/* Fill *r; AVE_ERR_UNSUPPORTED (and *r zeroed) when nothing was measured. */
int render_quality_stats(const render_quality *q, render_quality_result *r);
/* Free *q (NULL is fine) and set it to NULL. */
void render_quality_free(render_quality **q);

typedef struct render_video {
    int index; /* input stream, -1 when none */
    AVStream *ist, *ost;
    AVCodecContext *dec, *enc;
    struct SwsContext *sws;
    AVFrame *frame;   /* decoder output */
    AVFrame *pending; /* last kept frame, waiting for its duration */
    AVFrame *conv;    /* swscale destination */
    int64_t *delta;   /* per span: out_pts = pts - src0 + delta[k], input tb */
    int64_t src0;     /* source time 0 in input tb */
    int64_t end_out;  /* end of the output in input tb */
    int64_t last_out; /* last output pts, for strict monotonicity */
    int64_t last_src; /* last source pts seen */
    int64_t nominal;  /* one frame in input tb */
    size_t cursor;    /* span search hint */
    size_t pkt_cursor; /* the same for packets (decode order) */
    int pending_set;
    int done;         /* demuxing past the last kept frame */
    render_dur_ring ring;
    render_quality *quality; /* NULL when not measuring */
    render_overlays *overlays; /* B-roll cards; NULL when none */
    render_zoom *zoom;         /* --zoom-cuts; NULL when off */
    render_hwdec *hw;          /* GPU decoding; NULL on the CPU */
    int64_t frames_in, frames_encoded, corrupt;
} render_video;

typedef struct render_audio {
    int index;
    /* Where the audio comes from and goes: the render's own demuxer and
     * muxer, or (audio thread) the thread's demuxer and the cut-audio file;
     * NULL at open means the render's. */
    AVFormatContext *ic, *oc;
    AVPacket *pkt; /* encoder output when oc is not the render's muxer */
    AVStream *ist, *ost;
    AVCodecContext *dec, *enc;
    SwrContext *swr;
    AVChannelLayout swr_in_layout;
    int swr_in_rate, swr_in_fmt;
    AVFrame *frame;
    AVAudioFifo *fifo;
    ave_xfade *xfade;
    ave_mute *mute; /* words flagged AVE_WORD_MUTED (--mute-fillers); NULL when none */
    float *buf[AVE_XFADE_MAX_CHANNELS]; /* resampler output */
    int buf_cap;
    int channels, rate;
    int64_t next_idx; /* source sample index of the next resampled sample */
    int anchored;
    int64_t samples_sent;
    int done;
    int64_t corrupt;
} render_audio;

typedef struct render_ctx {
    ave_job *job;
    const ave_render_opts *opts;
    ave_encoder_settings es;
    int crf;
    int measure_quality; /* option, cleared when the memory budget is too small */

    AVFormatContext *ic;
    AVFormatContext *oc;
    const char *relpath;  /* output, relative to the job's folder */
    const char *out_path; /* temporary path being written (owned by the job) */
    int output_begun, committed, header_written;
    int64_t out_end_us;   /* max end time of packets written */
    int64_t bytes;
    AVPacket *opkt; /* encoder output, reused */

    render_span *spans;
    size_t nspans;
    int64_t kept_us;
    int64_t src0_us;   /* input time that the timeline calls 0 */
    int64_t stop_us;   /* last kept source time */
    int64_t last_video_us; /* latest video packet time seen (truncation check) */
    int64_t mem_reserved;
    double done; /* fraction of the stage done, for progress reports */

    render_video v;
    render_audio a;
    struct render_captions *captions; /* --captions burn|both; NULL otherwise */
    struct render_reframe *reframe;   /* --aspect and shorts; NULL otherwise */
    struct render_athread *at;        /* audio on its own thread; NULL: in line */
} render_ctx;

/* segments.c */
int render_spans_build(render_ctx *ctx);
/* Index of the span holding source time t_us, or -1. *cursor is a hint kept
 * between calls (times mostly increase). */
long render_span_find(const render_ctx *ctx, int64_t t_us, size_t *cursor);

/* render.c */
/* Timeout, cancel and progress check (ave_job_progress at ctx->done).
 * Called per packet and per frame, not per batch: one 8K frame costs
 * about 0.4 s to decode and encode, so even 64 packets between checks let
 * a --timeout run 10 s over. Returns 0 or the job's stop code. */
int render_check(render_ctx *ctx);

/* mux.c */
int render_mux_alloc(render_ctx *ctx);
/* Begin the output; its header too unless the audio thread runs (then
 * render_mux_header comes when its stream is known). */
int render_mux_start(render_ctx *ctx);
int render_mux_header(render_ctx *ctx);
/* Drain every packet the encoder has ready and write it. */
int render_mux_drain(render_ctx *ctx, AVCodecContext *enc, AVStream *ost, int is_video);
int render_mux_finish(render_ctx *ctx);
/* Translate a write failure: ENOSPC -> AVE_ERR_NOSPACE, else AVE_ERR_IO. */
int render_fail_write(render_ctx *ctx, int averr, const char *what);

/* video_path.c: open decoder+encoder+stream, feed packets (NULL at the end),
 * finish (flush everything), close. */
int render_video_open(render_ctx *ctx);
int render_video_packet(render_ctx *ctx, const AVPacket *pkt);
int render_video_finish(render_ctx *ctx);
void render_video_close(render_ctx *ctx);

/* Duration given to the frame whose output pts is pts (0 when unknown);
 * forgets it. */
int64_t render_video_take_duration(render_video *v, int64_t pts);

/* audio_thread.c: the audio cut, encoded and handed to job->audio_post
 * (the enhance chain) on a thread of its own while the video encodes; the
 * result is muxed into the one output file. */
/* Start it when the job offers audio_post and nothing else needs the
 * render's own audio packets (side outputs); ctx->at stays NULL otherwise
 * and the audio is rendered in line. Call after the video is opened and
 * the side outputs are started, before the output header. */
int render_athread_start(render_ctx *ctx);
/* A failure of the thread, seen from the video loop: its code or 0. */
int render_athread_check(render_ctx *ctx);
/* Write a video packet (takes its reference): queued until the audio is
 * ready, then interleaved with it. */
int render_athread_video_packet(render_ctx *ctx, AVPacket *pkt);
/* Wait for the audio, write the header if not yet and every packet left. */
int render_athread_finish(render_ctx *ctx);
/* Stop and join the thread (after a failure), free everything. */
void render_athread_free(render_ctx *ctx);

/* audio_path.c: same shape. */
int render_audio_open(render_ctx *ctx);
int render_audio_packet(render_ctx *ctx, const AVPacket *pkt);
int render_audio_finish(render_ctx *ctx);
void render_audio_close(render_ctx *ctx);

#endif
