/* The vectorised row scan of the face detector against the one-window
 * reference, and the column-split integral layout it reads.
 *
 * 1. face_integral_split holds, element for element, face_integral's
 *    values at the permuted positions (worked out for a 5-pixel row by
 *    hand, then checked on a photograph).
 * 2. On a real photograph (scikit-image's astronaut at 320x180, the frames
 *    stage's size), every pyramid level and row: face_scan_row in either
 *    layout returns exactly the windows that the one-window stump
 *    evaluator (face_window_norm + face_eval_stumps, plain layout) accepts,
 *    visiting windows in OpenCV's order (a stage-0 failure skips the next
 *    window). The photo's face gives
 *    accepted windows, so the comparison covers hits as well as misses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "image_load.h"
#include "vision/face_internal.h"

#define ASTRONAUT "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"

static void test_split_layout(void)
{
    /* One row 1 2 3 4 5: integral columns 0..5 = 0 1 3 6 10 15; even
     * columns (0, 2, 4) then odd (1, 3, 5) with half = 3. */
    const uint8_t img[5] = {1, 2, 3, 4, 5};
    uint32_t s[2 * 6], q[2 * 6];
    memset(s, 0xAA, sizeof(s));
    memset(q, 0xAA, sizeof(q));
    face_integral_split(img, 5, 1, 5, s, q, 6, 3);
    const uint32_t want_s[6] = {0, 3, 10, 1, 6, 15}, want_q[6] = {0, 5, 30, 1, 14, 55};
    for (int i = 0; i < 6; i++) {
        CHECK_EQ_INT(s[i], 0); /* first row */
        CHECK_EQ_INT(s[6 + i], want_s[i]);
        CHECK_EQ_INT(q[6 + i], want_q[i]);
    }
}

/* The reference scan of one row: windows x = 0, step, 2 step, ... */
static int ref_row(const face_eval *ev, const uint32_t *s, const uint32_t *q, int n, int step,
                   int *hits)
{
    int nh = 0;
    for (int k = 0; k < n; k++) {
        float inv_nf;
        int r = face_window_norm(ev, s + k * step, q + k * step, &inv_nf)
                    ? face_eval_stumps(ev, s + k * step, 0, inv_nf)
                    : -1;
        if (r > 0)
            hits[nh++] = k;
        else if (r == 0)
            k++;
    }
    return nh;
}

static void test_scan_photo(const ave_cascade *c)
{
    uint8_t *pix = NULL, *img = NULL;
    int w, h;
    if (image_load_gray(ASTRONAUT, 320, 320, &pix, &w, &h) < 0) {
        CHECK(!"astronaut photo missing");
        return;
    }
    h = 180; /* the top 180 rows hold the face */
    int half = (w + 2) / 2, stride = 2 * half;
    size_t len = (size_t)stride * (h + 1) + FACE_SCAN_PAD;
    uint32_t *ps = calloc(len, 4), *pq = calloc(len, 4), *ss = calloc(len, 4),
             *sq = calloc(len, 4);
    int *work = malloc((size_t)w * 4 * sizeof(int)), *want = malloc((size_t)w * sizeof(int)),
        *got = malloc((size_t)w * sizeof(int));
    img = malloc((size_t)w * h);
    face_eval plain, split;
    CHECK_EQ_INT(face_eval_init_layout(&plain, c, stride, 0), 0);
    CHECK_EQ_INT(face_eval_init_layout(&split, c, stride, half), 0);
    CHECK(plain.stumps != NULL && split.stumps != NULL);
    long windows = 0, hits = 0, mismatches = 0;
    for (double f = 1.0;; f *= 1.1) {
        int sw = (int)lrint(w / f), sh = (int)lrint(h / f);
        if (sw < c->win_w || sh < c->win_h)
            break;
        face_resize(pix, w, h, w, img, sw, sh, sw, work, work + w, work + 2 * w);
        face_integral(img, sw, sh, sw, ps, pq, stride);
        face_integral_split(img, sw, sh, sw, ss, sq, stride, half);
        for (int step = 1; step <= 2; step++) {
            const face_eval *ev = step == 2 ? &split : &plain;
            const uint32_t *s = step == 2 ? ss : ps, *q = step == 2 ? sq : pq;
            int n = (sw - c->win_w) / step + 1;
            for (int y = 0; y + c->win_h <= sh; y += step) {
                ptrdiff_t o = (ptrdiff_t)y * stride;
                int nw = ref_row(&plain, ps + o, pq + o, n, step, want);
                int ng = face_scan_row(ev, s + o, q + o, n, got);
                windows += n;
                hits += nw;
                if (nw != ng || memcmp(want, got, (size_t)nw * sizeof(int)))
                    mismatches++;
            }
        }
    }
    printf("scan: %ld windows, %ld hits, %ld rows differ\n", windows, hits, mismatches);
    CHECK_EQ_INT(mismatches, 0);
    CHECK(hits >= 20); /* the face is found at several positions and scales */
    CHECK(windows > 100000);
    face_eval_free(&plain);
    face_eval_free(&split);
    free(ps);
    free(pq);
    free(ss);
    free(sq);
    free(work);
    free(want);
    free(got);
    free(img);
    free(pix);
}

int main(void)
{
    char err[256];
    ave_cascade *c = NULL;
    test_split_layout();
    if (ave_cascade_load(AVE_FACE_CASCADE_DEFAULT, &c, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(!"default cascade missing (opencv-data)");
        return CHECK_DONE();
    }
    test_scan_photo(c);
    ave_cascade_free(c);
    return CHECK_DONE();
}
