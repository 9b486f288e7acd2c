/* Thumbnail scoring: every sampled frame becomes a candidate with named
 * components in 0..1 and a weighted total, plus a hard exclusion reason.
 *
 * The model is deliberately transparent (docs/THUMBNAILS.md lists every
 * component and weight): a person can read why one frame beat another. It
 * judges picture quality and composition only; it does not predict clicks.
 * Assumes the frames stage's features (include/ave/job.h): sharpness as the
 * variance of the Laplacian on the 0..255 scale, luma statistics in 0..1,
 * faces normalised to the frame, frames sorted by time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "thumbnails/thumb.h"

static const char *const comp_names[THUMB_C_COUNT] = {
    "sharpness", "exposure",  "contrast",       "face",          "face_size",   "face_thirds",
    "eyes",      "colourful", "stillness",      "scene_distance", "cut_distance",
};

/* Sum to 1. Picture quality first, then people, then placement in time. */
static const double comp_weights[THUMB_C_COUNT] = {
    0.22, 0.14, 0.08, 0.16, 0.08, 0.06, 0.04, 0.08, 0.04, 0.06, 0.04,
};

static const char *const excl_names[THUMB_X_COUNT] = {
    "none", "black", "blurred", "motion", "transition", "scene_change", "removed", "near_cut",
};

/* Exclusion thresholds. */
#define BLACK_BRIGHTNESS 0.09   /* mean luma */
#define BLACK_CLIP 0.85         /* fraction of pixels at or below 16/255 */
#define BLUR_ABSOLUTE 12.0      /* Laplacian variance: soft focus at any size */
#define BLUR_RELATIVE 0.25      /* of the video's median sharpness */
#define MOTION_MAX 0.12         /* mean absolute luma change per sample */
#define NOISE_SHARP 6.0         /* x the median sharpness: grain, not detail... */
#define NOISE_MOTION 0.06       /* ...when it also changes from sample to sample */
#define FADE_STEP 0.015         /* brightness change per sample in a fade */

const char *thumb_component_name(int c)
{
    return c >= 0 && c < THUMB_C_COUNT ? comp_names[c] : "?";
}

const char *thumb_exclusion_name(int x)
{
    return x >= 0 && x < THUMB_X_COUNT ? excl_names[x] : "?";
}

double thumb_component_weight(int c)
{
    return c >= 0 && c < THUMB_C_COUNT ? comp_weights[c] : 0;
}

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static int is_black(const ave_frame_features *f)
{
    return f->brightness < BLACK_BRIGHTNESS || f->clip_dark > BLACK_CLIP;
}

/* The whole picture changing: fast motion, or noise (whose per-pixel
 * grain also makes the Laplacian explode, so it must not set the scale of
 * "sharp" for the rest of the video). median 0: not known yet. */
static int is_unstable(const ave_frame_features *f, double median)
{
    return f->motion > MOTION_MAX ||
           (median > 0 && f->sharpness > NOISE_SHARP * median && f->motion > NOISE_MOTION);
}

/* The q-quantile of the sharpness of non-black frames, also leaving out
 * unstable ones when median > 0 (0 when none). */
static double sharp_quantile(const thumb_input *in, double q, double median)
{
    float *v = malloc(in->frame_count * sizeof(*v) + 1);
    size_t n = 0;
    double r = 0;

    if (!v)
        return 0;
    for (size_t i = 0; i < in->frame_count; i++)
        if (!is_black(&in->frames[i]) && !(median > 0 && is_unstable(&in->frames[i], median)))
            v[n++] = in->frames[i].sharpness;
    if (n) {
        qsort(v, n, sizeof(*v), cmp_float);
        r = v[(size_t)(q * (double)(n - 1) + 0.5)];
    }
    free(v);
    return r;
}

static int64_t absdiff(int64_t a, int64_t b)
{
    return a > b ? a - b : b - a;
}

/* Time to the nearest scene change (a scene start other than the first);
 * *near_gradual is set when t lies in or near a gradual opening. */
static int64_t scene_distance(const thumb_input *in, int64_t t, int *near_gradual)
{
    int64_t best = INT64_MAX;
    *near_gradual = 0;
    for (size_t s = 1; s < in->scene_count; s++) {
        const ave_scene *sc = &in->scenes[s];
        int64_t d = absdiff(t, sc->start_us);
        if (d < best)
            best = d;
        if (sc->gradual && t >= sc->start_us - THUMB_SCENE_MARGIN_US &&
            t < sc->start_us + THUMB_FADE_MARGIN_US)
            *near_gradual = 1;
    }
    return best;
}

/* Time to the nearest kept/removed boundary; *removed when t is cut. */
static int64_t cut_distance(const thumb_input *in, int64_t t, int *removed)
{
    int64_t best = INT64_MAX;
    const ave_timeline *tl = in->timeline;
    *removed = 0;
    if (!tl)
        return best;
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        if (t >= s->start_us && t < s->end_us && !s->keep)
            *removed = 1;
        if (i > 0 && s->keep != tl->segs[i - 1].keep && absdiff(t, s->start_us) < best)
            best = absdiff(t, s->start_us);
    }
    return best;
}

/* A fade: brightness moving steadily one way across both neighbours. */
static int in_fade(const thumb_input *in, size_t i)
{
    const ave_frame_features *f = in->frames;
    double a, b;
    if (i == 0 || i + 1 >= in->frame_count)
        return 0;
    a = f[i].brightness - f[i - 1].brightness;
    b = f[i + 1].brightness - f[i].brightness;
    /* no same-scene condition: a scene detector may split a fade, and a
     * steady ramp across a hard cut is excluded by the cut margin anyway */
    return (a > FADE_STEP && b > FADE_STEP) || (a < -FADE_STEP && b < -FADE_STEP);
}

