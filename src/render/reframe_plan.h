/* The virtual camera of --aspect and the shorts (issue 22): where a crop
 * window of another aspect ratio sits in the source picture at each instant.
 *
 * Pure geometry, no libav: positions are fractions of the coded frame, times
 * are source microseconds, so the unit test drives it with constructed face
 * tracks. src/render/reframe.c turns the plan into pixels per frame.
 *
 * The rules (docs/ASPECT.md):
 * - the subject is the face that speaks when the samples say so (a face's
 *   activity, averaged over a second either side for the face at that
 *   place, clearly above the others'), else the speakers' union
 *   (ave_zoom_speakers) when it fits in the crop, else the largest face;
 * - the camera aims to put the subject's centre at face_y of the crop's
 *   height (the upper-middle third) and centred across;
 * - a dead zone: the aim changes only when the subject leaves a box of
 *   dead_zone x the crop's size around the current aim, so small head moves
 *   do not move the camera;
 * - the camera moves towards its aim no faster than max_speed and speeds
 *   up and slows down at max_accel at most (ease in and out);
 * - at a scene change the camera jumps straight to the new shot's subject
 *   (a hard cut of the window); only there does it jump;
 * - a shot where a face was seen in under half of the samples holds the
 *   camera still on the median of the subjects seen (no track to follow,
 *   and one stray detection must not pull it away);
 * - a shot with no face at all is letterboxed (AVE_REFRAME_FIT): the whole
 *   frame, over a blurred copy of itself; a face lost for a moment inside a
 *   shot that has one holds the camera where it is. */
#ifndef AVE_RENDER_REFRAME_PLAN_H
#define AVE_RENDER_REFRAME_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "render/zoom_plan.h"

#define AVE_REFRAME_MAX_FACES 8

/* One sampled frame's faces in coded orientation, largest first. activity:
 * how much the face's mouth region moves or how loud its side of a stereo
 * recording is (any unit, compared between the faces of one sample); < 0
 * when unknown. */
typedef struct ave_reframe_sample {
    int64_t t_us;
    int nfaces;
    ave_zoom_box faces[AVE_REFRAME_MAX_FACES];
    double activity[AVE_REFRAME_MAX_FACES];
} ave_reframe_sample;

typedef struct ave_reframe_params {
    double out_aspect;   /* output width / height (9/16 = 0.5625) */
    double frame_aspect; /* the source's width / height in pixels */
    double face_y;       /* subject centre at this fraction of the crop's height */
    double dead_zone;    /* fraction of the crop's size the subject may wander */
    double max_speed;    /* crop widths (heights for vertical pans) per second */
    double max_accel;    /* crop widths per second per second */
    double speaker_ratio; /* activity this many times every other face's: that one speaks */
    double min_activity; /* ... and at least this much (below: nobody is seen speaking) */
    int64_t activity_window_us; /* activity is averaged over this much either side, per face */
    int64_t step_us;     /* the plan's time step (one output frame) */
} ave_reframe_params;

/* Defaults (reframe_plan.c says why each value). out_aspect and
 * frame_aspect are set to 9:16 and 16:9; step to 30 frames a second. */
void ave_reframe_params_default(ave_reframe_params *p);

enum ave_reframe_mode { AVE_REFRAME_CROP, AVE_REFRAME_FIT };

/* The camera at one step. */
typedef struct ave_reframe_key {
    int64_t t_us;
    int mode;       /* enum ave_reframe_mode */
    int cut;        /* 1: a scene change starts here (the window may jump) */
    int has_subject; /* a face was seen at (or interpolated to) this step */
    double x, y;    /* top-left of the crop, fractions of the frame (0 for FIT) */
    double sx, sy;  /* the subject's centre it aimed at (NaN-free: -1 when none) */
} ave_reframe_key;

/* The crop's size in fractions of the frame: the largest window of
 * out_aspect inside the frame. */
void ave_reframe_crop_size(const ave_reframe_params *p, double *w, double *h);

/* Which box to frame among a sample's faces (see the rules above), given
 * the crop's size. Returns 0 with *out set, or -1 without a face. */
int ave_reframe_subject(const ave_reframe_sample *s, double crop_w, double crop_h,
                        const ave_reframe_params *p, ave_zoom_box *out);

/* Plan the camera from t0_us to t1_us (source time) every p->step_us,
 * from ns samples sorted by time and the nc scene-change times cuts (sorted;
 * each starts a new shot). *keys is malloc'd (caller frees) and holds *nkeys
 * keys, the first at t0_us. Returns 0, AVE_ERR_USAGE for bad parameters or
 * AVE_ERR_NOMEM. */
int ave_reframe_plan(const ave_reframe_sample *samples, size_t ns, const int64_t *cuts, size_t nc,
                     int64_t t0_us, int64_t t1_us, const ave_reframe_params *p,
                     ave_reframe_key **keys, size_t *nkeys);

/* The key in effect at source time t (the last one at or before it;
 * clamped to the plan). *cursor is a hint kept between calls. */
const ave_reframe_key *ave_reframe_at(const ave_reframe_key *keys, size_t n, int64_t t_us,
                                      size_t *cursor);

#endif
