/* Internals of the Viola-Jones face detector, shared by its files and
 * exposed to the unit tests (tests/unit/test_face_*.c).
 *
 * The cascade mirrors OpenCV's new ("opencv-cascade-classifier") layout:
 * stages hold consecutive trees, trees consecutive nodes and leaves, nodes
 * index a shared feature table. Feature rectangles are in window
 * coordinates; detection scales the image, never the features, so the
 * window-relative integral-image offsets are computed once per call. */
#ifndef AVE_VISION_FACE_INTERNAL_H
#define AVE_VISION_FACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ave/face.h"

#define FACE_MAX_RECTS 3
#define FACE_GROUP_EPS 0.2 /* OpenCV's GROUP_EPS for detectMultiScale */
/* OpenCV lowers every stage threshold by this when loading a cascade. */
#define FACE_STAGE_EPS 1e-5f

typedef struct face_feature {
    int nrects;
    struct {
        int x, y, w, h;
        float weight;
    } r[FACE_MAX_RECTS];
} face_feature;

/* left/right > 0: index of the child node within the tree;
 * <= 0: -(leaf index) within the tree. */
typedef struct face_node {
    int left, right, feature;
    float threshold;
} face_node;

typedef struct face_tree {
    int first_node, nnodes, first_leaf, nleaves;
} face_tree;

typedef struct face_stage {
    int first_tree, ntrees;
    float threshold; /* already lowered by FACE_STAGE_EPS */
} face_stage;

struct ave_cascade {
    int win_w, win_h;
    int nstages, ntrees, nnodes, nleaves, nfeatures;
    int stumps_only; /* every tree is a single node */
    face_stage *stages;
    face_tree *trees;
    face_node *nodes;
    float *leaves;
    face_feature *features;
};

/* --- face_integral.c ---------------------------------------------------- */

/* Integral and squared integral of a w x h 8-bit image, each (w+1) x (h+1)
 * with a zero first row and column and row stride istride (>= w+1) in
 * elements: sum[y*istride + x] is the sum of img[0..y-1][0..x-1]. Both are
 * kept modulo 2^32: any window's difference of four corners is exact as
 * long as the window's true sum fits 32 bits (255^2 * 16.8 M pixels). */
void face_integral(const uint8_t *img, int w, int h, ptrdiff_t stride, uint32_t *sum,
                   uint32_t *sqsum, ptrdiff_t istride);

/* Bilinear (centre-aligned, edge-clamped) resize of src to dst (dw x dh,
 * dstride), with 11-bit fixed-point weights as OpenCV's INTER_LINEAR. tmp
 * must hold 2 * dw ints and xofs/alpha dw each; callers own them. */
void face_resize(const uint8_t *src, int sw, int sh, ptrdiff_t sstride, uint8_t *dst, int dw,
                 int dh, ptrdiff_t dstride, int *xofs, int *alpha, int *tmp);

/* face_integral with the columns split by parity, the layout the scan
 * uses at 2-pixel steps: in each row, column c of the integral lies at
 * element c / 2 when c is even and at half + c / 2 when odd, so the windows
 * x = 0, 2, 4, ... read consecutive elements. Needs half >= (w + 2) / 2 and
 * istride >= 2 * half. */
void face_integral_split(const uint8_t *img, int w, int h, ptrdiff_t stride, uint32_t *sum,
                         uint32_t *sqsum, ptrdiff_t istride, int half);

/* --- face_eval.c -------------------------------------------------------- */

/* A feature compiled for one integral-image layout. */
typedef struct face_opt_feature {
    int ofs[FACE_MAX_RECTS][4]; /* tl, tr, bl, br */
    float weight[FACE_MAX_RECTS];
} face_opt_feature;

/* A single-node tree with its feature's offsets and integer weights
 * inlined: the common case (every shipped frontal-face cascade has small
 * integer weights) and the hot loop. Unused rectangles have weight 0 and
 * offsets 0, so every stump reads its rectangles without a branch. Integer
 * (or float) arithmetic is exact and gives the very value OpenCV's float sum
 * does: every product and partial sum stays below 2^24. */
typedef struct face_stump {
    int32_t ofs[FACE_MAX_RECTS][4];
    int32_t weight[FACE_MAX_RECTS];
    float threshold, left, right;
} face_stump;

