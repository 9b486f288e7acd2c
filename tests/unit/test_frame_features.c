/* Frame measurements on synthetic pictures with hand-computed answers:
 * Laplacian variance of a tiny image, sharp vs box-blurred checkerboard,
 * colourfulness of grey and of a red/blue picture, exposure and clipping
 * fractions, motion, luma weights and the signature distance. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "vision/frames_internal.h"

static frame_picture pic_new(int w, int h)
{
    frame_picture p = {.width = w, .height = h};
    p.rgb = calloc((size_t)w * h * 3, 1);
    p.luma = calloc((size_t)w * h, 1);
    return p;
}

static void pic_free(frame_picture *p)
{
    free(p->rgb);
    free(p->luma);
}

static void set_px(frame_picture *p, int x, int y, int r, int g, int b)
{
    uint8_t *q = p->rgb + ((size_t)y * p->width + x) * 3;
    q[0] = (uint8_t)r;
    q[1] = (uint8_t)g;
    q[2] = (uint8_t)b;
}

static void test_laplacian_by_hand(void)
{
    /* A single 9 at (1,1) in a 4x4 field of zeros: the interior Laplacians
     * are -36 at (1,1), 9 at (2,1) and (1,2), 0 at (2,2): mean -4.5, mean
     * square 364.5, variance 364.5 - 20.25 = 344.25. */
    uint8_t img[16] = {0};
    img[1 * 4 + 1] = 9;
    CHECK_NEAR(frame_sharpness(img, 4, 4), 344.25, 1e-9);
    /* A flat picture has none; a linear ramp neither (its Laplacian is 0). */
    uint8_t flat[25], ramp[25];
    for (int i = 0; i < 25; i++) {
        flat[i] = 77;
        ramp[i] = (uint8_t)(10 * (i % 5) + 20 * (i / 5));
    }
    CHECK_NEAR(frame_sharpness(flat, 5, 5), 0.0, 1e-12);
    CHECK_NEAR(frame_sharpness(ramp, 5, 5), 0.0, 1e-12);
    CHECK_NEAR(frame_sharpness(img, 2, 2), 0.0, 1e-12);
}

static void test_sharp_vs_blurred(void)
{
    enum { W = 64, H = 48 };
    uint8_t sharp[W * H], blur[W * H];

    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            sharp[y * W + x] = ((x / 4 + y / 4) % 2) ? 220 : 30;
    /* 5x5 box blur (edges clamped). */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int s = 0;
            for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++) {
                    int xx = x + dx < 0 ? 0 : x + dx >= W ? W - 1 : x + dx;
                    int yy = y + dy < 0 ? 0 : y + dy >= H ? H - 1 : y + dy;
                    s += sharp[yy * W + xx];
                }
            blur[y * W + x] = (uint8_t)((s + 12) / 25);
        }
    double s1 = frame_sharpness(sharp, W, H), s2 = frame_sharpness(blur, W, H);
    fprintf(stderr, "checkerboard sharpness %.1f, box-blurred %.1f\n", s1, s2);
    CHECK(s1 > 10 * s2);
    CHECK(s2 > 0);
}

static void test_colourfulness(void)
{
    frame_picture p = pic_new(8, 4);

    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 8; x++)
            set_px(&p, x, y, 16 * x + y, 16 * x + y, 16 * x + y); /* greys */
    CHECK_NEAR(frame_colourfulness(p.rgb, 8, 4), 0.0, 1e-9);
    /* Half pure red, half pure blue: rg = 255 | 0, yb = 127.5 | -255, so
     * sigma_rg = 127.5, sigma_yb = 191.25, mu_rg = 127.5, mu_yb = -63.75 and
     * M = sqrt(127.5^2 + 191.25^2) + 0.3 sqrt(127.5^2 + 63.75^2)
     *   = 229.8539 + 0.3 * 142.5493 = 272.6187. */
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 8; x++)
            if (x < 4)
                set_px(&p, x, y, 255, 0, 0);
            else
                set_px(&p, x, y, 0, 0, 255);
    CHECK_NEAR(frame_colourfulness(p.rgb, 8, 4), 272.6187, 1e-3);
    /* One colour only: no spread, M = 0.3 * |mean|: pure green has rg = -255,
     * yb = 127.5 -> 0.3 * sqrt(255^2 + 127.5^2) = 0.3 * 285.0987 = 85.5296. */
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 8; x++)
            set_px(&p, x, y, 0, 255, 0);
    CHECK_NEAR(frame_colourfulness(p.rgb, 8, 4), 85.5296, 1e-3);
    pic_free(&p);
}