static void face_components(const ave_frame_features *f, double *comp)
{
    const ave_face *fc = &f->faces[0];
    double cx, ey, dx, dy;

    if (f->face_count <= 0) {
        comp[THUMB_C_FACE] = comp[THUMB_C_FACE_SIZE] = comp[THUMB_C_FACE_THIRDS] = 0;
        comp[THUMB_C_EYES] = 0;
        return;
    }
    comp[THUMB_C_FACE] = 1;
    /* a face a third of the picture tall reads well at thumbnail size;
     * beyond two thirds it is cropped by any composition */
    comp[THUMB_C_FACE_SIZE] = fc->h <= 0.66 ? clamp01(fc->h / 0.33) : clamp01(2 - fc->h / 0.66);
    /* the eyes (40% down the face box) on a horizontal third, the face on
     * a vertical third or the centre line (both common framings) */
    cx = fc->x + fc->w / 2;
    ey = fc->y + 0.4 * fc->h;
    dx = fmin(fmin(fabs(cx - 1.0 / 3), fabs(cx - 2.0 / 3)), fabs(cx - 0.5));
    dy = fmin(fabs(ey - 1.0 / 3), fabs(ey - 0.5));
    comp[THUMB_C_FACE_THIRDS] = clamp01(1 - sqrt(dx * dx + dy * dy) / 0.3);
    comp[THUMB_C_EYES] = 0.5; /* neutral until measured on the grab */
}

void thumb_score_total(thumb_candidate *c)
{
    double t = 0;
    for (int k = 0; k < THUMB_C_COUNT; k++)
        t += comp_weights[k] * c->comp[k];
    c->total = t;
}

void thumb_score_all(const thumb_input *in, thumb_candidate *cands)
{
    double median = sharp_quantile(in, 0.5, 0), p90 = sharp_quantile(in, 0.9, median);

    for (size_t i = 0; i < in->frame_count; i++) {
        const ave_frame_features *f = &in->frames[i];
        thumb_candidate *c = &cands[i];
        double *comp = c->comp;
        double clip = f->clip_dark + f->clip_bright;
        int64_t sd, cd;
        int gradual, removed;

        memset(c, 0, sizeof(*c));
        c->frame = (int)i;
        c->pts_us = f->pts_us;
        c->scene = f->scene_index;

        comp[THUMB_C_SHARPNESS] = p90 > 0 ? clamp01(f->sharpness / p90) : 0;
        /* clipping is penalised mildly: letterbox and pillarbox bars count
         * as dark pixels too, and those are not a badly exposed picture */
        comp[THUMB_C_EXPOSURE] = clamp01(1 - pow(fabs(f->brightness - 0.5) / 0.4, 2)) *
                                 (1 - 0.8 * clamp01((clip - 0.1) / 0.8));
        comp[THUMB_C_CONTRAST] = clamp01(f->contrast / 0.25);
        face_components(f, comp);
        comp[THUMB_C_COLOUR] = clamp01(f->colourfulness / 80.0);
        comp[THUMB_C_STILLNESS] = 1 - clamp01(f->motion / 0.08);
        sd = scene_distance(in, f->pts_us, &gradual);
        cd = cut_distance(in, f->pts_us, &removed);
        comp[THUMB_C_SCENE_DIST] =
            sd == INT64_MAX ? 1 : clamp01((double)(sd - THUMB_SCENE_MARGIN_US) / 1.5e6);
        comp[THUMB_C_CUT_DIST] =
            cd == INT64_MAX ? 1 : clamp01((double)(cd - THUMB_CUT_MARGIN_US) / 1.5e6);
        thumb_score_total(c);

        /* first matching reason wins, most basic first */
        if (is_black(f))
            c->exclusion = THUMB_X_BLACK;
        else if (f->sharpness < BLUR_ABSOLUTE || f->sharpness < BLUR_RELATIVE * median)
            c->exclusion = THUMB_X_BLURRED;
        else if (removed)
            c->exclusion = THUMB_X_REMOVED;
        else if (gradual || in_fade(in, i))
            c->exclusion = THUMB_X_TRANSITION;
        else if (sd < THUMB_SCENE_MARGIN_US)
            c->exclusion = THUMB_X_SCENE_CHANGE;
        else if (cd < THUMB_CUT_MARGIN_US)
            c->exclusion = THUMB_X_NEAR_CUT;
        else if (is_unstable(f, median))
            c->exclusion = THUMB_X_MOTION;
    }
}

double thumb_eyes_contrast(const uint32_t *rgb, int width, int height, ptrdiff_t stride_px,
                           const ave_face *face)
{
    int x0 = (int)(face->x * width), x1 = (int)((face->x + face->w) * width);
    int y0 = (int)((face->y + 0.2 * face->h) * height);
    int y1 = (int)((face->y + 0.5 * face->h) * height);
    double sum = 0, sum2 = 0, n = 0, var;

    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > width ? width : x1;
    y1 = y1 > height ? height : y1;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            uint32_t p = rgb[(ptrdiff_t)y * stride_px + x];
            double l = (0.299 * ((p >> 16) & 255) + 0.587 * ((p >> 8) & 255) + 0.114 * (p & 255)) /
                       255.0;
            sum += l;
            sum2 += l * l;
            n++;
        }
    if (n < 16)
        return 0;
    var = sum2 / n - (sum / n) * (sum / n);
    return clamp01(sqrt(var > 0 ? var : 0) / 0.2);
}