typedef struct face_eval {
    const ave_cascade *cascade;
    face_opt_feature *features; /* owned; face_eval_free */
    int norm_ofs[4];            /* the window minus a 1-pixel border */
    double norm_area;
    ptrdiff_t stride;
    int half;                   /* 0: plain layout; else face_integral_split's */
    /* Stump cascades with integer weights (else NULL): every tree as a
     * stump, in stage order (stages[i].first_tree indexes it too), each
     * stage's two-rectangle stumps first, st2[i] of them. Owned. */
    face_stump *stumps;
    int *st2;
} face_eval;

/* Compile the cascade for the plain layout with row stride `stride`. */
int face_eval_init(face_eval *ev, const ave_cascade *cascade, ptrdiff_t stride);
/* The same for a layout: half = 0 plain, else face_integral_split's. */
int face_eval_init_layout(face_eval *ev, const ave_cascade *cascade, ptrdiff_t stride,
                          int half);
void face_eval_free(face_eval *ev);

/* OpenCV's window normalisation: over the window shrunk by one pixel on
 * each side (22x22 = 484 px for a 24x24 window), nf = sqrt(area * sqsum -
 * sum^2) (= area * standard deviation); *inv_nf = 1 / nf. Returns 0 (window
 * rejected) when nf <= 0 or area / nf >= 0.1, i.e. unless the standard
 * deviation exceeds 10 grey levels. */
int face_window_norm(const face_eval *ev, const uint32_t *sum, const uint32_t *sqsum,
                     float *inv_nf);

/* One window with its top-left corner at sum/sqsum (pointers into the
 * integral images). Returns 1 when every stage passes, else -k for the
 * first failing stage k (so 0 for stage 0), and -1 when the normalisation
 * rejects the window, exactly as OpenCV's runAt. stage_sums (may be NULL,
 * cascade->nstages entries) receives each evaluated stage's sum. A feature
 * value is (sum of weight * rectangle sum) * inv_nf, compared with the node
 * threshold as value < threshold -> left. */
int face_eval_window(const face_eval *ev, const uint32_t *sum, const uint32_t *sqsum,
                     float *stage_sums);

/* ev->stumps from stage `first` on, for a window whose normalisation
 * passed with inv_nf: 1 or -k as face_eval_window. Same result as
 * face_eval_window (the stage sums add the same floats in stump order). */
int face_eval_stumps(const face_eval *ev, const uint32_t *sum, int first, float inv_nf);

/* --- face_scan.c -------------------------------------------------------- */

/* Extra elements the integral buffers need after their last row: the scan
 * reads whole vectors of windows past a row's last one. */
#define FACE_SCAN_PAD 64

/* One row of n windows, window k's top-left corner at sum + k and sqsum + k
 * in ev's layout, evaluated in order with OpenCV's rule that a window
 * failing stage 0 skips the next one. Writes the k of each detected window
 * to hits (room for n) in increasing order and returns how many. Needs
 * ev->stumps; the buffers must be readable FACE_SCAN_PAD elements past the
 * last window's bottom-right corner. */
int face_scan_row(const face_eval *ev, const uint32_t *sum, const uint32_t *sqsum, int n,
                  int *hits);

/* --- face_detect.c ------------------------------------------------------ */

/* Every raw hit (window position and size in image pixels) over all scales,
 * before grouping. *hits is malloc'd (caller frees). */
int face_detect_raw(const ave_cascade *cascade, const uint8_t *gray, int width, int height,
                    ptrdiff_t stride, const ave_face_params *params, ave_face_rect **hits,
                    size_t *count);

/* --- face_group.c ------------------------------------------------------- */

/* OpenCV's groupRectangles: clusters of similar rectangles (every edge
 * within eps * mean of the smaller sides), averaged; clusters of at most
 * min_neighbours members dropped, then clusters inside a stronger one. With
 * min_neighbours <= 0 the hits are returned unchanged (neighbours = 1).
 * *out (malloc'd, NULL when empty) is sorted largest first. */
int face_group(const ave_face_rect *hits, size_t n, int min_neighbours, double eps,
               ave_face_rect **out, size_t *out_n);

#endif
