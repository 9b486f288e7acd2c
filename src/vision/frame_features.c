/* Per-picture measurements of the frames stage: sharpness, exposure,
 * colourfulness, motion and the signature scene detection compares.
 *
 * Everything works on the small analysis picture (about 320 px on the long
 * side), so a full pass over it costs well under a millisecond; sums are
 * kept in 64-bit integers where the inputs are integers, so results do not
 * depend on summation order. Luma is full range (0..255) because the sampler
 * converts through RGB, which expands limited-range video. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vision/frames_internal.h"

void frame_picture_luma(frame_picture *pic)
{
    size_t n = (size_t)pic->width * (size_t)pic->height;
    const uint8_t *p = pic->rgb;

    /* BT.601 weights in 8-bit fixed point; they sum to 256 so white stays 255. */
    for (size_t i = 0; i < n; i++, p += 3)
        pic->luma[i] = (uint8_t)((77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8);
}

double frame_sharpness(const uint8_t *luma, int width, int height)
{
    int64_t sum = 0, sumsq = 0, n;

    if (width < 3 || height < 3)
        return 0;
    for (int y = 1; y < height - 1; y++) {
        const uint8_t *r = luma + (size_t)y * (size_t)width;
        for (int x = 1; x < width - 1; x++) {
            int l = r[x - width] + r[x + width] + r[x - 1] + r[x + 1] - 4 * r[x];
            sum += l;
            sumsq += (int64_t)l * l;
        }
    }
    n = (int64_t)(width - 2) * (height - 2);
    return ((double)sumsq - (double)sum * (double)sum / (double)n) / (double)n;
}

void frame_measure_exposure(const uint8_t *luma, int width, int height, frame_exposure *out)
{
    size_t n = (size_t)width * (size_t)height;
    int64_t hist[256] = {0}, sum = 0, sumsq = 0, dark = 0, bright = 0;
    double mean, var;

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        hist[luma[i]]++;
    for (int v = 0; v < 256; v++) {
        sum += hist[v] * v;
        sumsq += hist[v] * v * v;
        if (v <= 16)
            dark += hist[v];
        if (v >= 250)
            bright += hist[v];
    }
    mean = (double)sum / (double)n;
    var = (double)sumsq / (double)n - mean * mean;
    out->brightness = mean / 255.0;
    out->contrast = sqrt(var > 0 ? var : 0) / 255.0;
    out->clip_dark = (double)dark / (double)n;
    out->clip_bright = (double)bright / (double)n;
}

double frame_colourfulness(const uint8_t *rgb, int width, int height)
{
    size_t n = (size_t)width * (size_t)height;
    /* yb is kept doubled (R + G - 2B) so every sum stays an exact integer. */
    int64_t s_rg = 0, s_rg2 = 0, s_yb2x = 0, s_yb2x2 = 0;
    double m_rg, m_yb, v_rg, v_yb;

    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++, rgb += 3) {
        int rg = rgb[0] - rgb[1], yb2 = rgb[0] + rgb[1] - 2 * rgb[2];
        s_rg += rg;
        s_rg2 += (int64_t)rg * rg;
        s_yb2x += yb2;
        s_yb2x2 += (int64_t)yb2 * yb2;
    }
    m_rg = (double)s_rg / (double)n;
    m_yb = (double)s_yb2x / (double)n / 2.0;
    v_rg = (double)s_rg2 / (double)n - m_rg * m_rg;
    v_yb = (double)s_yb2x2 / (double)n / 4.0 - m_yb * m_yb;
    if (v_rg < 0)
        v_rg = 0;
    if (v_yb < 0)
        v_yb = 0;
    return sqrt(v_rg + v_yb) + 0.3 * sqrt(m_rg * m_rg + m_yb * m_yb);
}

double frame_motion(const uint8_t *luma, const uint8_t *prev, int width, int height)
{
    size_t n = (size_t)width * (size_t)height;
    int64_t sum = 0;

    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        sum += abs(luma[i] - prev[i]);
    return (double)sum / (double)n / 255.0;
}

/* Mean absolute change over the pixels of [x0, x1) x [y0, y1), clamped to
 * the picture; 0 for an empty band. */
static double band_change(const uint8_t *luma, const uint8_t *prev, int width, int height,
                          double x0, double x1, double y0, double y1)
{
    int c0 = (int)(x0 * width), c1 = (int)(x1 * width), r0 = (int)(y0 * height),
        r1 = (int)(y1 * height);
    int64_t sum = 0, n = 0;

    c0 = c0 < 0 ? 0 : c0, r0 = r0 < 0 ? 0 : r0;
    c1 = c1 > width ? width : c1, r1 = r1 > height ? height : r1;
    for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++, n++)
            sum += abs(luma[(size_t)r * width + c] - prev[(size_t)r * width + c]);
    return n ? (double)sum / (double)n : 0;
}

