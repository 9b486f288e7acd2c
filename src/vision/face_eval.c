/* Evaluating one detection window of an OpenCV Haar cascade: the cascade
 * compiled for an integral-image layout (feature rectangles as corner
 * offsets), OpenCV's window variance normalisation, and the stage/tree walk.
 *
 * Two evaluators give the same results: the general one walks any tree
 * depth with float weights; the stump one (every shipped frontal-face
 * cascade) has each tree's single node, feature and leaves inlined and sums
 * rectangles in exact integers. The scan (face_scan.c) runs the first
 * stages for several windows at once and hands the rest to the stump one.
 * Offsets are relative to a window's top-left corner, so one compilation
 * serves every window of every pyramid level sharing the row stride. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "vision/face_internal.h"

/* Element of integral column c in a row of the layout. */
static int column(const face_eval *ev, int c)
{
    return ev->half ? (c & 1 ? ev->half + c / 2 : c / 2) : c;
}

static void rect_ofs(const face_eval *ev, int ofs[4], int x, int y, int w, int h)
{
    ofs[0] = (int)(y * ev->stride + column(ev, x));
    ofs[1] = (int)(y * ev->stride + column(ev, x + w));
    ofs[2] = (int)((y + h) * ev->stride + column(ev, x));
    ofs[3] = (int)((y + h) * ev->stride + column(ev, x + w));
}

/* NULL when the cascade is not made of stumps with integer weights, or has
 * too large a window for exact float sums (the general evaluator then
 * runs); *nomem set on allocation failure. */
static face_stump *make_stumps(const face_eval *ev, int *st2, int *nomem)
{
    const ave_cascade *c = ev->cascade;
    float wmax = 0.f;
    *nomem = 0;
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
    if (!s) {
        *nomem = 1;
        return NULL;
    }
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

int face_eval_init_layout(face_eval *ev, const ave_cascade *c, ptrdiff_t stride, int half)
{
    int nomem;
    memset(ev, 0, sizeof(*ev));
    ev->cascade = c;
    ev->stride = stride;
    ev->half = half;
    ev->features = calloc((size_t)c->nfeatures, sizeof(*ev->features));
    ev->st2 = calloc((size_t)c->nstages, sizeof(*ev->st2));
    if (!ev->features || !ev->st2) {
        face_eval_free(ev);
        return AVE_ERR_NOMEM;
    }
    for (int i = 0; i < c->nfeatures; i++) {
        const face_feature *f = &c->features[i];
        for (int k = 0; k < f->nrects; k++) {
            rect_ofs(ev, ev->features[i].ofs[k], f->r[k].x, f->r[k].y, f->r[k].w, f->r[k].h);
            ev->features[i].weight[k] = f->r[k].weight;
        }
    }
    rect_ofs(ev, ev->norm_ofs, 1, 1, c->win_w - 2, c->win_h - 2);
    ev->norm_area = (double)(c->win_w - 2) * (c->win_h - 2);
    ev->stumps = make_stumps(ev, ev->st2, &nomem);
    if (nomem) {
        face_eval_free(ev);
        return AVE_ERR_NOMEM;
    }
    return 0;
}

int face_eval_init(face_eval *ev, const ave_cascade *c, ptrdiff_t stride)
{
    return face_eval_init_layout(ev, c, stride, 0);
}

void face_eval_free(face_eval *ev)
{
    free(ev->features);
    free(ev->stumps);
    free(ev->st2);
    ev->features = NULL;
    ev->stumps = NULL;
    ev->st2 = NULL;
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

/* Same result as face_eval_window up to the order of the stage sum's float
 * additions: each stage's two-rectangle stumps come before its
 * three-rectangle ones, so neither loop branches on the rectangle count. */
int face_eval_stumps(const face_eval *ev, const uint32_t *sum, int first, float inv_nf)
{
    const ave_cascade *c = ev->cascade;
    const face_stump *stumps = ev->stumps;
    for (int si = first; si < c->nstages; si++) {
        const face_stage *st = &c->stages[si];
        const face_stump *sp = stumps + st->first_tree;
        float acc = 0.f;
        for (const face_stump *end = sp + ev->st2[si]; sp < end; sp++) {
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
