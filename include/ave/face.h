/* Face detection: a Viola-Jones detector driven by OpenCV's shipped Haar
 * cascade XML files (Debian's opencv-data, /usr/share/opencv4/haarcascades/).
 *
 * The detector is our own (integral images, stage/tree evaluation with
 * OpenCV's window variance normalisation, a multi-scale sliding window and
 * grouping of overlapping hits); only the trained cascade data is OpenCV's. */
#ifndef AVE_FACE_H
#define AVE_FACE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The default cascade: frontal faces. */
#define AVE_FACE_CASCADE_DEFAULT "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"

typedef struct ave_cascade ave_cascade;

/* Load a cascade from an OpenCV (new-format, "opencv_storage"/"cascade")
 * Haar XML file. On success *out is owned by the caller (ave_cascade_free).
 * Returns AVE_ERR_IO when unreadable, AVE_ERR_INPUT when not a Haar cascade;
 * err (may be NULL) receives a one-line reason. Thread-safe once loaded:
 * detection only reads it. */
int ave_cascade_load(const char *xml_path, ave_cascade **out, char *err, size_t errlen);
void ave_cascade_free(ave_cascade *cascade);

/* The detection window the cascade was trained on (24x24 for faces). */
void ave_cascade_window(const ave_cascade *cascade, int *width, int *height);

typedef struct ave_face_params {
    double scale_factor;  /* window growth per scale, > 1 (OpenCV default 1.1) */
    int min_neighbours;   /* raw hits needed to keep a group (OpenCV default 3) */
    int min_size;         /* smallest face side in pixels (0: the window) */
    int max_size;         /* largest face side in pixels (0: the image) */
} ave_face_params;

/* OpenCV's detectMultiScale defaults. */
void ave_face_params_default(ave_face_params *p);

typedef struct ave_face_rect {
    int x, y, w, h;       /* pixels in the given image */
    int neighbours;       /* raw hits merged into this face */
} ave_face_rect;

/* Detect faces in an 8-bit grey image. *faces (malloc'd, caller frees; NULL
 * when none) receives *count rectangles, largest first. Uses only its own
 * scratch memory, so several threads may detect with one cascade. */
int ave_face_detect(const ave_cascade *cascade, const uint8_t *gray, int width, int height,
                    ptrdiff_t stride, const ave_face_params *params,
                    ave_face_rect **faces, size_t *count);

#ifdef __cplusplus
}
#endif
#endif