double frame_mouth_motion(const uint8_t *luma, const uint8_t *prev, int width, int height,
                          double x, double y, double w, double h)
{
    /* the middle half across; the mouth in the lowest quarter of the box
     * and a little below it, the eyes between a fifth and a half down */
    double a = x + 0.25 * w, b = x + 0.75 * w;
    double mouth = band_change(luma, prev, width, height, a, b, y + 0.72 * h, y + 1.05 * h);
    double eyes = band_change(luma, prev, width, height, a, b, y + 0.2 * h, y + 0.5 * h);
    return mouth > eyes ? (mouth - eyes) / 255.0 : 0;
}

/* Hue bin (0..11, 30 degrees each) or 12 for grey, dark or unsaturated pixels,
 * whose hue is meaningless. */
static int hue_bin(const uint8_t *p)
{
    int r = p[0], g = p[1], b = p[2];
    int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
    int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
    int c = mx - mn;
    double h;

    if (mx < 40 || c * 5 < mx) /* value < ~0.16 or saturation < 0.2 */
        return FRAME_HUE_BINS - 1;
    if (mx == r)
        h = (double)(g - b) / c;
    else if (mx == g)
        h = 2.0 + (double)(b - r) / c;
    else
        h = 4.0 + (double)(r - g) / c;
    if (h < 0)
        h += 6.0;
    int bin = (int)(h * 2.0); /* 6 sextants -> 12 bins */
    return bin >= FRAME_HUE_BINS - 1 ? FRAME_HUE_BINS - 2 : bin;
}

static inline int gradient(const uint8_t *r, int width, int x)
{
    return abs(r[x + 1] - r[x - 1]) + abs(r[x + width] - r[x - width]);
}

void frame_signature_compute(const frame_picture *pic, frame_signature *sig)
{
    int w = pic->width, h = pic->height;
    size_t n = (size_t)w * (size_t)h;
    int64_t luma[FRAME_LUMA_BINS] = {0}, hue[FRAME_HUE_BINS] = {0}, gsum = 0;
    int64_t edges[FRAME_EDGE_GRID * FRAME_EDGE_GRID] = {0}, cells[FRAME_EDGE_GRID * FRAME_EDGE_GRID] = {0};
    int thr;

    memset(sig, 0, sizeof(*sig));
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        luma[pic->luma[i] >> 3]++;
        hue[hue_bin(pic->rgb + 3 * i)]++;
    }
    for (int b = 0; b < FRAME_LUMA_BINS; b++)
        sig->luma[b] = (float)((double)luma[b] / (double)n);
    for (int b = 0; b < FRAME_HUE_BINS; b++)
        sig->hue[b] = (float)((double)hue[b] / (double)n);
    if (w < 3 || h < 3)
        return;

    /* Edges: pixels whose gradient is well above the picture's mean gradient
     * (with a floor against sensor and coding noise in flat pictures). */
    for (int y = 1; y < h - 1; y++) {
        const uint8_t *r = pic->luma + (size_t)y * (size_t)w;
        for (int x = 1; x < w - 1; x++)
            gsum += gradient(r, w, x);
    }
    thr = (int)(2 * gsum / ((int64_t)(w - 2) * (h - 2)));
    if (thr < 12)
        thr = 12;
    for (int y = 1; y < h - 1; y++) {
        const uint8_t *r = pic->luma + (size_t)y * (size_t)w;
        int cy = y * FRAME_EDGE_GRID / h;
        for (int x = 1; x < w - 1; x++) {
            int c = cy * FRAME_EDGE_GRID + x * FRAME_EDGE_GRID / w;
            cells[c]++;
            edges[c] += gradient(r, w, x) > thr;
        }
    }
    for (int c = 0; c < FRAME_EDGE_GRID * FRAME_EDGE_GRID; c++)
        sig->edges[c] = cells[c] ? (float)((double)edges[c] / (double)cells[c]) : 0.0f;
}

static double half_l1(const float *a, const float *b, int n)
{
    double d = 0;
    for (int i = 0; i < n; i++)
        d += fabs((double)a[i] - (double)b[i]);
    return d / 2.0;
}

double frame_signature_distance(const frame_signature *a, const frame_signature *b)
{
    double diff = 0, mx = 0, edge, d;
    const int cells = FRAME_EDGE_GRID * FRAME_EDGE_GRID;

    for (int c = 0; c < cells; c++) {
        diff += fabs((double)a->edges[c] - (double)b->edges[c]);
        mx += a->edges[c] > b->edges[c] ? a->edges[c] : b->edges[c];
    }
    edge = mx > 1e-6 ? diff / mx : 0.0;
    d = 0.35 * half_l1(a->luma, b->luma, FRAME_LUMA_BINS) +
        0.35 * half_l1(a->hue, b->hue, FRAME_HUE_BINS) + 0.30 * edge;
    return d < 0 ? 0 : d > 1 ? 1 : d;
}
