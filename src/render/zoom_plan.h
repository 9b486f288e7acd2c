/* Punch-in zoom planning (--zoom-cuts): which kept span is shown punched in
 * and through which crop rectangle, from the spans and the face boxes.
 *
 * Pure geometry, no libav: everything is in fractions of the coded frame
 * (0..1 on each axis), so the plan does not depend on the resolution and
 * the unit test drives it with constructed faces. src/render/zoom.c turns
 * the rectangles into pixels and does the crop and scale per frame.
 *
 * The rules (docs/ZOOM.md):
 * - the framing alternates at every jump cut: span 0 full frame, span 1
 *   punched in, span 2 full, ...;
 * - a punched span keeps one crop for its whole length (a static camera
 *   setting, not a tracking shot), or with push-in a crop that shrinks
 *   linearly from its start to its end;
 * - the crop holds the speaker's face box over the whole span (every face
 *   sample in the span and just around it), grown by a margin; it is centred
 *   on that box and shifted, never shrunk, to keep it in; when the box does
 *   not fit at the asked scale the scale is reduced, and below min_scale
 *   the span stays full frame;
 * - without a face the crop is centred on a point the caller gives (render
 *   uses the saliency point of the span's first frame, ave_zoom_saliency). */
#ifndef AVE_RENDER_ZOOM_PLAN_H
#define AVE_RENDER_ZOOM_PLAN_H

#include <stddef.h>
#include <stdint.h>

/* A rectangle in fractions of the frame: top-left corner and size. */
typedef struct ave_zoom_box {
    double x, y, w, h;
} ave_zoom_box;

/* One sampled frame's faces, already in coded orientation
 * (ave_zoom_box_to_coded): `box` is the union of the faces that count as
 * speakers (ave_zoom_speakers). has_face 0: the sample saw no face. */
typedef struct ave_zoom_face_sample {
    int64_t t_us; /* source time */
    int has_face;
    ave_zoom_box box;
} ave_zoom_face_sample;

typedef struct ave_zoom_params {
    double scale;         /* punch-in, 1.15 = 115 % (--zoom-amount / 100) */
    double motion_per_s;  /* push-in: scale grows by this fraction per second; 0 off */
    double motion_max;    /* ... by at most this fraction over a span */
    double min_scale;     /* a punch-in smaller than this is not worth a jump: full frame */
    double margin_side;   /* face margin left and right, fraction of the face width */
    double margin_top;    /* above the face (hair, forehead), fraction of its height */
    double margin_bottom; /* below (chin, neck), fraction of its height */
    int64_t hold_us;      /* face samples this far outside a span still count */
} ave_zoom_params;

/* Defaults (see zoom_plan.c for why each value). */
void ave_zoom_params_default(ave_zoom_params *p);

enum ave_zoom_framing { AVE_ZOOM_FULL, AVE_ZOOM_PUNCH };
enum ave_zoom_anchor {
    AVE_ZOOM_ANCHOR_NONE, /* full frame */
    AVE_ZOOM_ANCHOR_FACE, /* placed around the face box */
    AVE_ZOOM_ANCHOR_POINT /* no face: centred on a point (ave_zoom_span_recentre) */
};

/* The plan for one kept span. */
typedef struct ave_zoom_span {
    int64_t start_us, end_us;  /* source time */
    int framing;               /* enum ave_zoom_framing */
    int anchor;                /* enum ave_zoom_anchor */
    int limited;               /* the face forced a smaller scale (or full frame) */
    double scale0, scale1;     /* at the start and at the end (equal without push-in) */
    ave_zoom_box crop0, crop1; /* crop at the start and the end; {0,0,1,1} when full */
    ave_zoom_box face;         /* union of the span's face boxes (ANCHOR_FACE) */
    ave_zoom_box keep;         /* the same with margins: what the crop holds */
} ave_zoom_span;

/* Convert a face box from display orientation (the frames stage's, upright)
 * to the coded picture's, for a video shown rotated rotation_deg clockwise
 * (0, 90, 180, 270; anything else is taken as 0). */
ave_zoom_box ave_zoom_box_to_coded(ave_zoom_box display, int rotation_deg);

/* The union of the faces that count as speakers among n faces sorted
 * largest first: the largest and every other at least half its area (two
 * people talking are both kept in frame; a small face in the background is
 * not). Returns 0 with *out set, or -1 when n is 0. */
int ave_zoom_speakers(const ave_zoom_box *faces, size_t n, ave_zoom_box *out);

/* Place a crop of the given scale (>= 1) centred on (cx, cy), shifted so
 * that keep (NULL: nothing to keep) lies inside and the crop inside the
 * frame. When keep cannot fit, the scale is reduced to the largest that
 * fits. Writes the crop to *crop and returns the scale used. */
double ave_zoom_place(double scale, double cx, double cy, const ave_zoom_box *keep,
                      ave_zoom_box *crop);

/* Plan n spans (source time, sorted, not overlapping) into out[n], with the
 * nf face samples (sorted by time; may be NULL when nf is 0). Returns 0, or
 * AVE_ERR_USAGE for bad parameters (scale < 1). */
int ave_zoom_plan(const int64_t (*spans)[2], size_t n, const ave_zoom_face_sample *faces, size_t nf,
                  const ave_zoom_params *p, ave_zoom_span *out);

/* Move an ANCHOR_POINT span's crops to centre on (cx, cy); other spans are
 * left alone. */
void ave_zoom_span_recentre(ave_zoom_span *s, double cx, double cy);

/* The saliency point of a w x h luma plane (rows `stride` bytes apart), in
 * fractions of the frame: the centroid of the luma gradient (|dx| + |dy|
 * on a grid of about 160 columns), pulled halfway to the centre; the
 * centre itself for a flat picture. */
void ave_zoom_saliency(const uint8_t *luma, ptrdiff_t stride, int w, int h, double *cx, double *cy);

/* The crop of span s at source time t_us (clamped to the span): crop0
 * until the push-in moves it towards crop1. Returns 1 when the frame is to
 * be punched in, 0 for full frame (*crop is then {0,0,1,1}). */
int ave_zoom_crop_at(const ave_zoom_span *s, int64_t t_us, ave_zoom_box *crop);

#endif
