/* Grouping of raw face hits (OpenCV's groupRectangles rules, eps 0.2) on
 * crafted rectangle sets with hand-computed clusters and averages. */
#include <stdlib.h>

#include "check.h"
#include "vision/face_internal.h"

static const ave_face_rect hits[] = {
    /* A: four similar 50-pixel hits; mean (100.25, 100, 50, 50). */
    {100, 100, 50, 50, 1}, {102, 101, 50, 50, 1}, {98, 99, 52, 52, 1}, {101, 100, 48, 48, 1},
    /* B: three 30-pixel hits; mean (300.33, 50.33, 30, 30). */
    {300, 50, 30, 30, 1}, {301, 50, 30, 30, 1}, {300, 51, 30, 30, 1},
    /* S: two small hits inside A. */
    {110, 110, 20, 20, 1}, {111, 110, 20, 20, 1},
    /* C: a chain: neighbours 18 px apart (similar within 0.2 * 100 = 20),
     * the ends 36 apart (not similar), one cluster only transitively;
     * mean x 518. */
    {500, 500, 100, 100, 1}, {518, 500, 100, 100, 1}, {536, 500, 100, 100, 1},
    /* Two lone hits. */
    {700, 10, 24, 24, 1}, {10, 700, 40, 40, 1},
};
#define NHITS (sizeof(hits) / sizeof(hits[0]))

static void expect(const ave_face_rect *r, int x, int y, int w, int h, int n)
{
    CHECK_EQ_INT(r->x, x);
    CHECK_EQ_INT(r->y, y);
    CHECK_EQ_INT(r->w, w);
    CHECK_EQ_INT(r->h, h);
    CHECK_EQ_INT(r->neighbours, n);
}

int main(void)
{
    ave_face_rect *out = NULL;
    size_t n = 0;

    /* min_neighbours 2: clusters need 3+ members. S (2) and the lone hits
     * go; largest first: C, A, B. */
    CHECK_EQ_INT(face_group(hits, NHITS, 2, FACE_GROUP_EPS, &out, &n), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        expect(&out[0], 518, 500, 100, 100, 3);
        expect(&out[1], 100, 100, 50, 50, 4);
        expect(&out[2], 300, 50, 30, 30, 3);
    }
    free(out);

    /* min_neighbours 1: S (2 members) passes the count but lies inside A
     * (within 0.2 * 50 = 10 px), which is stronger (4 > max(3, 2)): gone.
     * The lone hits (1 member) still go. */
    CHECK_EQ_INT(face_group(hits, NHITS, 1, FACE_GROUP_EPS, &out, &n), 0);
    CHECK_EQ_INT(n, 3);
    for (size_t i = 0; i < n; i++)
        CHECK(out[i].w != 20);
    free(out);

    /* Without A, S survives at min_neighbours 1: nothing stronger holds it. */
    CHECK_EQ_INT(face_group(hits + 4, NHITS - 4, 1, FACE_GROUP_EPS, &out, &n), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3)
        expect(&out[2], 110, 110, 20, 20, 2); /* mean x 110.5 rounds to even, as cvRound */
    free(out);

    /* min_neighbours 3: only A (4 members). */
    CHECK_EQ_INT(face_group(hits, NHITS, 3, FACE_GROUP_EPS, &out, &n), 0);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        expect(&out[0], 100, 100, 50, 50, 4);
    free(out);

    /* min_neighbours 0: no grouping, every hit back, largest first. */
    CHECK_EQ_INT(face_group(hits, NHITS, 0, FACE_GROUP_EPS, &out, &n), 0);
    CHECK_EQ_INT(n, NHITS);
    if (n == NHITS) {
        CHECK_EQ_INT(out[0].w, 100);
        CHECK_EQ_INT(out[NHITS - 1].w, 20);
        CHECK_EQ_INT(out[5].neighbours, 1);
    }
    free(out);

    /* Nothing in, nothing out. */
    out = (ave_face_rect *)1;
    CHECK_EQ_INT(face_group(hits, 0, 3, FACE_GROUP_EPS, &out, &n), 0);
    CHECK(out == NULL && n == 0);
    return CHECK_DONE();
}
