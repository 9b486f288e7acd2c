/* The virtual camera: see reframe_plan.h for the rules. Everything here is
 * fractions of the frame and source microseconds. */
#include <math.h>
#include <stdlib.h>

#include "ave/error.h"
#include "render/reframe_plan.h"

void ave_reframe_params_default(ave_reframe_params *p)
{
    p->out_aspect = 9.0 / 16.0;
    p->frame_aspect = 16.0 / 9.0;
    /* The face's centre a little above the upper third line: eyes near the
     * third, room for the chin and the captions below. */
    p->face_y = 0.38;
    /* A talking head sways by a tenth of a face, a few percent of a 9:16
     * crop's width; 12 % lets that pass and still follows a step aside. */
    p->dead_zone = 0.12;
    /* Half a crop width a second is a slow pan an operator would make; at
     * 30 frames a second it is under 10 px a frame on a 1080p source's
     * 608 px wide 9:16 crop. */
    p->max_speed = 0.5;
    /* Full speed in 0.4 s, and as long to stop: an ease, not a lurch. */
    p->max_accel = 1.25;
    p->speaker_ratio = 1.5;
    /* Mouth motion is a luma change of 0..1: under 1 % (2.5 levels) is
     * noise and compression, not speech. */
    p->min_activity = 0.01;
    /* A mouth moves and rests within a word, and samples 0.2-0.5 s apart
     * catch it in either state: a second either side says who talks. */
    p->activity_window_us = 1000000;
    p->step_us = 33333;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void ave_reframe_crop_size(const ave_reframe_params *p, double *w, double *h)
{
    if (p->out_aspect < p->frame_aspect) {
        *h = 1;
        *w = p->out_aspect / p->frame_aspect;
    } else {
        *w = 1;
        *h = p->frame_aspect / p->out_aspect;
    }
}

int ave_reframe_subject(const ave_reframe_sample *s, double crop_w, double crop_h,
                        const ave_reframe_params *p, ave_zoom_box *out)
{
    int n = s->nfaces < AVE_REFRAME_MAX_FACES ? s->nfaces : AVE_REFRAME_MAX_FACES;
    int best = -1;
    ave_zoom_box u;

    if (n <= 0)
        return -1;
    /* the one speaking, when one face's activity stands out */
    for (int i = 0; i < n; i++)
        if (s->activity[i] >= 0 && (best < 0 || s->activity[i] > s->activity[best]))
            best = i;
    if (best >= 0 && n > 1) {
        int clear = s->activity[best] >= p->min_activity;
        for (int i = 0; i < n && clear; i++)
            if (i != best && !(s->activity[i] >= 0 &&
                               s->activity[best] >= p->speaker_ratio * s->activity[i]))
                clear = 0;
        if (clear) {
            *out = s->faces[best];
            return 0;
        }
    }
    /* else both (every face that counts as a speaker) when they fit, with
     * a quarter face of room at each side */
    if (ave_zoom_speakers(s->faces, (size_t)n, &u) == 0 && u.w + 0.5 * s->faces[0].w <= crop_w &&
        u.h <= crop_h) {
        *out = u;
        return 0;
    }
    *out = s->faces[0]; /* else the largest */
    return 0;
}

/* The shot holding t: the number of cuts at or before it. */
static size_t shot_of(const int64_t *cuts, size_t nc, int64_t t)
{
    size_t lo = 0, hi = nc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cuts[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first face sample of shot k (between its cuts), or -1 when the shot
 * has none. */
static long shot_first_face(const ave_reframe_sample *s, size_t ns, const int64_t *cuts, size_t nc,
                            size_t k)
{
    int64_t a = k ? cuts[k - 1] : INT64_MIN, b = k < nc ? cuts[k] : INT64_MAX;
    for (size_t i = 0; i < ns && s[i].t_us < b; i++)
        if (s[i].t_us >= a && s[i].nfaces > 0)
            return (long)i;
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A shot where the detector saw a face in under half of the samples (a
 * profile, a turned head, a busy picture) gives no track to follow: the
 * camera holds still for the whole shot on the median of the subjects it
 * did see, so one stray detection cannot drag it away. Returns 1 with the
 * crop's corner in (*x, *y) for such a shot, 0 for a shot to track.
 * Returns -1 when out of memory. */
static int sparse_shot(const ave_reframe_sample *s, size_t ns, const int64_t *cuts, size_t nc,
                       size_t k, double cw, double ch, const ave_reframe_params *p, double *x,
                       double *y)
{
    int64_t a = k ? cuts[k - 1] : INT64_MIN, b = k < nc ? cuts[k] : INT64_MAX;
    size_t total = 0, seen = 0;
    double *cx, *cy;
    ave_zoom_box box;

    for (size_t i = 0; i < ns && s[i].t_us < b; i++)
        if (s[i].t_us >= a) {
            total++;
            seen += s[i].nfaces > 0;
        }
    if (!seen || 2 * seen >= total)
        return 0;
    if (!(cx = malloc(2 * seen * sizeof(*cx))))
        return -1;
    cy = cx + seen;
    seen = 0;
    for (size_t i = 0; i < ns && s[i].t_us < b; i++)
        if (s[i].t_us >= a && ave_reframe_subject(&s[i], cw, ch, p, &box) == 0) {
            cx[seen] = box.x + box.w / 2;
            cy[seen++] = box.y + box.h / 2;
        }
    qsort(cx, seen, sizeof(*cx), cmp_double);
    qsort(cy, seen, sizeof(*cy), cmp_double);
    *x = clampd(cx[seen / 2] - cw / 2, 0, 1 - cw);
    *y = clampd(cy[seen / 2] - p->face_y * ch, 0, 1 - ch);
    free(cx);
    return 1;
}

/* The subject's centre at t: interpolated between the samples around t in
 * the same shot that have a face, or the nearer one alone within a second.
 * Returns 1 when there is one. *lo is a cursor: the first sample after t. */
#define HOLD_US 1000000
static int subject_at(const ave_reframe_sample *s, size_t ns, const int64_t *cuts, size_t nc,
                      int64_t t, double cw, double ch, const ave_reframe_params *p, size_t *lo,
                      double *cx, double *cy)
{
    size_t k = shot_of(cuts, nc, t);
    long a = -1, b = -1;
    ave_zoom_box ba, bb;

    while (*lo < ns && s[*lo].t_us <= t)
        (*lo)++;
    for (long i = (long)*lo - 1; i >= 0 && t - s[i].t_us <= HOLD_US; i--) {
        if (shot_of(cuts, nc, s[i].t_us) != k)
            break;
        if (ave_reframe_subject(&s[i], cw, ch, p, &ba) == 0) {
            a = i;
            break;
        }
    }
    for (size_t i = *lo; i < ns && s[i].t_us - t <= HOLD_US; i++) {
        if (shot_of(cuts, nc, s[i].t_us) != k)
            break;
        if (ave_reframe_subject(&s[i], cw, ch, p, &bb) == 0) {
            b = (long)i;
            break;
        }
    }
    if (a < 0 && b < 0)
        return 0;
    if (a >= 0 && b >= 0) {
        double u = (double)(t - s[a].t_us) / (double)(s[b].t_us - s[a].t_us);
        *cx = (1 - u) * (ba.x + ba.w / 2) + u * (bb.x + bb.w / 2);
        *cy = (1 - u) * (ba.y + ba.h / 2) + u * (bb.y + bb.h / 2);
    } else if (a >= 0) {
        *cx = ba.x + ba.w / 2, *cy = ba.y + ba.h / 2;
    } else {
        *cx = bb.x + bb.w / 2, *cy = bb.y + bb.h / 2;
    }
    return 1;
}

/* One axis of the camera: move pos towards goal with speed and acceleration
 * limits: the fastest approach that can still stop at the goal, slowing by
 * amax*dt a step (the speed v leaves room to stop when the distance is at
 * least v*dt/2 + v^2/(2 amax), the discrete braking distance). */
static void axis_step(double *pos, double *vel, double goal, double vmax, double amax, double dt)
{
    double d = goal - *pos, want, dv, h = amax * dt / 2;

    if (fabs(d) < 1e-12 && fabs(*vel) <= amax * dt) { /* arrived: stop */
        *pos = goal, *vel = 0;
        return;
    }
    want = (d > 0 ? 1 : -1) * fmin(vmax, sqrt(h * h + 2 * amax * fabs(d)) - h);
    dv = clampd(want - *vel, -amax * dt, amax * dt);
    *vel += dv;
    if (fabs(*vel * dt) >= fabs(d)) { /* arrives this step: land on it */
        *vel = d / dt;
        *pos = goal;
        return;
    }
    *pos += *vel * dt;
}

/* The face of sample s nearest to centre (cx, cy) within half its width,
 * or -1. */
static int same_face(const ave_reframe_sample *s, double cx, double cy)
{
    int best = -1;
    double bd = 0;
    for (int j = 0; j < s->nfaces && j < AVE_REFRAME_MAX_FACES; j++) {
        const ave_zoom_box *f = &s->faces[j];
        double dx = f->x + f->w / 2 - cx, dy = f->y + f->h / 2 - cy, d = dx * dx + dy * dy;
        if (d <= 0.25 * f->w * f->w && (best < 0 || d < bd))
            best = j, bd = d;
    }
    return best;
}

/* samples with each face's activity averaged over the window, for the face
 * at the same place in the neighbouring samples. Returns a malloc'd copy,
 * or NULL when out of memory. */
static ave_reframe_sample *smooth_activity(const ave_reframe_sample *s, size_t ns,
                                           const ave_reframe_params *p)
{
    ave_reframe_sample *o = malloc(ns ? ns * sizeof(*o) : 1);
    size_t lo = 0;

    if (!o)
        return NULL;
    for (size_t i = 0; i < ns; i++) {
        o[i] = s[i];
        while (s[lo].t_us < s[i].t_us - p->activity_window_us)
            lo++;
        for (int j = 0; j < s[i].nfaces && j < AVE_REFRAME_MAX_FACES; j++) {
            const ave_zoom_box *f = &s[i].faces[j];
            double sum = 0, cx = f->x + f->w / 2, cy = f->y + f->h / 2;
            int n = 0;
            for (size_t k = lo; k < ns && s[k].t_us <= s[i].t_us + p->activity_window_us; k++) {
                int m = same_face(&s[k], cx, cy);
                if (m >= 0 && s[k].activity[m] >= 0)
                    sum += s[k].activity[m], n++;
            }
            o[i].activity[j] = n ? sum / n : s[i].activity[j];
        }
    }
    return o;
}

int ave_reframe_plan(const ave_reframe_sample *raw, size_t ns, const int64_t *cuts, size_t nc,
                     int64_t t0_us, int64_t t1_us, const ave_reframe_params *p,
                     ave_reframe_key **keys, size_t *nkeys)
{
    ave_reframe_sample *samples = NULL;
    double cw, ch, dt, px = 0, py = 0, vx = 0, vy = 0, gx = 0, gy = 0;
    size_t n, cursor = 0, shot = (size_t)-1;
    int fit = 0, still = 0, aimed = 0, follow_x = 0, follow_y = 0;
    ave_reframe_key *k;

    *keys = NULL;
    *nkeys = 0;
    if (!p || !(p->out_aspect > 0) || !(p->frame_aspect > 0) || p->step_us <= 0 ||
        t1_us < t0_us || !(p->max_speed > 0) || !(p->max_accel > 0) || (ns && !raw) ||
        (nc && !cuts))
        return AVE_ERR_USAGE;
    if (!(samples = smooth_activity(raw, ns, p)))
        return AVE_ERR_NOMEM;
    ave_reframe_crop_size(p, &cw, &ch);
    dt = (double)p->step_us / 1e6;
    n = (size_t)((t1_us - t0_us) / p->step_us) + 1;
    if (!(k = calloc(n, sizeof(*k)))) {
        free(samples);
        return AVE_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t t = t0_us + (int64_t)i * p->step_us;
        size_t s = shot_of(cuts, nc, t);
        double sx = -1, sy = -1, tx, ty;
        int has = subject_at(samples, ns, cuts, nc, t, cw, ch, p, &cursor, &sx, &sy);

        k[i].t_us = t;
        k[i].has_subject = has;
        k[i].sx = has ? sx : -1;
        k[i].sy = has ? sy : -1;
        if (s != shot) { /* a new shot: cut the window to its subject */
            long first = shot_first_face(samples, ns, cuts, nc, s);
            ave_zoom_box b;
            shot = s;
            k[i].cut = i > 0;
            fit = first < 0;
            aimed = follow_x = follow_y = still = 0;
            if (!fit && (still = sparse_shot(samples, ns, cuts, nc, s, cw, ch, p, &gx, &gy)) < 0) {
                free(k);
                free(samples);
                return AVE_ERR_NOMEM;
            }
            if (still) {
                px = gx, py = gy;
                aimed = 1;
            }
            vx = vy = 0;
            /* a face first seen later in the shot: wait where it will be */
            if (!fit && !still && !has && ave_reframe_subject(&samples[first], cw, ch, p, &b) == 0) {
                gx = px = clampd(b.x + b.w / 2 - cw / 2, 0, 1 - cw);
                gy = py = clampd(b.y + b.h / 2 - p->face_y * ch, 0, 1 - ch);
                aimed = 1;
            }
        }
        if (fit) {
            k[i].mode = AVE_REFRAME_FIT;
            continue;
        }
        k[i].mode = AVE_REFRAME_CROP;
        if (has && !still) {
            tx = clampd(sx - cw / 2, 0, 1 - cw);
            ty = clampd(sy - p->face_y * ch, 0, 1 - ch);
            if (!aimed) { /* first sight in the shot: start there */
                gx = px = tx, gy = py = ty;
                aimed = 1;
            } else {
                /* the dead zone: follow the subject once it leaves the
                 * zone around the aim, until the camera has caught up */
                if (fabs(tx - gx) > p->dead_zone * cw)
                    follow_x = 1;
                if (fabs(ty - gy) > p->dead_zone * ch)
                    follow_y = 1;
                if (follow_x)
                    gx = tx;
                if (follow_y)
                    gy = ty;
            }
        }
        axis_step(&px, &vx, gx, p->max_speed * cw, p->max_accel * cw, dt);
        axis_step(&py, &vy, gy, p->max_speed * ch, p->max_accel * ch, dt);
        if (px == gx && vx == 0)
            follow_x = 0;
        if (py == gy && vy == 0)
            follow_y = 0;
        k[i].x = clampd(px, 0, 1 - cw);
        k[i].y = clampd(py, 0, 1 - ch);
    }
    free(samples);
    *keys = k;
    *nkeys = n;
    return 0;
}

const ave_reframe_key *ave_reframe_at(const ave_reframe_key *keys, size_t n, int64_t t_us,
                                      size_t *cursor)
{
    size_t i = *cursor < n ? *cursor : 0;

    if (!n)
        return NULL;
    if (keys[i].t_us > t_us)
        i = 0;
    while (i + 1 < n && keys[i + 1].t_us <= t_us)
        i++;
    *cursor = i;
    return &keys[i];
}
