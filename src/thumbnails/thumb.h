/* Thumbnails: internal interfaces between the stage and its parts.
 *
 * thumb_score.c   per-candidate components and the weighted total
 * thumb_select.c  hard exclusions, diverse picks, the 10% baseline
 * thumb_grab.c    full-resolution RGB frames at chosen source times
 * thumb_text.c    hook text and where it goes (away from faces and detail)
 * thumb_compose.c the 1280x720 picture per strategy (cairo + pango)
 * thumb_jpeg.c    JPEG under a size cap (libavcodec's mjpeg)
 * thumb_json.c    thumbnails/thumbnails.json
 * The scoring model is documented in docs/THUMBNAILS.md; keep both in step. */
#ifndef AVE_THUMB_H
#define AVE_THUMB_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "ave/ave.h"

#define THUMB_LOG "thumbnails"
#define THUMB_W 1280
#define THUMB_H 720
#define THUMB_MAX_BYTES (2 * 1024 * 1024)

/* Score components, each normalised to 0..1 (1 = best). */
enum thumb_component {
    THUMB_C_SHARPNESS,   /* relative to the video's own 90th percentile */
    THUMB_C_EXPOSURE,    /* mean luma near mid grey, little clipping */
    THUMB_C_CONTRAST,    /* luma standard deviation */
    THUMB_C_FACE,        /* a face is present */
    THUMB_C_FACE_SIZE,   /* height of the largest face */
    THUMB_C_FACE_THIRDS, /* eye point of the largest face near a thirds point */
    THUMB_C_EYES,        /* contrast of the eye band on the full-res grab */
    THUMB_C_COLOUR,      /* colourfulness */
    THUMB_C_STILLNESS,   /* little motion (motion blur, half-finished gestures) */
    THUMB_C_SCENE_DIST,  /* time to the nearest scene change */
    THUMB_C_CUT_DIST,    /* time to the nearest edit cut */
    THUMB_C_COUNT
};

/* Why a candidate can never be chosen. */
enum thumb_exclusion {
    THUMB_X_NONE = 0,
    THUMB_X_BLACK,        /* black or near-black */
    THUMB_X_BLURRED,      /* blurred, absolutely or relative to this video */
    THUMB_X_MOTION,       /* the whole picture changing: heavy motion or noise */
    THUMB_X_TRANSITION,   /* in or near a fade/dissolve */
    THUMB_X_SCENE_CHANGE, /* within the margin of a hard scene change */
    THUMB_X_REMOVED,      /* inside a segment the edit removed */
    THUMB_X_NEAR_CUT,     /* within the margin of an edit cut */
    THUMB_X_COUNT
};

/* Static names: "sharpness", ... and "none", "black", ... */
const char *thumb_component_name(int c);
const char *thumb_exclusion_name(int x);
/* The documented weight of a component (they sum to 1). */
double thumb_component_weight(int c);

typedef struct thumb_candidate {
    int frame;                   /* index into the features array */
    int64_t pts_us;
    int scene;                   /* scene_index of the frame */
    double comp[THUMB_C_COUNT];  /* components, 0..1 */
    int eyes_measured;           /* THUMB_C_EYES came from the full-res grab */
    double total;                /* sum of weight * component, 0..1 */
    int exclusion;               /* enum thumb_exclusion */
} thumb_candidate;

/* What the scorer reads: the job's analysis, or synthetic arrays in tests.
 * All borrowed. */
typedef struct thumb_input {
    const ave_frame_features *frames;
    size_t frame_count;
    const ave_scene *scenes;
    size_t scene_count;
    const ave_timeline *timeline; /* may be NULL: no cuts */
    int64_t duration_us;
} thumb_input;

/* Margins of the exclusions, microseconds. */
#define THUMB_SCENE_MARGIN_US 500000
#define THUMB_CUT_MARGIN_US 500000
#define THUMB_FADE_MARGIN_US 1500000

/* Score every frame of in (thumb_score.c): fills cands[frame_count] (caller
 * allocated) with components, totals and exclusions. */
void thumb_score_all(const thumb_input *in, thumb_candidate *cands);

/* Recompute c->total from c->comp. */
void thumb_score_total(thumb_candidate *c);

/* Eye-band contrast of a face on an RGB32 picture (0..1 component value):
 * standard deviation of luma in the band across the eyes / 0.2, capped. */
double thumb_eyes_contrast(const uint32_t *rgb, int width, int height, ptrdiff_t stride_px,
                           const ave_face *face);

/* Pick up to max_picks eligible candidates, best first, each from a scene
 * not used yet while any remain, then from used scenes at least min_gap_us
 * from every earlier pick. picks receives candidate indexes; returns how
 * many were picked (thumb_select.c). */
size_t thumb_select(const thumb_candidate *cands, size_t n, size_t max_picks, int64_t min_gap_us,
                    int *picks);

/* Index of the candidate nearest to 10% of the duration (what uploads show
 * by default), or -1 when n == 0. */
