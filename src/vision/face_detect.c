/* Viola-Jones detection with an OpenCV Haar cascade: the image is scaled
 * down level by level (as OpenCV's detectMultiScale does) so that the
 * cascade's features keep their trained size and their integral-image
 * offsets are computed once per call; every window is normalised by its
 * standard deviation exactly like OpenCV's HaarEvaluator, so the trained
 * thresholds apply unchanged.
 *
 * Scanning follows OpenCV: a 2-pixel step at scales below 2 and a 1-pixel
 * step above (in the scaled image), and one extra step after a window fails
 * the very first stage. All scratch memory belongs to the call, so threads
 * may share a cascade. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "vision/face_internal.h"

#define MAX_SIDE 16384
#define MAX_HITS (1 << 20)

/* A single-node tree with its feature's offsets and integer weights
 * inlined: the common case (every shipped frontal-face cascade has
 * small integer weights) and the hot loop. Unused rectangles have weight 0
 * and offsets 0, so every stump reads three rectangles without a branch.
 * Integer arithmetic is exact and gives the very value OpenCV's float sum
 * does: every product and partial sum stays below 2^24. */
typedef struct face_stump {
    int32_t ofs[FACE_MAX_RECTS][4];
    int32_t weight[FACE_MAX_RECTS];
    float threshold, left, right;
} face_stump;

void ave_face_params_default(ave_face_params *p)
{
    p->scale_factor = 1.1;
    p->min_neighbours = 3;
    p->min_size = 0;
    p->max_size = 0;
}

static void rect_ofs(int ofs[4], int x, int y, int w, int h, ptrdiff_t stride)
{
    ofs[0] = (int)(y * stride + x);
    ofs[1] = (int)(y * stride + x + w);
    ofs[2] = (int)((y + h) * stride + x);
    ofs[3] = (int)((y + h) * stride + x + w);
}

int face_eval_init(face_eval *ev, const ave_cascade *c, ptrdiff_t stride)
{
    memset(ev, 0, sizeof(*ev));
    ev->cascade = c;
    ev->stride = stride;
    ev->features = calloc((size_t)c->nfeatures, sizeof(*ev->features));
    if (!ev->features)
        return AVE_ERR_NOMEM;
    for (int i = 0; i < c->nfeatures; i++) {
        const face_feature *f = &c->features[i];
        for (int k = 0; k < f->nrects; k++) {
            rect_ofs(ev->features[i].ofs[k], f->r[k].x, f->r[k].y, f->r[k].w, f->r[k].h,
                     stride);
            ev->features[i].weight[k] = f->r[k].weight;
        }
    }
    rect_ofs(ev->norm_ofs, 1, 1, c->win_w - 2, c->win_h - 2, stride);
    ev->norm_area = (double)(c->win_w - 2) * (c->win_h - 2);
    return 0;
}

void face_eval_free(face_eval *ev)
{
    free(ev->features);
    ev->features = NULL;
}

/* Exact while the rectangle's true sum fits 32 bits (see face_integral). */
static inline int32_t rect_sum(const uint32_t *p, const int o[4])
{
    return (int32_t)(p[o[0]] - p[o[1]] - p[o[2]] + p[o[3]]);
}

int face_window_norm(const face_eval *ev, const uint32_t *sum, const uint32_t *sqsum,
                     float *inv_nf)
{
    int32_t s = rect_sum(sum, ev->norm_ofs);
    uint32_t q = sqsum[ev->norm_ofs[0]] - sqsum[ev->norm_ofs[1]] - sqsum[ev->norm_ofs[2]] +
                 sqsum[ev->norm_ofs[3]];
    double nf = ev->norm_area * q - (double)s * s;
    if (nf <= 0.) {
        *inv_nf = 1.f;
        return 0;
    }
    *inv_nf = (float)(1. / sqrt(nf));
    return ev->norm_area * *inv_nf < 0.1;
}

static inline float feature_value(const face_opt_feature *f, const uint32_t *p)
{
    float v = f->weight[0] * (float)rect_sum(p, f->ofs[0]) +
              f->weight[1] * (float)rect_sum(p, f->ofs[1]);
    if (f->weight[2] != 0.f)
        v += f->weight[2] * (float)rect_sum(p, f->ofs[2]);
    return v;
}

