/* Integral images and the pyramid resize of the face detector, checked on
 * small arrays whose sums were worked out by hand. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "vision/face_internal.h"

int main(void)
{
    /* 3x2 image, stride 4 (one padding byte that must be ignored). */
    const uint8_t img[] = {1, 2, 3, 99, 4, 5, 6, 99};
    uint32_t sum[5 * 3], sq[5 * 3];
    memset(sum, 0xAA, sizeof(sum));
    memset(sq, 0xAA, sizeof(sq));
    face_integral(img, 3, 2, 4, sum, sq, 5);
    /* Row 0 and column 0 are zero; sum[y][x] = sum of img[0..y-1][0..x-1]. */
    const uint32_t want_sum[3][4] = {{0, 0, 0, 0}, {0, 1, 3, 6}, {0, 5, 12, 21}};
    const uint32_t want_sq[3][4] = {{0, 0, 0, 0}, {0, 1, 5, 14}, {0, 17, 46, 91}};
    for (int y = 0; y < 3; y++)
        for (int x = 0; x < 4; x++) {
            CHECK_EQ_INT(sum[y * 5 + x], want_sum[y][x]);
            CHECK_EQ_INT(sq[y * 5 + x], want_sq[y][x]);
        }
    /* A rectangle from four corners: pixels (1,0)-(2,1) = 2+3+5+6 = 16,
     * squares 4+9+25+36 = 74. */
    CHECK_EQ_INT(sum[2 * 5 + 3] - sum[2 * 5 + 1] - sum[0 * 5 + 3] + sum[0 * 5 + 1], 16);
    CHECK_EQ_INT(sq[2 * 5 + 3] - sq[2 * 5 + 1] - sq[0 * 5 + 3] + sq[0 * 5 + 1], 74);

    /* Wrap-around: a 300x300 white image has a squared total of 5.85e9,
     * beyond 32 bits, yet a 24x24 window at the far corner is still exact:
     * 576 * 65025 = 37454400. */
    enum { N = 300 };
    static uint8_t white[N * N];
    static uint32_t bs[(N + 1) * (N + 1)], bq[(N + 1) * (N + 1)];
    memset(white, 255, sizeof(white));
    face_integral(white, N, N, N, bs, bq, N + 1);
    int x0 = N - 24, y0 = N - 24, s = N + 1;
    uint32_t wq = bq[N * s + N] - bq[N * s + x0] - bq[y0 * s + N] + bq[y0 * s + x0];
    uint32_t ws = bs[N * s + N] - bs[N * s + x0] - bs[y0 * s + N] + bs[y0 * s + x0];
    CHECK_EQ_INT(wq, 37454400);
    CHECK_EQ_INT(ws, 576 * 255);

    /* Resize: identity at equal size; halving averages each 2x2 block's
     * columns and rows (source centres 0.5 and 2.5 fall between pixels). */
    const uint8_t src[16] = {10, 20, 30, 40, 50, 60, 70, 80, 0, 0, 100, 100, 0, 0, 100, 200};
    uint8_t dst[16];
    int xofs[4], alpha[4], tmp[8];
    face_resize(src, 4, 4, 4, dst, 4, 4, 4, xofs, alpha, tmp);
    CHECK(memcmp(src, dst, 16) == 0);
    face_resize(src, 4, 4, 4, dst, 2, 2, 2, xofs, alpha, tmp);
    CHECK_EQ_INT(dst[0], 35);  /* (10+20+50+60)/4 */
    CHECK_EQ_INT(dst[1], 55);  /* (30+40+70+80)/4 */
    CHECK_EQ_INT(dst[2], 0);
    CHECK_EQ_INT(dst[3], 125); /* (100+100+100+200)/4 */
    /* Shrinking 4 -> 3 (scale 4/3): destinations sample sources 0.1667,
     * 1.5 and 2.8333, with 11-bit weights 341/2048, 1024/2048, 1707/2048:
     * 10 + 10*341/2048 = 11.67 -> 12; (20+30)/2 = 25; 30 + 10*1707/2048 =
     * 38.33 -> 38. */
    face_resize(src, 4, 1, 4, dst, 3, 1, 3, xofs, alpha, tmp);
    CHECK_EQ_INT(dst[0], 12);
    CHECK_EQ_INT(dst[1], 25);
    CHECK_EQ_INT(dst[2], 38);
    return CHECK_DONE();
}
