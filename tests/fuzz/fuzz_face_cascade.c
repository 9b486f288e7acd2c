/* Fuzz target: a face cascade file (--face-cascade, OpenCV Haar XML) as
 * ave_cascade_load reads it, and, when it loads, face detection with it on
 * a small synthetic picture: every index the file holds (nodes, leaves,
 * features, rectangles) is used there, so one the loader let through would
 * read out of bounds. The XML goes through a scratch file, as the loader
 * takes a path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/ave.h"
#include "ave/face.h"
#include "fuzz.h"

#define W 48
#define H 40

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t gray[W * H];
    ave_cascade *c = NULL;
    ave_face_params p;
    ave_face_rect *faces = NULL;
    size_t n = 0;
    char err[256];
    int ret, ww, wh;

    fuzz_quiet();
    if (!gray[1]) /* a bright square on a ramp: some windows pass, some not */
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                gray[y * W + x] = (uint8_t)(x > 10 && x < 30 && y > 8 && y < 28 ? 230 : 4 * x + y);
    const char *path = fuzz_write_file("cascade", data, size);
    if (!path)
        return 0;
    ret = ave_cascade_load(path, &c, err, sizeof(err));
    FUZZ_CHECK(ret == 0 ? c != NULL : (!c && err[0]));
    if (ret < 0)
        return 0;
    ave_cascade_window(c, &ww, &wh);
    FUZZ_CHECK(ww >= 3 && wh >= 3);
    ave_face_params_default(&p);
    p.min_neighbours = 1;
    ret = ave_face_detect(c, gray, W, H, W, &p, &faces, &n);
    FUZZ_CHECK(ret == 0 || ret == AVE_ERR_NOMEM || ret == AVE_ERR_INPUT);
    for (size_t i = 0; ret == 0 && i < n; i++)
        FUZZ_CHECK(faces[i].x >= 0 && faces[i].y >= 0 && faces[i].x + faces[i].w <= W &&
                   faces[i].y + faces[i].h <= H);
    free(faces);
    ave_cascade_free(c);
    return 0;
}
