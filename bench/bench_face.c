/* Face detector benchmark (run by bench/bench_face.sh).
 *
 *   bench_face count IMAGE EXPECTED        detections vs a hand count
 *   bench_face speed IMAGE W H MIN_SIZE    frames/s on one thread: the image
 *                                          resized to width W (keeping its
 *                                          aspect), its top H rows detected
 *                                          repeatedly
 * Prints one table row per call. Uses the default cascade and OpenCV's
 * default parameters (scale 1.1, min_neighbours 3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/unit/image_load.h"
#include "ave/face.h"
#include "ave/log.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
    char err[256];
    ave_cascade *c = NULL;
    uint8_t *pix = NULL;
    int w, h, ret = 1;
    ave_face_params p;
    ave_face_rect *faces = NULL;
    size_t n = 0;

    av_log_set_level(AV_LOG_ERROR);
    if (argc < 3 || (strcmp(argv[1], "count") && strcmp(argv[1], "speed")) ||
        (!strcmp(argv[1], "count") && argc != 4) || (!strcmp(argv[1], "speed") && argc != 6)) {
        fprintf(stderr, "usage: bench_face count IMAGE EXPECTED | speed IMAGE W H MIN_SIZE\n");
        return 2;
    }
    if (ave_cascade_load(AVE_FACE_CASCADE_DEFAULT, &c, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    ave_face_params_default(&p);
    int speed = !strcmp(argv[1], "speed");
    if (image_load_gray(argv[2], 0, 0, &pix, &w, &h) < 0)
        goto out;
    if (speed) {
        /* Keep the aspect (a squashed face is no face), crop to W x H. */
        int tw = atoi(argv[3]), th = atoi(argv[4]);
        int sh = (int)((double)h * tw / w + 0.5);
        free(pix);
        if (tw <= 0 || th <= 0 || sh < th ||
            image_load_gray(argv[2], tw, sh, &pix, &w, &h) < 0) {
            fprintf(stderr, "%s: cannot make a %dx%d frame\n", argv[2], tw, th);
            pix = NULL;
            goto out;
        }
        h = th;
    }
    if (!speed) {
        double t0 = now();
        if (ave_face_detect(c, pix, w, h, w, &p, &faces, &n) < 0)
            goto out;
        double ms = (now() - t0) * 1e3;
        int expected = atoi(argv[3]);
        printf("| %-18s | %4dx%-4d | %8d | %8zu | %7.1f | %s |", base(argv[2]), w, h, expected, n,
               ms, (int)n == expected ? "ok" : "MISMATCH");
        for (size_t i = 0; i < n; i++)
            printf(" [%d,%d %dx%d n=%d]", faces[i].x, faces[i].y, faces[i].w, faces[i].h,
                   faces[i].neighbours);
        printf("\n");
    } else {
        p.min_size = atoi(argv[5]);
        int iters = 0;
        double t0 = now(), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), t;
        do {
            free(faces);
            faces = NULL;
            if (ave_face_detect(c, pix, w, h, w, &p, &faces, &n) < 0)
                goto out;
            iters++;
            t = now() - t0;
        } while (t < 2.0);
        /* CPU time of this thread: on a shared machine wall time also
         * counts the other processes' turns. */
        double cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
        printf("| %-18s | %4dx%-4d | %8d | %5zu | %8.2f | %8.1f | %8.1f |\n", base(argv[2]), w, h,
               p.min_size, n, cpu * 1e3 / iters, iters / cpu, iters / t);
    }
    ret = 0;
out:
    free(faces);
    free(pix);
    ave_cascade_free(c);
    return ret;
}
