/* Test and benchmark helper: decode a still image (PNG, JPEG, ...) with
 * FFmpeg and convert it to 8-bit grey, optionally resized (swscale, area
 * averaging when shrinking). Header-only; the library never uses it.
 *
 * image_load_gray(path, w, h, &pix, &w_out, &h_out): w/h 0 keep the image's
 * size. *pix is malloc'd (caller frees), rows packed (stride = width).
 * Returns 0 or a negative value (with a line on stderr). */
#ifndef AVE_TEST_IMAGE_LOAD_H
#define AVE_TEST_IMAGE_LOAD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

static int image_load_gray(const char *path, int want_w, int want_h, uint8_t **pix, int *w_out,
                           int *h_out)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    struct SwsContext *sws = NULL;
    int ret, got = 0, si;

    *pix = NULL;
    if (!pkt || !frame) {
        ret = AVERROR(ENOMEM);
        goto out;
    }
    if ((ret = avformat_open_input(&fmt, path, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(fmt, NULL)) < 0)
        goto out;
    si = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (si < 0) {
        ret = si;
        goto out;
    }
    const AVCodec *codec = avcodec_find_decoder(fmt->streams[si]->codecpar->codec_id);
    if (!codec || !(dec = avcodec_alloc_context3(codec))) {
        ret = AVERROR_DECODER_NOT_FOUND;
        goto out;
    }
    if ((ret = avcodec_parameters_to_context(dec, fmt->streams[si]->codecpar)) < 0 ||
        (ret = avcodec_open2(dec, codec, NULL)) < 0)
        goto out;
    while (!got && av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == si && avcodec_send_packet(dec, pkt) >= 0)
            got = avcodec_receive_frame(dec, frame) >= 0;
        av_packet_unref(pkt);
    }
    if (!got) {
        avcodec_send_packet(dec, NULL);
        got = avcodec_receive_frame(dec, frame) >= 0;
    }
    if (!got) {
        ret = AVERROR_INVALIDDATA;
        goto out;
    }
    int w = want_w > 0 ? want_w : frame->width, h = want_h > 0 ? want_h : frame->height;
    sws = sws_getContext(frame->width, frame->height, frame->format, w, h, AV_PIX_FMT_GRAY8,
                         w < frame->width ? SWS_AREA : SWS_BICUBIC, NULL, NULL, NULL);
    *pix = malloc((size_t)w * h);
    if (!sws || !*pix) {
        ret = AVERROR(ENOMEM);
        goto out;
    }
    uint8_t *dst[4] = {*pix, NULL, NULL, NULL};
    int dst_stride[4] = {w, 0, 0, 0};
    sws_scale(sws, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height, dst,
              dst_stride);
    *w_out = w;
    *h_out = h;
    ret = 0;
out:
    if (ret < 0) {
        char msg[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(ret, msg, sizeof(msg));
        fprintf(stderr, "%s: cannot load image: %s\n", path, msg);
        free(*pix);
        *pix = NULL;
    }
    sws_freeContext(sws);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    av_frame_free(&frame);
    return ret;
}

#endif