int face_eval_window(const face_eval *ev, const uint32_t *sum, const uint32_t *sqsum,
                     float *stage_sums)
{
    const ave_cascade *c = ev->cascade;
    float inv_nf;
    if (!face_window_norm(ev, sum, sqsum, &inv_nf))
        return -1;
    for (int si = 0; si < c->nstages; si++) {
        const face_stage *st = &c->stages[si];
        float acc = 0.f;
        for (int ti = st->first_tree; ti < st->first_tree + st->ntrees; ti++) {
            const face_tree *t = &c->trees[ti];
            int idx = 0;
            do {
                const face_node *nd = &c->nodes[t->first_node + idx];
                float v = feature_value(&ev->features[nd->feature], sum) * inv_nf;
                idx = v < nd->threshold ? nd->left : nd->right;
            } while (idx > 0);
            acc += c->leaves[t->first_leaf - idx];
        }
        if (stage_sums)
            stage_sums[si] = acc;
        if (acc < st->threshold)
            return -si;
    }
    return 1;
}

/* The hot path for stump cascades; same result as face_eval_window up to
 * the order of the stage sum's float additions: make_stumps puts each
 * stage's two-rectangle stumps before its three-rectangle ones (st2 of
 * them) so that neither loop branches on the rectangle count. */
static int eval_stumps(const face_eval *ev, const face_stump *stumps, const int *st2,
                       const uint32_t *sum, const uint32_t *sqsum)
{
    const ave_cascade *c = ev->cascade;
    float inv_nf;
    if (!face_window_norm(ev, sum, sqsum, &inv_nf))
        return -1;
    const face_stump *sp = stumps;
    for (int si = 0; si < c->nstages; si++) {
        const face_stage *st = &c->stages[si];
        float acc = 0.f;
        for (const face_stump *end = sp + st2[si]; sp < end; sp++) {
            int32_t v = sp->weight[0] * rect_sum(sum, sp->ofs[0]) +
                        sp->weight[1] * rect_sum(sum, sp->ofs[1]);
            acc += (float)v * inv_nf < sp->threshold ? sp->left : sp->right;
        }
        for (const face_stump *end = stumps + st->first_tree + st->ntrees; sp < end; sp++) {
            int32_t v = sp->weight[0] * rect_sum(sum, sp->ofs[0]) +
                        sp->weight[1] * rect_sum(sum, sp->ofs[1]) +
                        sp->weight[2] * rect_sum(sum, sp->ofs[2]);
            acc += (float)v * inv_nf < sp->threshold ? sp->left : sp->right;
        }
        if (acc < st->threshold)
            return -si;
    }
    return 1;
}

/* NULL when the cascade is not made of stumps with integer weights, or
 * has too large a window for exact float sums, or on allocation failure):
 * the general evaluator then runs. */
static face_stump *make_stumps(const face_eval *ev, int *st2)
{
    const ave_cascade *c = ev->cascade;
    float wmax = 0.f;
    if (!c->stumps_only)
        return NULL;
    for (int i = 0; i < c->nfeatures; i++)
        for (int k = 0; k < c->features[i].nrects; k++) {
            float w = fabsf(c->features[i].r[k].weight);
            if (w != floorf(w))
                return NULL;
            wmax = w > wmax ? w : wmax;
        }
    /* Exactness bound: three full-window rectangles at the largest weight. */
    if ((double)c->win_w * c->win_h * 255. * wmax * FACE_MAX_RECTS >= 16777216.)
        return NULL;
    face_stump *s = calloc((size_t)c->ntrees, sizeof(*s));
    if (!s)
        return NULL;
    for (int si = 0; si < c->nstages; si++) {
        const face_stage *st = &c->stages[si];
        int k2 = st->first_tree;
        st2[si] = 0;
        for (int pass = 2; pass <= 3; pass++)
            for (int i = st->first_tree; i < st->first_tree + st->ntrees; i++) {
                const face_node *nd = &c->nodes[c->trees[i].first_node];
                const float *leaf = &c->leaves[c->trees[i].first_leaf];
                const face_opt_feature *f = &ev->features[nd->feature];
                int nr = c->features[nd->feature].nrects;
                if ((nr == 3) != (pass == 3))
                    continue;
                face_stump *d = &s[k2++];
                for (int k = 0; k < nr; k++) {
                    memcpy(d->ofs[k], f->ofs[k], sizeof(d->ofs[k]));
                    d->weight[k] = (int32_t)f->weight[k];
                }
                d->threshold = nd->threshold;
                d->left = leaf[-nd->left];
                d->right = leaf[-nd->right];
                st2[si] += pass == 2;
            }
    }
    return s;
}

