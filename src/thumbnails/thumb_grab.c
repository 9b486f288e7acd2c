/* Frame grab: the chosen source times decoded at full resolution.
 *
 * The analysis pass saw a reduced picture; a thumbnail needs the real one.
 * For each time we seek to the keyframe before it, decode forward and keep
 * the last frame that starts at or before the time (the frame on screen
 * then), convert it to cairo's RGB24 layout and rotate it for display.
 * Source time follows the project convention: pts * time_base - start_time. */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "thumbnails/thumb.h"

void thumb_image_free(thumb_image *img)
{
    if (!img)
        return;
    free(img->px);
    img->px = NULL;
    img->width = img->height = 0;
}

/* Convert frame into img (RGB24 layout), rotated clockwise by rot degrees. */
static int to_image(struct SwsContext **sws, const AVFrame *f, int rot, thumb_image *img)
{
    int w = f->width, h = f->height;
    uint32_t *tmp = malloc((size_t)w * h * sizeof(*tmp));
    uint8_t *dst[4] = {(uint8_t *)tmp, NULL, NULL, NULL};
    int dst_ls[4] = {w * 4, 0, 0, 0};
    int ret = AVE_ERR_NOMEM;

    if (!tmp)
        goto out;
    *sws = sws_getCachedContext(*sws, w, h, f->format, w, h, AV_PIX_FMT_RGB32, SWS_BICUBIC, NULL,
                                NULL, NULL);
    ret = AVE_ERR_INTERNAL;
    if (!*sws)
        goto out;
    /* the source's own matrix and range (HD video is BT.709, JPEG-like
     * sources full range); swscale assumes BT.601 limited otherwise */
    sws_setColorspaceDetails(*sws, sws_getCoefficients(f->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_DEFAULT),
                             f->color_range == AVCOL_RANGE_JPEG || f->format == AV_PIX_FMT_YUVJ420P,
                             sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
    if (sws_scale(*sws, (const uint8_t *const *)f->data, f->linesize, 0, h, dst, dst_ls) != h)
        goto out;
    if (rot == 0) {
        img->px = tmp;
        img->width = w;
        img->height = h;
        tmp = NULL;
        ret = 0;
        goto out;
    }
    img->width = rot == 180 ? w : h;
    img->height = rot == 180 ? h : w;
    ret = AVE_ERR_NOMEM;
    if (!(img->px = malloc((size_t)w * h * sizeof(*img->px))))
        goto out;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t p = tmp[(size_t)y * w + x];
            if (rot == 90) /* clockwise: top row becomes the right column */
                img->px[(size_t)x * h + (h - 1 - y)] = p;
            else if (rot == 270)
                img->px[(size_t)(w - 1 - x) * h + y] = p;
            else
                img->px[(size_t)(h - 1 - y) * w + (w - 1 - x)] = p;
        }
    ret = 0;
out:
    free(tmp);
    return ret;
}

/* Decode forward from the current position up to target (stream ticks);
 * *kept receives the last frame at or before it (or the first after it when
 * the stream starts later). Checks the job's timeout per packet: reaching a
 * frame may mean decoding a whole GOP, seconds at 8K. A stop (timeout,
 * cancel) returns its code in *stop (AVE_ERR_*, already on the job), apart
 * from FFmpeg's codes. */
static int decode_to(ave_job *job, double done, AVFormatContext *ic, AVCodecContext *dec,
                     int index, int64_t target, AVPacket *pkt, AVFrame *frame, AVFrame *kept,
                     int *have, int *stop)
{
    int ret = 0, eof = 0;
    *have = 0;
    while (1) {
        while ((ret = avcodec_receive_frame(dec, frame)) >= 0) {
            int64_t pts = frame->best_effort_timestamp;
            if (*have && pts != AV_NOPTS_VALUE && pts > target) {
                av_frame_unref(frame);
                return 0;
            }
            av_frame_unref(kept);
            av_frame_move_ref(kept, frame);
            *have = 1;
            if (pts != AV_NOPTS_VALUE && pts >= target)
                return 0;
        }
        if (ret != AVERROR(EAGAIN))
            return ret == AVERROR_EOF ? 0 : ret;
        if (eof)
            return 0;
        ret = av_read_frame(ic, pkt);
        if (ret == AVERROR_EOF) {
            eof = 1;
            avcodec_send_packet(dec, NULL);
            continue;
        }
        if (ret < 0)
            return ret;
        if (pkt->stream_index == index)
            ret = avcodec_send_packet(dec, pkt);
        av_packet_unref(pkt);
        if (ret < 0 && ret != AVERROR(EAGAIN))
            return ret;
        if ((*stop = ave_job_progress(job, done)) != 0)
            return 0;
    }
}

