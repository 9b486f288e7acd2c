/* The output file: MP4 (or M4A for audio-only inputs) written through the
 * job's atomic-output API, so a failed or cancelled render never leaves a
 * half-written file under the final name. Packets go through
 * av_interleaved_write_frame so audio and video are interleaved by time.
 * The moov index stays at the end by default: +faststart would reread and
 * rewrite the whole file (a second pass costing about as much I/O as the
 * render itself); the `faststart` option turns it on for web delivery. */
#include <errno.h>
#include <sys/stat.h>

#include "render/render_internal.h"

int render_fail_write(render_ctx *ctx, int averr, const char *what)
{
    int code = averr == AVERROR(ENOSPC) ? AVE_ERR_NOSPACE : AVE_ERR_IO;
    return ave_job_fail(ctx->job, code, "%s/%s: %s: %s", ctx->job->output_dir, ctx->relpath,
                        what, av_err2str(averr));
}

int render_mux_alloc(render_ctx *ctx)
{
    const char *fmt = ctx->job->media.has_video ? "mp4" : "ipod";
    int ret = avformat_alloc_output_context2(&ctx->oc, NULL, fmt, NULL);
    if (ret < 0 || !ctx->oc)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: no %s muxer: %s", fmt,
                            av_err2str(ret < 0 ? ret : AVERROR(ENOMEM)));
    ctx->opkt = av_packet_alloc();
    if (!ctx->opkt)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    return 0;
}

int render_mux_start(render_ctx *ctx)
{
    int ret;

    if ((ret = render_captions_start(ctx)) < 0 || (ret = render_reframe_start(ctx)) < 0 ||
        (ret = ave_job_output_begin(ctx->job, ctx->relpath, &ctx->out_path)) < 0)
        return ret;
    ctx->output_begun = 1;
    if ((ret = avio_open(&ctx->oc->pb, ctx->out_path, AVIO_FLAG_WRITE)) < 0)
        return render_fail_write(ctx, ret, "cannot create");
    /* the audio thread's stream is added when its audio is ready */
    return ctx->at ? 0 : render_mux_header(ctx);
}

int render_mux_header(render_ctx *ctx)
{
    AVDictionary *mopts = NULL;
    int ret;

    if (ctx->opts && ctx->opts->faststart)
        av_dict_set(&mopts, "movflags", "+faststart", 0);
    ret = avformat_write_header(ctx->oc, &mopts);
    av_dict_free(&mopts);
    if (ret < 0)
        return render_fail_write(ctx, ret, "cannot write the header");
    ctx->header_written = 1;
    return 0;
}

int render_mux_drain(render_ctx *ctx, AVCodecContext *enc, AVStream *ost, int is_video)
{
    AVPacket *pkt = ctx->opkt;
    int ret;

    for (;;) {
        int64_t end;
        ret = avcodec_receive_packet(enc, pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "%s: %s encoder failed: %s",
                                ctx->job->input_path, is_video ? "video" : "audio",
                                av_err2str(ret));
        if (is_video) {
            int64_t d = render_video_take_duration(&ctx->v, pkt->pts);
            if (d > 0)
                pkt->duration = d;
            /* before the muxer takes the packet's reference */
            render_quality_packet(ctx->v.quality, pkt);
            if (ctx->at) {
                /* takes the reference; rescaled there once the header is out */
                if ((ret = render_athread_video_packet(ctx, pkt)) < 0 ||
                    (ret = render_check(ctx)) != 0)
                    return ret;
                continue;
            }
        }
        av_packet_rescale_ts(pkt, enc->time_base, ost->time_base);
        pkt->stream_index = ost->index;
        if (!is_video && ((ret = render_captions_audio_packet(ctx, pkt)) < 0 ||
                          (ret = render_reframe_audio(ctx, pkt)) < 0)) {
            av_packet_unref(pkt);
            return ret;
        }
        if (pkt->pts != AV_NOPTS_VALUE) {
            end = av_rescale_q(pkt->pts + pkt->duration, ost->time_base, AV_TIME_BASE_Q);
            if (end > ctx->out_end_us)
                ctx->out_end_us = end;
        }
        /* takes the packet's reference, even on failure */
        ret = av_interleaved_write_frame(ctx->oc, pkt);
        if (ret < 0)
            return render_fail_write(ctx, ret, "write failed");
        /* the encoder's flush hands out its lookahead here, a frame each */
        if (is_video && (ret = render_check(ctx)) != 0)
            return ret;
    }
}

int render_mux_finish(render_ctx *ctx)
{
    struct stat st;
    int ret;

    if ((ctx->at && (ret = render_athread_finish(ctx)) < 0) ||
        (ret = render_captions_finish(ctx)) < 0 ||
        (ret = render_reframe_finish(ctx, ctx->v.end_out)) < 0)
        return ret;
    if ((ret = av_write_trailer(ctx->oc)) < 0)
        return render_fail_write(ctx, ret, "cannot finish the file");
    if ((ret = avio_closep(&ctx->oc->pb)) < 0)
        return render_fail_write(ctx, ret, "cannot close");
    if (stat(ctx->out_path, &st) == 0)
        ctx->bytes = (int64_t)st.st_size;
    if ((ret = ave_job_output_commit(ctx->job, ctx->relpath)) < 0)
        return ret;
    ctx->committed = 1;
    return 0;
}
