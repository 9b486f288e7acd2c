/* Grouping of raw detector hits into faces, reproducing OpenCV's
 * groupRectangles so that min_neighbours means what it means there.
 *
 * Two hits are similar when each of their four edges differs by at most
 * eps * (mean of the smaller width and the smaller height); similarity is
 * closed transitively (union-find). A cluster survives with more than
 * min_neighbours members, as the rounded average of its members, unless it
 * lies (within eps of the other's size) inside another surviving cluster
 * that is stronger. Quadratic in the number of hits, which the cascade
 * keeps in the hundreds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "vision/face_internal.h"

static size_t find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static int imin(int a, int b) { return a < b ? a : b; }

static int similar(const ave_face_rect *a, const ave_face_rect *b, double eps)
{
    double delta = eps * (imin(a->w, b->w) + imin(a->h, b->h)) * 0.5;
    return fabs((double)a->x - b->x) <= delta && fabs((double)a->y - b->y) <= delta &&
           fabs((double)(a->x + a->w) - (b->x + b->w)) <= delta &&
           fabs((double)(a->y + a->h) - (b->y + b->h)) <= delta;
}

static int by_size(const void *pa, const void *pb)
{
    const ave_face_rect *a = pa, *b = pb;
    long long aa = (long long)a->w * a->h, bb = (long long)b->w * b->h;
    if (aa != bb)
        return aa > bb ? -1 : 1;
    if (a->neighbours != b->neighbours)
        return a->neighbours > b->neighbours ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return (a->x > b->x) - (a->x < b->x);
}

int face_group(const ave_face_rect *hits, size_t n, int min_neighbours, double eps,
               ave_face_rect **out, size_t *out_n)
{
    size_t *parent = NULL, *label = NULL;
    long long *acc = NULL;
    ave_face_rect *avg = NULL, *res = NULL;
    size_t nres = 0;
    int ret = 0;

    *out = NULL;
    *out_n = 0;
    if (n == 0)
        return 0;
    if (min_neighbours <= 0) {
        if (!(res = malloc(n * sizeof(*res))))
            return AVE_ERR_NOMEM;
        memcpy(res, hits, n * sizeof(*res));
        for (size_t i = 0; i < n; i++)
            res[i].neighbours = 1;
        nres = n;
        goto sort;
    }
    parent = malloc(n * sizeof(*parent));
    label = malloc(n * sizeof(*label));
    acc = calloc(n * 5, sizeof(*acc));
    avg = malloc(n * sizeof(*avg));
    res = malloc(n * sizeof(*res));
    if (!parent || !label || !acc || !avg || !res) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (similar(&hits[i], &hits[j], eps)) {
                size_t a = find(parent, i), b = find(parent, j);
                if (a != b)
                    parent[b] = a;
            }
    /* Number the clusters in order of first appearance. */
    size_t ncls = 0;
    for (size_t i = 0; i < n; i++)
        label[i] = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t r = find(parent, i);
        if (label[r] == (size_t)-1)
            label[r] = ncls++;
        size_t k = label[r];
        acc[5 * k] += hits[i].x;
        acc[5 * k + 1] += hits[i].y;
        acc[5 * k + 2] += hits[i].w;
        acc[5 * k + 3] += hits[i].h;
        acc[5 * k + 4]++;
    }
    for (size_t k = 0; k < ncls; k++) {
        float s = 1.f / (float)acc[5 * k + 4];
        avg[k].x = (int)lrintf((float)acc[5 * k] * s);
        avg[k].y = (int)lrintf((float)acc[5 * k + 1] * s);
        avg[k].w = (int)lrintf((float)acc[5 * k + 2] * s);
        avg[k].h = (int)lrintf((float)acc[5 * k + 3] * s);
        avg[k].neighbours = (int)acc[5 * k + 4];
    }
    for (size_t i = 0; i < ncls; i++) {
        const ave_face_rect *r1 = &avg[i];
        int n1 = r1->neighbours;
        if (n1 <= min_neighbours)
            continue;
        size_t j;
        for (j = 0; j < ncls; j++) {
            const ave_face_rect *r2 = &avg[j];
            int n2 = r2->neighbours;
            if (j == i || n2 <= min_neighbours)
                continue;
            int dx = (int)lrint(r2->w * eps), dy = (int)lrint(r2->h * eps);
            if (r1->x >= r2->x - dx && r1->y >= r2->y - dy && r1->x + r1->w <= r2->x + r2->w + dx &&
                r1->y + r1->h <= r2->y + r2->h + dy && (n2 > (n1 > 3 ? n1 : 3) || n1 < 3))
                break;
        }
        if (j == ncls)
            res[nres++] = *r1;
    }
sort:
    if (nres)
        qsort(res, nres, sizeof(*res), by_size);
    else {
        free(res);
        res = NULL;
    }
    *out = res;
    *out_n = nres;
    res = NULL;
out:
    free(parent);
    free(label);
    free(acc);
    free(avg);
    free(res);
    return ret;
}