static void test_exposure(void)
{
    /* 20 pixels: 5 at 0, 3 at 16, 2 at 17, 6 at 128, 3 at 250, 1 at 255. */
    uint8_t v[20] = {0, 0, 0, 0, 0, 16, 16, 16, 17, 17, 128, 128, 128, 128, 128, 128,
                     250, 250, 250, 255};
    frame_exposure ex;
    double mean = 0, sq = 0;

    frame_measure_exposure(v, 5, 4, &ex);
    CHECK_NEAR(ex.clip_dark, 8.0 / 20.0, 1e-12);
    CHECK_NEAR(ex.clip_bright, 4.0 / 20.0, 1e-12);
    for (int i = 0; i < 20; i++) {
        mean += v[i];
        sq += (double)v[i] * v[i];
    }
    mean /= 20; /* (48 + 34 + 768 + 750 + 255) / 20 = 92.75 */
    CHECK_NEAR(mean, 92.75, 1e-12);
    CHECK_NEAR(ex.brightness, 92.75 / 255.0, 1e-9);
    CHECK_NEAR(ex.contrast, sqrt(sq / 20 - mean * mean) / 255.0, 1e-9);

    uint8_t black[64] = {0};
    frame_measure_exposure(black, 8, 8, &ex);
    CHECK_NEAR(ex.brightness, 0.0, 1e-12);
    CHECK_NEAR(ex.contrast, 0.0, 1e-12);
    CHECK_NEAR(ex.clip_dark, 1.0, 1e-12);
    CHECK_NEAR(ex.clip_bright, 0.0, 1e-12);
}

static void test_luma_and_motion(void)
{
    frame_picture p = pic_new(4, 1);
    set_px(&p, 0, 0, 255, 255, 255);
    set_px(&p, 1, 0, 255, 0, 0);
    set_px(&p, 2, 0, 0, 255, 0);
    set_px(&p, 3, 0, 0, 0, 255);
    frame_picture_luma(&p);
    CHECK_EQ_INT(p.luma[0], 255);
    CHECK_EQ_INT(p.luma[1], 77);  /* (77 * 255 + 128) >> 8 */
    CHECK_EQ_INT(p.luma[2], 149); /* (150 * 255 + 128) >> 8 */
    CHECK_EQ_INT(p.luma[3], 29);
    pic_free(&p);

    uint8_t a[100], b[100];
    for (int i = 0; i < 100; i++) {
        a[i] = (uint8_t)(i + 60);
        b[i] = (uint8_t)(i % 2 ? a[i] + 51 : a[i] - 51);
    }
    CHECK_NEAR(frame_motion(a, b, 10, 10), 0.2, 1e-12);
    CHECK_NEAR(frame_motion(a, a, 10, 10), 0.0, 1e-12);
}

static void test_signature(void)
{
    enum { W = 64, H = 48 };
    frame_picture c = pic_new(W, H), k = pic_new(W, H), half = pic_new(W, H);
    frame_signature sc, sk, sh;

    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int on = (x / 8 + y / 8) % 2;
            set_px(&c, x, y, on ? 230 : 20, on ? 180 : 40, on ? 30 : 200);
            set_px(&half, x, y, on ? 115 : 10, on ? 90 : 20, on ? 15 : 100);
        }
    frame_picture_luma(&c);
    frame_picture_luma(&k); /* black */
    frame_picture_luma(&half);
    frame_signature_compute(&c, &sc);
    frame_signature_compute(&k, &sk);
    frame_signature_compute(&half, &sh);
    CHECK_NEAR(frame_signature_distance(&sc, &sc), 0.0, 1e-9);
    double d_black = frame_signature_distance(&sc, &sk), d_half = frame_signature_distance(&sc, &sh);
    CHECK_NEAR(d_black, frame_signature_distance(&sk, &sc), 1e-9);
    fprintf(stderr, "signature distance: to black %.3f, to half brightness %.3f\n", d_black, d_half);
    /* Black has no edges and no hue: luma, hue and edge terms all maximal. */
    CHECK_NEAR(d_black, 1.0, 1e-6);
    /* The same picture at half brightness keeps its edges and hues: only the
     * luma histogram moves. */
    CHECK(d_half <= 0.35 + 1e-6);
    CHECK(d_half > 0.1);
    pic_free(&c);
    pic_free(&k);
    pic_free(&half);
}

/* A face box at (16, 16) of 32x32 in a 64x64 picture: a change in its
 * mouth band counts, the same change over the whole face (the head moving)
 * or none does not, and a band clipped at the picture's edge is fine. */
static void test_mouth_motion(void)
{
    enum { W = 64, H = 64 };
    static uint8_t a[W * H], b[W * H];
    double x = 16.0 / W, y = 16.0 / H, w = 32.0 / W, h = 32.0 / H;

    memset(a, 100, sizeof(a));
    memcpy(b, a, sizeof(b));
    CHECK_NEAR(frame_mouth_motion(b, a, W, H, x, y, w, h), 0, 1e-12);
    for (int r = 16 + 24; r < 16 + 32; r++) /* the lowest quarter: the mouth */
        for (int c = 16; c < 48; c++)
            b[r * W + c] = 151;
    CHECK(frame_mouth_motion(b, a, W, H, x, y, w, h) > 0.15);
    memset(b, 151, sizeof(b)); /* everything changes alike */
    CHECK_NEAR(frame_mouth_motion(b, a, W, H, x, y, w, h), 0, 1e-12);
    /* a box hanging over the bottom edge */
    CHECK(frame_mouth_motion(b, a, W, H, 0.5, 0.9, 0.4, 0.4) >= 0);
}

int main(void)
{
    test_mouth_motion();
    test_laplacian_by_hand();
    test_sharp_vs_blurred();
    test_colourfulness();
    test_exposure();
    test_luma_and_motion();
    test_signature();
    return CHECK_DONE();
}
