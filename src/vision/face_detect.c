/* Viola-Jones detection with an OpenCV Haar cascade: the image is scaled
 * down level by level (as OpenCV's detectMultiScale does) so that the
 * cascade's features keep their trained size and their integral-image
 * offsets are compiled once per call; every window is normalised by its
 * standard deviation exactly like OpenCV's HaarEvaluator, so the trained
 * thresholds apply unchanged (face_eval.c).
 *
 * Scanning follows OpenCV: a 2-pixel step at scales below 2 and a 1-pixel
 * step above (in the scaled image), and one extra step after a window fails
 * the very first stage. Levels scanned at 2-pixel steps get the
 * column-split integral layout so that a row's windows read consecutive
 * elements (face_scan.c evaluates several at once). All scratch memory
 * belongs to the call, so threads may share a cascade. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "core/array_grow.h"
#include "vision/face_internal.h"

#define MAX_SIDE 16384
#define MAX_HITS (1 << 20)

void ave_face_params_default(ave_face_params *p)
{
    p->scale_factor = 1.1;
    p->min_neighbours = 3;
    p->min_size = 0;
    p->max_size = 0;
}

static int push_hit(ave_face_rect **hits, size_t *n, size_t *cap, ave_face_rect r)
{
    if (*n == *cap && *cap >= MAX_HITS)
        return 0; /* pathological input: keep what we have */
    ave_face_rect *p = array_grow(*hits, cap, *n + 1, sizeof(*p), 64);
    if (!p)
        return AVE_ERR_NOMEM;
    *hits = p;
    (*hits)[(*n)++] = r;
    return 0;
}

/* Hits of one pyramid level; ev is compiled for the level's layout. */
static int scan_level(const face_eval *ev, const uint32_t *sum, const uint32_t *sqsum, int sw,
                      int sh, int step, float sc, int *row_hits, ave_face_rect **hits,
                      size_t *count, size_t *cap)
{
    const ave_cascade *c = ev->cascade;
    int win_w = (int)lrintf(c->win_w * sc), win_h = (int)lrintf(c->win_h * sc);
    int n = (sw - c->win_w) / step + 1, ret;

    for (int y = 0; y + c->win_h <= sh; y += step) {
        const uint32_t *srow = sum + (ptrdiff_t)y * ev->stride;
        const uint32_t *qrow = sqsum + (ptrdiff_t)y * ev->stride;
        if (ev->stumps) {
            int nh = face_scan_row(ev, srow, qrow, n, row_hits);
            for (int i = 0; i < nh; i++) {
                ave_face_rect hit = {(int)lrintf((float)(row_hits[i] * step) * sc),
                                     (int)lrintf((float)y * sc), win_w, win_h, 1};
                if ((ret = push_hit(hits, count, cap, hit)) < 0)
                    return ret;
            }
            continue;
        }
        for (int x = 0; x + c->win_w <= sw; x += step) {
            int r = face_eval_window(ev, srow + x, qrow + x, NULL);
            if (r > 0) {
                ave_face_rect hit = {(int)lrintf((float)x * sc), (int)lrintf((float)y * sc),
                                     win_w, win_h, 1};
                if ((ret = push_hit(hits, count, cap, hit)) < 0)
                    return ret;
            } else if (r == 0) {
                x += step; /* failed the first stage: its neighbour likely will too */
            }
        }
    }
    return 0;
}