int thumb_grab(ave_job *job, const int64_t *times_us, size_t count, thumb_image *imgs)
{
    AVFormatContext *ic = NULL;
    AVCodecContext *dec = NULL;
    struct SwsContext *sws = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc(), *kept = av_frame_alloc();
    const AVCodec *codec;
    AVStream *st;
    int64_t start_us;
    int index = job->media.video_stream, ret, stop = 0;

    if (!pkt || !frame || !kept) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "thumbnails: out of memory");
        goto out;
    }
    if ((ret = avformat_open_input(&ic, job->input_path, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(ic, NULL)) < 0) {
        ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot open for thumbnails: %s",
                           job->input_path, av_err2str(ret));
        goto out;
    }
    if (index < 0 || index >= (int)ic->nb_streams) {
        ret = ave_job_fail(job, AVE_ERR_INTERNAL, "%s: video stream %d missing", job->input_path,
                           index);
        goto out;
    }
    for (unsigned i = 0; i < ic->nb_streams; i++)
        if ((int)i != index)
            ic->streams[i]->discard = AVDISCARD_ALL;
    st = ic->streams[index];
    start_us = ic->start_time != AV_NOPTS_VALUE ? ic->start_time : 0;
    if (!(codec = avcodec_find_decoder(st->codecpar->codec_id)) ||
        !(dec = avcodec_alloc_context3(codec)) ||
        avcodec_parameters_to_context(dec, st->codecpar) < 0) {
        ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: no decoder for the video", job->input_path);
        goto out;
    }
    dec->thread_count = job->threads > 0 ? job->threads : 0;
    if ((ret = avcodec_open2(dec, codec, NULL)) < 0) {
        ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot open the video decoder: %s",
                           job->input_path, av_err2str(ret));
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        int64_t target = av_rescale_q(times_us[i] + start_us, AV_TIME_BASE_Q, st->time_base);
        int have = 0;
        if ((ret = av_seek_frame(ic, index, target, AVSEEK_FLAG_BACKWARD)) < 0)
            ret = av_seek_frame(ic, index, target, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY);
        avcodec_flush_buffers(dec);
        if (ret >= 0)
            ret = decode_to(job, 0.5 * (double)i / (double)count, ic, dec, index, target, pkt,
                            frame, kept, &have, &stop);
        if (stop) {
            ret = stop; /* the job's message is set */
            goto out;
        }
        if (ret < 0 || !have) {
            /* Seeking by time finds nothing when the timestamps restart
             * part-way (recordings joined with cat): say so, with the fix. */
            int discont = (ic->iformat->flags & AVFMT_TS_DISCONT) && ret >= 0;
            ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot decode the frame at %.3f s: %s",
                               job->input_path, (double)times_us[i] / 1e6,
                               ret < 0 ? av_err2str(ret)
                               : discont ? "no frame has that time; the timestamps of this "
                                           "stream restart or jump (joined recordings?): remux "
                                           "it first, e.g. ffmpeg -i IN -c copy OUT.mp4"
                                         : "no frame has that time");
            goto out;
        }
        if ((ret = to_image(&sws, kept, job->media.rotation_deg, &imgs[i])) < 0) {
            ret = ave_job_fail(job, ret, "%s: cannot convert the frame at %.3f s",
                               job->input_path, (double)times_us[i] / 1e6);
            goto out;
        }
        av_frame_unref(kept);
        if ((ret = ave_job_progress(job, 0.5 * (double)(i + 1) / (double)count)) != 0)
            goto out;
    }
    ret = 0;
out:
    sws_freeContext(sws);
    av_frame_free(&frame);
    av_frame_free(&kept);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&ic);
    return ret;
}
