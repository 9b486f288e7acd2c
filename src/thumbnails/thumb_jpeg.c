/* JPEG output with libavcodec's mjpeg encoder (no extra image library).
 *
 * Upload sites cap thumbnails (YouTube: 2 MB), so quality starts high
 * (qscale 2) and is lowered step by step until the file fits. Full-range
 * 4:2:0 (yuvj420p), as every JPEG decoder expects. */
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "thumbnails/thumb.h"

/* Encode at one qscale; *pkt receives the JPEG. */
static int encode_q(const AVFrame *yuv, int q, AVPacket *pkt)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    AVCodecContext *enc = NULL;
    int ret = AVERROR_ENCODER_NOT_FOUND;

    if (!codec || !(enc = avcodec_alloc_context3(codec)))
        goto out;
    enc->width = yuv->width;
    enc->height = yuv->height;
    enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
    enc->time_base = (AVRational){1, 25};
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = FF_QP2LAMBDA * q;
    enc->qmin = enc->qmax = q;
    if ((ret = avcodec_open2(enc, codec, NULL)) < 0)
        goto out;
    if ((ret = avcodec_send_frame(enc, yuv)) < 0 || (ret = avcodec_send_frame(enc, NULL)) < 0)
        goto out;
    ret = avcodec_receive_packet(enc, pkt);
out:
    avcodec_free_context(&enc);
    return ret;
}

int thumb_jpeg_write(ave_job *job, const thumb_image *img, const char *path, int64_t max_bytes,
                     int64_t *bytes)
{
    AVFrame *yuv = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    struct SwsContext *sws = NULL;
    FILE *fp = NULL;
    const uint8_t *src[4] = {(const uint8_t *)img->px, NULL, NULL, NULL};
    int src_ls[4] = {img->width * 4, 0, 0, 0};
    int ret, q;

    if (!yuv || !pkt) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    yuv->format = AV_PIX_FMT_YUVJ420P;
    yuv->width = img->width;
    yuv->height = img->height;
    yuv->quality = 0;
    /* convert to plain yuv420p at full range (swscale deprecates the
     * yuvj formats); the planes are identical, only the label differs */
    if (av_frame_get_buffer(yuv, 0) < 0 ||
        !(sws = sws_getContext(img->width, img->height, AV_PIX_FMT_RGB32, img->width, img->height,
                               AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL, NULL)) ||
        sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_ITU601), 1,
                                 sws_getCoefficients(SWS_CS_ITU601), 1, 0, 1 << 16, 1 << 16) < 0 ||
        sws_scale(sws, src, src_ls, 0, img->height, yuv->data, yuv->linesize) != img->height) {
        ret = ave_job_fail(job, AVE_ERR_INTERNAL, "%s: cannot convert the picture for JPEG", path);
        goto out;
    }
    for (q = 2; q <= 31; q += q < 6 ? 1 : 3) {
        av_packet_unref(pkt);
        yuv->quality = FF_QP2LAMBDA * q;
        if ((ret = encode_q(yuv, q, pkt)) < 0) {
            ret = ave_job_fail(job, AVE_ERR_INTERNAL, "%s: JPEG encoding failed: %s", path,
                               av_err2str(ret));
            goto out;
        }
        if (pkt->size <= max_bytes)
            break;
    }
    if (pkt->size > max_bytes) {
        ret = ave_job_fail(job, AVE_ERR_INTERNAL, "%s: JPEG stays above %lld bytes", path,
                           (long long)max_bytes);
        goto out;
    }
    if (!(fp = fopen(path, "wb")) || fwrite(pkt->data, 1, (size_t)pkt->size, fp) != (size_t)pkt->size) {
        ret = ave_job_fail(job, AVE_ERR_IO, "%s: cannot write", path);
        goto out;
    }
    if (fclose(fp) != 0) {
        fp = NULL;
        ret = ave_job_fail(job, AVE_ERR_IO, "%s: cannot write", path);
        goto out;
    }
    fp = NULL;
    *bytes = pkt->size;
    ret = 0;
out:
    if (fp)
        fclose(fp);
    sws_freeContext(sws);
    av_packet_free(&pkt);
    av_frame_free(&yuv);
    return ret;
}