int face_detect_raw(const ave_cascade *c, const uint8_t *gray, int width, int height,
                    ptrdiff_t stride, const ave_face_params *params, ave_face_rect **hits,
                    size_t *count)
{
    face_eval ev_plain = {0}, ev_split = {0};
    float *scales = NULL;
    uint8_t *img = NULL;
    uint32_t *sum = NULL, *sqsum = NULL;
    int *work = NULL, *row_hits = NULL;
    size_t nscales = 0, cap = 0;
    int ret = 0;

    *hits = NULL;
    *count = 0;
    if (!c || !gray || !params || width <= 0 || height <= 0 || width > MAX_SIDE ||
        height > MAX_SIDE || stride < width || !(params->scale_factor > 1.0) ||
        params->scale_factor > 100.0)
        return AVE_ERR_USAGE;
    int max_w = params->max_size > 0 ? params->max_size : width;
    int max_h = params->max_size > 0 ? params->max_size : height;

    /* OpenCV's scale list: window sizes from the trained size upwards. */
    scales = malloc(1024 * sizeof(*scales));
    if (!scales) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (double f = 1.0; nscales < 1024; f *= params->scale_factor) {
        int ww = (int)lrint(c->win_w * f), wh = (int)lrint(c->win_h * f);
        if (ww > max_w || wh > max_h || ww > width || wh > height)
            break;
        if (ww < params->min_size || wh < params->min_size)
            continue;
        scales[nscales++] = (float)f;
    }
    if (nscales == 0)
        goto out;

    /* One stride for both layouts: the split one's even columns, then its
     * odd ones. Zeroed once, so that the scan's reads past a row's end
     * (FACE_SCAN_PAD) never touch undefined memory. */
    int w0 = (int)lrintf(width / scales[0]), h0 = (int)lrintf(height / scales[0]);
    int half = (w0 + 2) / 2;
    ptrdiff_t istride = 2 * (ptrdiff_t)half;
    size_t ilen = (size_t)istride * (size_t)(h0 + 1) + FACE_SCAN_PAD;
    img = malloc((size_t)w0 * h0);
    sum = calloc(ilen, sizeof(*sum));
    sqsum = calloc(ilen, sizeof(*sqsum));
    work = malloc((size_t)w0 * 4 * sizeof(*work));
    row_hits = malloc((size_t)w0 * sizeof(*row_hits));
    if (!img || !sum || !sqsum || !work || !row_hits ||
        face_eval_init_layout(&ev_plain, c, istride, 0) < 0 ||
        face_eval_init_layout(&ev_split, c, istride, half) < 0) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }

    for (size_t i = 0; i < nscales; i++) {
        float sc = scales[i];
        int sw = (int)lrintf(width / sc), sh = (int)lrintf(height / sc);
        int step = sc >= 2.f ? 1 : 2;
        /* The split layout only pays where windows are 2 columns apart and
         * the vector scan runs. */
        const face_eval *ev = step == 2 && ev_split.stumps ? &ev_split : &ev_plain;
        const uint8_t *src = gray;
        ptrdiff_t sstride = stride;
        if (sw < c->win_w || sh < c->win_h)
            break;
        if (sw != width || sh != height) {
            face_resize(gray, width, height, stride, img, sw, sh, sw, work, work + w0,
                        work + 2 * w0);
            src = img;
            sstride = sw;
        }
        if (ev->half)
            face_integral_split(src, sw, sh, sstride, sum, sqsum, istride, half);
        else
            face_integral(src, sw, sh, sstride, sum, sqsum, istride);
        if ((ret = scan_level(ev, sum, sqsum, sw, sh, step, sc, row_hits, hits, count, &cap)) <
            0)
            goto out;
    }
out:
    face_eval_free(&ev_plain);
    face_eval_free(&ev_split);
    free(scales);
    free(img);
    free(sum);
    free(sqsum);
    free(work);
    free(row_hits);
    if (ret < 0) {
        free(*hits);
        *hits = NULL;
        *count = 0;
    }
    return ret;
}

int ave_face_detect(const ave_cascade *cascade, const uint8_t *gray, int width, int height,
                    ptrdiff_t stride, const ave_face_params *params, ave_face_rect **faces,
                    size_t *count)
{
    ave_face_rect *hits = NULL;
    size_t n = 0;
    *faces = NULL;
    *count = 0;
    int ret = face_detect_raw(cascade, gray, width, height, stride, params, &hits, &n);
    if (ret >= 0)
        ret = face_group(hits, n, params->min_neighbours, FACE_GROUP_EPS, faces, count);
    /* A level's size is rounded (sw = width / scale), so a window at its
     * right or bottom edge maps back up to a pixel past the picture's: keep
     * the promise that rectangles lie inside it (found by fuzz_face_cascade
     * with an 8x9 window; any cascade can do it). */
    for (size_t i = 0; ret >= 0 && i < *count; i++) {
        ave_face_rect *r = &(*faces)[i];
        r->x = r->x < 0 ? 0 : r->x < width - 1 ? r->x : width - 1;
        r->y = r->y < 0 ? 0 : r->y < height - 1 ? r->y : height - 1;
        r->w = r->w < width - r->x ? r->w : width - r->x;
        r->h = r->h < height - r->y ? r->h : height - r->y;
    }
    free(hits);
    return ret;
}
