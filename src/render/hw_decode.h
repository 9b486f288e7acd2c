/* Hardware video decoding for the render pass (--enable-gpu-acceleration):
 * NVDEC through a CUDA device, or VAAPI, whichever the gpu stage found.
 *
 * The render pass crossfades, overlays and scales frames in system memory,
 * so every hardware frame is copied back (av_hwframe_transfer_data) and
 * unpacked to the planar 4:2:0 the CPU decoder gives. H.264 and HEVC
 * decoding is bit-exact by their standards and the NV12 -> yuv420p unpack
 * moves samples without arithmetic, so the encoder sees the same pictures
 * either way, and with libx264 the output is byte-identical (docs/GPU.md). */
#ifndef AVE_RENDER_HW_DECODE_H
#define AVE_RENDER_HW_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>

typedef struct render_hwdec render_hwdec;

/* Attach hardware device `device` ("cuda", "vaapi") to decoder context dec,
 * before avcodec_open2. Only 8-bit 4:2:0 sources are attached: a deeper or
 * wider format would be converted from the device's P010/P016 layout by
 * arithmetic, and could differ from the CPU decode's conversion.
 * limit_bytes > 0 is --gpu-memory-limit: a decoder whose surfaces may not fit
 * in it is not attached (render_hwdec_bound_bytes).
 * Returns 0 with *out set (free it with render_hwdec_free after dec), or a
 * negative code with a one-line reason in why (the caller decodes on the
 * CPU). Sets dec->opaque and dec->get_format: the caller must not use them. */
int render_hwdec_attach(render_hwdec **out, AVCodecContext *dec, const char *device,
                        double limit_bytes, char *why, size_t whylen);

/* The device memory a hardware decoder of a w x h 8-bit 4:2:0 stream may
 * hold: its surface pool, sized by FFmpeg to the codec's reference pictures
 * (at most 16 in H.264 and HEVC, fewer in VP9 and AV1) plus the picture
 * being decoded and the one being copied back, each an NV12 picture padded
 * to the 16-line alignment the decoders use. The pool cannot be made
 * smaller than the stream's references, so --gpu-memory-limit can only
 * decide whether the device decodes at all: render_hwdec_attach refuses
 * when this bound exceeds limit_bytes (> 0). */
double render_hwdec_bound_bytes(int width, int height);

/* What the attached decoder was charged against the memory limit
 * (render_hwdec_bound_bytes of its size); 0 for NULL. The encoder gets
 * what is left when it uses the same device. */
double render_hwdec_bytes(const render_hwdec *h);

/* Replace a frame decoded on the device by its copy in system memory, as
 * yuv420p with the frame's properties (timestamps, colour range) kept.
 * Returns 1 when it copied, 0 when the frame was already in system memory
 * (FFmpeg fell back to the software decoder), or a negative code. */
int render_hwdec_download(render_hwdec *h, AVFrame *frame);

/* Frames that came from the device so far. */
int64_t render_hwdec_frames(const render_hwdec *h);

/* The device's name, as given to render_hwdec_attach. */
const char *render_hwdec_device(const render_hwdec *h);

void render_hwdec_free(render_hwdec **h);

/* The get_format callback render_hwdec_attach installs, exposed for its unit
 * test. dec->opaque points to the device's pixel format (an enum
 * AVPixelFormat): that format when the decoder offers it, else FFmpeg's
 * default choice among the software formats (its own fallback when the
 * device cannot take this stream). */
enum AVPixelFormat render_hwdec_get_format(AVCodecContext *dec, const enum AVPixelFormat *fmts);

/* Unpack src (same size, 8-bit 4:2:0 in any layout, e.g. NV12) into dst as
 * yuv420p, copying the frame properties. *sws is a cached context the caller
 * frees with sws_freeContext. dst must be empty (unreferenced). */
int render_frame_to_yuv420p(struct SwsContext **sws, const AVFrame *src, AVFrame *dst);

#endif