int thumb_baseline(const thumb_candidate *cands, size_t n, int64_t duration_us);

/* --- grab ------------------------------------------------------------- */

/* A picture in cairo's RGB24 layout (native-endian 0xXXRRGGBB). */
typedef struct thumb_image {
    uint32_t *px; /* malloc'd, width*height */
    int width, height;
} thumb_image;

void thumb_image_free(thumb_image *img);

/* Decode the video at each of times_us[count] (source time) at full
 * resolution, rotated for display, into imgs[count] (caller frees each with
 * thumb_image_free). Seeks to the keyframe before each time and decodes up
 * to the last frame starting at or before it. Errors are recorded on job. */
int thumb_grab(ave_job *job, const int64_t *times_us, size_t count, thumb_image *imgs);

/* --- text and composition -------------------------------------------- */


typedef struct thumb_rect {
    double x, y, w, h;
} thumb_rect;

/* The text box on img (pixels) given face boxes (pixels): of the candidate
 * regions (left, right, top and bottom bands), the one with the least face
 * overlap, then the best mix of distance from faces and calm picture (mean
 * luma gradient). Returns the region's enum thumb_align. */
int thumb_text_region(const thumb_image *img, const thumb_rect *faces, size_t face_count,
                      thumb_rect *out);

struct thumb_style;

/* Draw text with pango in box on cr: DejaVu Sans Bold, the largest size
 * (up to 3 lines) that fits, outlined and drop-shadowed, aligned to the
 * box's side of the picture. With draw 0 only measures. ink (may be NULL)
 * receives the (drawn) extent including the outline. */
int thumb_text_draw(cairo_t *cr, const char *text, const thumb_rect *box, int align,
                    const struct thumb_style *style, int draw, thumb_rect *ink);

/* Alignment for thumb_text_draw, from the region thumb_text_region chose. */
enum thumb_align { THUMB_ALIGN_LEFT, THUMB_ALIGN_RIGHT, THUMB_ALIGN_TOP, THUMB_ALIGN_BOTTOM };

typedef struct thumb_style {
    const char *name;      /* folder name: "educational", "curiosity", ... */
    double face_zoom;      /* target face height / picture height; 0: no zoom */
    int band;              /* 1: a solid colour band behind the text */
    uint32_t band_rgb;     /* band or gradient colour */
    uint32_t text_rgb;     /* text fill */
    uint32_t outline_rgb;  /* text outline */
    double saturation;     /* colour grade: 1 unchanged */
    double contrast;       /* colour grade: 1 unchanged */
    double warmth;         /* colour grade: added to red, taken from blue (0..0.1) */
    int vignette;          /* darken the corners */
    int uppercase;         /* text in capitals */
} thumb_style;

/* The strategies for a content type (enum ave_content_type); *count set. */
const thumb_style *thumb_styles_for(int content_type, size_t *count);

/* Compose one thumbnail: frame covered into 1280x720 with the crop keeping
 * faces (normalised to the frame) in view, graded, with text drawn in the
 * region farthest from faces. *out (caller frees) is THUMB_W x THUMB_H.
 * text_box (may be NULL) receives where the text went. Returns 0 or
 * AVE_ERR_NOMEM / AVE_ERR_INTERNAL. */
int thumb_compose(const thumb_image *frame, const ave_face *faces, int face_count,
                  const thumb_style *style, const char *text, thumb_image *out,
                  thumb_rect *text_box);

/* Encode img as a JPEG at path no larger than max_bytes, lowering quality
 * until it fits; *bytes receives the size. AVE_ERR_IO / _INTERNAL on failure
 * (message recorded on job). */
int thumb_jpeg_write(ave_job *job, const thumb_image *img, const char *path, int64_t max_bytes,
                     int64_t *bytes);

/* A strategy by folder name across all content types, or NULL. */
const thumb_style *thumb_style_find(const char *name);

/* --- thumbnails.json ---------------------------------------------------- */

/* One written thumbnail. */
typedef struct thumb_written {
    int cand;             /* candidate index */
    const char *strategy; /* style name (static) */
    char relpath[512];    /* under the output folder */
    int64_t bytes;
    thumb_rect text_box;  /* where the text went, 1280x720 pixels */
} thumb_written;

typedef struct thumb_report {
    const thumb_candidate *cands;
    size_t cand_count;
    int baseline;               /* candidate index or -1 */
    const int *picks;           /* candidate indexes, best first */
    size_t pick_count;
    const thumb_written *files;
    size_t file_count;
    const char *text;           /* the hook text used */
    const char *text_source;    /* "option", "headline", "file name" or "none" */
    const char *recommended;    /* relpath or NULL */
    const char *text_note;      /* why the headline is not used, or NULL */
} thumb_report;

/* Write thumbnails/thumbnails.json (thumb_json.c). */
int thumb_json_write(ave_job *job, const thumb_report *r);

#endif
