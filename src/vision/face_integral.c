/* Image preparation for the face detector: the integral and squared
 * integral images (plain, or with columns split by parity for the 2-pixel
 * scan, see face_scan.c), and the bilinear downscale that builds each level
 * of the detection pyramid.
 *
 * Integrals are 32-bit unsigned and allowed to wrap: the detector only ever
 * takes differences of four corners of a window, which modular arithmetic
 * gets exactly right while the window's true sum fits 32 bits. The resize
 * follows OpenCV's INTER_LINEAR (pixel centres aligned, edges clamped,
 * 11-bit weights) so that the cascade sees the pixels it was tuned on, to
 * within a grey level. */
#include <math.h>
#include <string.h>

#include "vision/face_internal.h"

#define COEF_BITS 11
#define COEF_ONE (1 << COEF_BITS)

void face_integral(const uint8_t *img, int w, int h, ptrdiff_t stride, uint32_t *sum,
                   uint32_t *sqsum, ptrdiff_t istride)
{
    memset(sum, 0, (size_t)(w + 1) * sizeof(*sum));
    memset(sqsum, 0, (size_t)(w + 1) * sizeof(*sqsum));
    for (int y = 0; y < h; y++) {
        const uint8_t *row = img + (ptrdiff_t)y * stride;
        const uint32_t *sp = sum + (ptrdiff_t)y * istride;
        const uint32_t *qp = sqsum + (ptrdiff_t)y * istride;
        uint32_t *s = sum + (ptrdiff_t)(y + 1) * istride;
        uint32_t *q = sqsum + (ptrdiff_t)(y + 1) * istride;
        uint32_t rs = 0, rq = 0;
        s[0] = 0;
        q[0] = 0;
        for (int x = 0; x < w; x++) {
            uint32_t v = row[x];
            rs += v;
            rq += v * v;
            s[x + 1] = sp[x + 1] + rs;
            q[x + 1] = qp[x + 1] + rq;
        }
    }
}

void face_integral_split(const uint8_t *img, int w, int h, ptrdiff_t stride, uint32_t *sum,
                         uint32_t *sqsum, ptrdiff_t istride, int half)
{
    /* Column 0 (even, element 0) and the first row are zero. */
    memset(sum, 0, (size_t)istride * sizeof(*sum));
    memset(sqsum, 0, (size_t)istride * sizeof(*sqsum));
    for (int y = 0; y < h; y++) {
        const uint8_t *row = img + (ptrdiff_t)y * stride;
        const uint32_t *sp = sum + (ptrdiff_t)y * istride;
        const uint32_t *qp = sqsum + (ptrdiff_t)y * istride;
        uint32_t *s = sum + (ptrdiff_t)(y + 1) * istride;
        uint32_t *q = sqsum + (ptrdiff_t)(y + 1) * istride;
        uint32_t rs = 0, rq = 0;
        s[0] = 0;
        q[0] = 0;
        /* Pixel x ends integral column x + 1: odd columns for even x. */
        for (int x = 0; x < w; x++) {
            uint32_t v = row[x];
            int e = x & 1 ? (x + 1) / 2 : half + x / 2;
            rs += v;
            rq += v * v;
            s[e] = sp[e] + rs;
            q[e] = qp[e] + rq;
        }
    }
}

/* Source position of a destination pixel centre, split into a clamped
 * integer tap and an 11-bit weight for the next tap. */
static void coord(int d, double scale, int slen, int *pos, int *weight)
{
    double f = (d + 0.5) * scale - 0.5;
    int s = (int)floor(f);
    f -= s;
    if (s < 0) {
        s = 0;
        f = 0;
    }
    if (s >= slen - 1) {
        s = slen - 1;
        f = 0;
    }
    *pos = s;
    *weight = (int)lrint(f * COEF_ONE);
}

static void hrow(const uint8_t *src, int dw, const int *xofs, const int *alpha, int slen,
                 int *out)
{
    for (int x = 0; x < dw; x++) {
        int s = xofs[x];
        int s1 = s + 1 < slen ? s + 1 : s;
        out[x] = src[s] * (COEF_ONE - alpha[x]) + src[s1] * alpha[x];
    }
}

void face_resize(const uint8_t *src, int sw, int sh, ptrdiff_t sstride, uint8_t *dst, int dw,
                 int dh, ptrdiff_t dstride, int *xofs, int *alpha, int *tmp)
{
    double sx = (double)sw / dw, sy = (double)sh / dh;
    int *r0 = tmp, *r1 = tmp + dw;
    int have0 = -1, have1 = -1;

    for (int x = 0; x < dw; x++)
        coord(x, sx, sw, &xofs[x], &alpha[x]);
    for (int y = 0; y < dh; y++) {
        int y0, b;
        coord(y, sy, sh, &y0, &b);
        int y1 = y0 + 1 < sh ? y0 + 1 : y0;
        /* Rows advance monotonically: reuse what the previous row computed. */
        if (have0 != y0) {
            if (have1 == y0) {
                int *t = r0;
                r0 = r1;
                r1 = t;
                have0 = y0;
                have1 = -1;
            } else {
                hrow(src + (ptrdiff_t)y0 * sstride, dw, xofs, alpha, sw, r0);
                have0 = y0;
            }
        }
        if (have1 != y1) {
            hrow(src + (ptrdiff_t)y1 * sstride, dw, xofs, alpha, sw, r1);
            have1 = y1;
        }
        uint8_t *d = dst + (ptrdiff_t)y * dstride;
        int b0 = COEF_ONE - b;
        for (int x = 0; x < dw; x++)
            d[x] = (uint8_t)((r0[x] * b0 + r1[x] * b + (1 << (2 * COEF_BITS - 1))) >>
                             (2 * COEF_BITS));
    }
}