static int push_hit(ave_face_rect **hits, size_t *n, size_t *cap, ave_face_rect r)
{
    if (*n == *cap) {
        if (*cap >= MAX_HITS)
            return 0; /* pathological input: keep what we have */
        size_t nc = *cap ? *cap * 2 : 64;
        ave_face_rect *p = realloc(*hits, nc * sizeof(*p));
        if (!p)
            return AVE_ERR_NOMEM;
        *hits = p;
        *cap = nc;
    }
    (*hits)[(*n)++] = r;
    return 0;
}

int face_detect_raw(const ave_cascade *c, const uint8_t *gray, int width, int height,
                    ptrdiff_t stride, const ave_face_params *params, ave_face_rect **hits,
                    size_t *count)
{
    face_eval ev = {0};
    face_stump *stumps = NULL;
    int *st2 = NULL;
    float *scales = NULL;
    uint8_t *img = NULL;
    uint32_t *sum = NULL, *sqsum = NULL;
    int *work = NULL;
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

    int w0 = (int)lrintf(width / scales[0]), h0 = (int)lrintf(height / scales[0]);
    ptrdiff_t istride = w0 + 1;
    img = malloc((size_t)w0 * h0);
    sum = malloc((size_t)istride * (h0 + 1) * sizeof(*sum));
    sqsum = malloc((size_t)istride * (h0 + 1) * sizeof(*sqsum));
    work = malloc((size_t)w0 * 4 * sizeof(*work));
    if (!img || !sum || !sqsum || !work || (ret = face_eval_init(&ev, c, istride)) < 0) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    st2 = malloc((size_t)c->nstages * sizeof(*st2));
    if (!st2) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    stumps = make_stumps(&ev, st2);

    for (size_t i = 0; i < nscales; i++) {
        float sc = scales[i];
        int sw = (int)lrintf(width / sc), sh = (int)lrintf(height / sc);
        int win_w = (int)lrintf(c->win_w * sc), win_h = (int)lrintf(c->win_h * sc);
        int step = sc >= 2.f ? 1 : 2;
        if (sw < c->win_w || sh < c->win_h)
            break;
        if (sw == width && sh == height) {
            face_integral(gray, width, height, stride, sum, sqsum, istride);
        } else {
            face_resize(gray, width, height, stride, img, sw, sh, sw, work, work + w0,
                        work + 2 * w0);
            face_integral(img, sw, sh, sw, sum, sqsum, istride);
        }
        for (int y = 0; y + c->win_h <= sh; y += step) {
            const uint32_t *srow = sum + (ptrdiff_t)y * istride;
            const uint32_t *qrow = sqsum + (ptrdiff_t)y * istride;
            for (int x = 0; x + c->win_w <= sw; x += step) {
                int r = stumps ? eval_stumps(&ev, stumps, st2, srow + x, qrow + x)
                               : face_eval_window(&ev, srow + x, qrow + x, NULL);
                if (r > 0) {
                    ave_face_rect hit = {(int)lrintf(x * sc), (int)lrintf(y * sc), win_w, win_h,
                                         1};
                    if ((ret = push_hit(hits, count, &cap, hit)) < 0)
                        goto out;
                } else if (r == 0) {
                    x += step; /* failed the first stage: its neighbour likely will too */
                }
            }
        }
    }
out:
    face_eval_free(&ev);
    free(stumps);
    free(st2);
    free(scales);
    free(img);
    free(sum);
    free(sqsum);
    free(work);
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
    free(hits);
    return ret;
}
