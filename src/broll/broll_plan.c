/* B-roll planning: which concepts and chapter starts get a card, when, for
 * how long and where on the picture.
 *
 * Every candidate (a chapter start after the first, or a concept scoring at
 * least min_score) gets a wished-for on-screen time by kind, at least as long
 * as the words that triggered it plus a second, clamped to 3-8 s. Times are
 * measured on the edited timeline (ave_timeline_map) and the source end is
 * found by walking kept segments, so a cut inside the card never shortens it
 * on screen. Candidates are then accepted greedily, chapter titles first and
 * concepts by score, when they neither overlap an accepted card nor come
 * closer than min_gap (shortening the earlier of two colliding cards, never
 * below 3 s, when that makes room), and no 60 s of edited time would hold
 * more than max_per_minute cards. Placement: full frame, or picture-in-picture in the
 * corner whose rectangle overlaps the faces seen meanwhile the least (the
 * frames stage's samples) when a face is visible -- the speaker stays on
 * screen. Assumes concepts, chapters and frames are sorted by time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "broll/broll.h"

#define MINUTE_US 60000000LL

void broll_params_default(broll_params *p)
{
    p->min_score = 0.5;
    p->min_gap_us = 4000000;
    p->max_per_minute = 4;
    p->min_dur_us = 3000000;
    p->max_dur_us = 8000000;
    p->placement = -1;
    p->fade_ms = 300;
}

const char *broll_kind_name(int kind)
{
    switch (kind) {
    case BROLL_TITLE: return "title";
    case BROLL_STAT: return "stat";
    case BROLL_LIST: return "list";
    case BROLL_COMPARE: return "comparison";
    case BROLL_DEFINITION: return "definition";
    default: return "card";
    }
}

int broll_pip_ok(int width, int height)
{
    return (width < height ? width : height) >= 600;
}

void broll_pip_rect(int width, int height, int corner, double *x, double *y, double *w, double *h)
{
    double m = BROLL_PIP_MARGIN * (width < height ? width : height);
    *w = round(BROLL_PIP_SCALE * width);
    *h = round(BROLL_PIP_SCALE * height);
    if (width < height) { /* portrait: a landscape card across most of the width */
        *w = round(2 * BROLL_PIP_SCALE * width);
        *h = round(*w * 9.0 / 16.0);
    }
    *x = (corner == BROLL_TOP_LEFT || corner == BROLL_BOTTOM_LEFT) ? m : width - m - *w;
    *y = (corner == BROLL_TOP_LEFT || corner == BROLL_TOP_RIGHT) ? m : height - m - *h;
}

int64_t broll_edited_to_source(const ave_timeline *tl, int64_t edit_us)
{
    int64_t acc = 0, last_end = 0;
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        int64_t len = s->end_us - s->start_us;
        if (!s->keep)
            continue;
        if (edit_us < acc + len)
            return s->start_us + (edit_us > acc ? edit_us - acc : 0);
        acc += len;
        last_end = s->end_us;
    }
    return last_end;
}

static int64_t map_time(const ave_timeline *tl, int64_t src_us)
{
    int64_t out = 0;
    if (src_us < 0)
        src_us = 0;
    if (src_us > tl->duration_us)
        src_us = tl->duration_us;
    (void)ave_timeline_map(tl, src_us, &out);
    return out;
}

/* Kind of card for a concept, or -1 when it cannot make one. */
static int concept_card_kind(const ave_concept *c)
{
    switch (c->kind) {
    case AVE_CONCEPT_NUMBER: return BROLL_STAT;
    case AVE_CONCEPT_ENUMERATION:
    case AVE_CONCEPT_PROCESS: return c->item_count >= 2 ? BROLL_LIST : -1;
    case AVE_CONCEPT_COMPARISON: return c->item_count >= 2 ? BROLL_COMPARE : -1;
    case AVE_CONCEPT_DEFINITION: return c->label[0] ? BROLL_DEFINITION : -1;
    default: return -1;
    }
}

/* Reading time a card needs, before clamping. */
static int64_t wished_duration(int kind, const ave_concept *c)
{
    switch (kind) {
    case BROLL_TITLE: return 3500000;
    case BROLL_STAT: return 5000000;
    case BROLL_LIST: return 3000000 + 1000000LL * (c ? c->item_count : 0);
    case BROLL_COMPARE: return 6000000;
    default: return 4000000 + (c ? 25000LL * (int64_t)strlen(c->text) : 0);
    }
}

/* Place the candidate on the edited timeline: 0, or 1 when it cannot fit. */
static int fit_times(const ave_timeline *tl, const broll_params *p, broll_item *it,
                     int64_t spoken_end_us, const ave_concept *c)
{
    int64_t total = ave_timeline_kept_duration(tl);
    int64_t start = map_time(tl, it->src_start_us);
    int64_t spoken = map_time(tl, spoken_end_us) - start;
    int64_t dur = wished_duration(it->kind, c);

    if (spoken + 1000000 > dur)
        dur = spoken + 1000000;
    dur = dur < p->min_dur_us ? p->min_dur_us : dur > p->max_dur_us ? p->max_dur_us : dur;
    if (start + dur > total) {
        if (total - start >= p->min_dur_us)
            dur = total - start;
        else if (total >= p->min_dur_us)
            start = total - p->min_dur_us, dur = p->min_dur_us;
        else
            return 1;
    }
    it->edit_start_us = start;
    it->edit_end_us = start + dur;
    it->src_start_us = broll_edited_to_source(tl, start);
    it->src_end_us = broll_edited_to_source(tl, start + dur);
    if (it->src_end_us <= it->src_start_us)
        return 1;
    /* A card ending on the very last frame maps to the timeline's end. */
    if (start + dur >= total)
        it->src_end_us = tl->duration_us;
    return 0;
}

/* 1 when some 60 s window of edited time would hold more than cap cards.
 * acc already obeys the cap, so only windows holding the candidate matter,
 * and the busiest of those starts at one of the cards. */
static int over_rate(const broll_item *acc, size_t n, const broll_item *cand, double cap)
{
    int64_t t = cand->edit_start_us;
    for (size_t w = 0; w <= n; w++) {
        int64_t w0 = w < n ? acc[w].edit_start_us : t, count = 1;
        if (w0 > t || t - w0 >= MINUTE_US)
            continue;
        for (size_t j = 0; j < n; j++)
            if (acc[j].edit_start_us >= w0 && acc[j].edit_start_us < w0 + MINUTE_US)
                count++;
        if (count > cap)
            return 1;
    }
    return 0;
}

static int conflicts(const broll_item *acc, size_t n, const broll_item *cand, int64_t gap)
{
    for (size_t j = 0; j < n; j++)
        if (cand->edit_start_us < acc[j].edit_end_us + gap &&
            acc[j].edit_start_us < cand->edit_end_us + gap)
            return 1;
    return 0;
}

static void set_end(const ave_timeline *tl, broll_item *it, int64_t edit_end)
{
    it->edit_end_us = edit_end;
    it->src_end_us = broll_edited_to_source(tl, edit_end);
}

/* Make room for cand by shortening, never below min_dur, whichever card
 * comes first of cand and each one it collides with: two close concepts
 * then both get a shorter card instead of one losing its card. Returns 1
 * when it fits afterwards (acc and cand adjusted), 0 with nothing changed. */
static int make_room(const ave_timeline *tl, const broll_params *p, broll_item *acc, size_t n,
                     broll_item *cand)
{
    broll_item c = *cand;
    int64_t ends[64];
    size_t m = n < 64 ? n : 64;

    for (size_t j = 0; j < m; j++)
        ends[j] = acc[j].edit_end_us;
    for (size_t j = 0; j < m; j++) {
        broll_item *first = acc[j].edit_start_us <= c.edit_start_us ? &acc[j] : &c;
        const broll_item *second = first == &c ? &acc[j] : &c;
        int64_t end = second->edit_start_us - p->min_gap_us;
        if (!(c.edit_start_us < acc[j].edit_end_us + p->min_gap_us &&
              acc[j].edit_start_us < c.edit_end_us + p->min_gap_us))
            continue;
        if (end - first->edit_start_us < p->min_dur_us)
            goto undo;
        first->edit_end_us = end < first->edit_end_us ? end : first->edit_end_us;
    }
    if (conflicts(acc, m, &c, p->min_gap_us))
        goto undo;
    for (size_t j = 0; j < m; j++)
        if (acc[j].edit_end_us != ends[j])
            set_end(tl, &acc[j], acc[j].edit_end_us);
    if (c.edit_end_us != cand->edit_end_us)
        set_end(tl, &c, c.edit_end_us);
    *cand = c;
    return 1;
undo:
    for (size_t j = 0; j < m; j++)
        acc[j].edit_end_us = ends[j];
    return 0;
}

static double face_overlap(const ave_face *f, double x, double y, double w, double h)
{
    double ow = fmin(f->x + f->w, x + w) - fmax(f->x, x);
    double oh = fmin(f->y + f->h, y + h) - fmax(f->y, y);
    return ow > 0 && oh > 0 ? ow * oh : 0;
}

/* FULL without faces in the card's time, else PIP in the clearest corner.
 * Works in normalised coordinates (a unit picture). */
static void choose_placement(const ave_analysis *a, const broll_params *p, broll_item *it)
{
    static const int order[4] = {BROLL_BOTTOM_RIGHT, BROLL_TOP_RIGHT, BROLL_BOTTOM_LEFT,
                                 BROLL_TOP_LEFT};
    double cost[4] = {0, 0, 0, 0};
    int faces = 0;

    it->corner = BROLL_BOTTOM_RIGHT;
    it->placement = it->kind == BROLL_TITLE ? AVE_OVERLAY_FULL : p->placement;
    if (it->placement == AVE_OVERLAY_FULL)
        return;
    for (size_t i = 0; i < a->frame_count; i++) {
        const ave_frame_features *f = &a->frames[i];
        /* a sample just before the card still shows who is on screen */
        if (f->pts_us < it->src_start_us - 1000000 || f->pts_us > it->src_end_us)
            continue;
        for (int k = 0; k < f->face_count && k < AVE_FRAME_MAX_FACES; k++) {
            faces++;
            for (int c = 0; c < 4; c++) {
                double x, y, w, h;
                broll_pip_rect(1000, 1000, order[c], &x, &y, &w, &h);
                cost[c] += face_overlap(&f->faces[k], x / 1000, y / 1000, w / 1000, h / 1000);
            }
        }
    }
    if (it->placement < 0)
        it->placement = faces ? AVE_OVERLAY_PIP : AVE_OVERLAY_FULL;
    if (it->placement != AVE_OVERLAY_PIP)
        return;
    int best = 0;
    for (int c = 1; c < 4; c++)
        if (cost[c] < cost[best] - 1e-9)
            best = c;
    it->corner = order[best];
}

static int by_priority(const void *pa, const void *pb)
{
    const broll_item *a = pa, *b = pb;
    if (a->kind == BROLL_TITLE) {
        if (b->kind != BROLL_TITLE)
            return -1;
    } else if (b->kind == BROLL_TITLE) {
        return 1;
    }
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->edit_start_us < b->edit_start_us ? -1 : a->edit_start_us > b->edit_start_us;
}

static int by_time(const void *pa, const void *pb)
{
    const broll_item *a = pa, *b = pb;
    return a->edit_start_us < b->edit_start_us ? -1 : a->edit_start_us > b->edit_start_us;
}

/* Part of [s, e) the edit keeps, in microseconds. */
static int64_t kept_part(const ave_timeline *tl, int64_t s, int64_t e)
{
    int64_t kept = 0;
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *g = &tl->segs[i];
        int64_t a = g->start_us > s ? g->start_us : s, b = g->end_us < e ? g->end_us : e;
        if (g->keep && b > a)
            kept += b - a;
    }
    return kept;
}

int broll_plan(const ave_analysis *a, const ave_timeline *tl, const broll_params *p,
               broll_item **items, size_t *count, broll_plan_stats *stats)
{
    size_t ncand = a->concept_count + a->chapter_count, n = 0, nacc = 0;
    broll_item *cand = NULL, *acc = NULL;
    broll_plan_stats st;

    memset(&st, 0, sizeof(st));
    *items = NULL;
    *count = 0;
    if (!ncand || !tl->count)
        goto done;
    if (!(cand = calloc(ncand, sizeof(*cand))) || !(acc = calloc(ncand, sizeof(*acc)))) {
        free(cand);
        free(acc);
        return AVE_ERR_NOMEM;
    }
    for (size_t i = 1; i < a->chapter_count; i++) { /* the first chapter opens the video */
        broll_item *it = &cand[n];
        st.candidates++;
        memset(it, 0, sizeof(*it));
        it->kind = BROLL_TITLE;
        it->concept = -1;
        it->chapter = (int)i;
        it->score = 1;
        it->src_start_us = a->chapters[i].start_us;
        if (fit_times(tl, p, it, it->src_start_us, NULL)) {
            st.unusable++;
            continue;
        }
        n++;
    }
    for (size_t i = 0; i < a->concept_count; i++) {
        const ave_concept *c = &a->concepts[i];
        broll_item *it = &cand[n];
        int kind = concept_card_kind(c);
        st.candidates++;
        if (kind < 0) {
            st.unusable++;
            continue;
        }
        if (c->score < p->min_score) {
            st.below_threshold++;
            continue;
        }
        /* words the edit removed are not on screen to be illustrated */
        if (kept_part(tl, c->start_us, c->end_us > c->start_us ? c->end_us : c->start_us + 1) <= 0) {
            st.cut++;
            continue;
        }
        memset(it, 0, sizeof(*it));
        it->kind = kind;
        it->concept = (int)i;
        it->chapter = -1;
        it->score = c->score;
        it->src_start_us = c->start_us;
        if (fit_times(tl, p, it, c->end_us, c)) {
            st.unusable++;
            continue;
        }
        n++;
    }
    qsort(cand, n, sizeof(*cand), by_priority);
    for (size_t i = 0; i < n; i++) {
        if (over_rate(acc, nacc, &cand[i], p->max_per_minute) ||
            (conflicts(acc, nacc, &cand[i], p->min_gap_us) &&
             !make_room(tl, p, acc, nacc, &cand[i]))) {
            st.spacing++;
            continue;
        }
        choose_placement(a, p, &cand[i]);
        acc[nacc++] = cand[i];
    }
    qsort(acc, nacc, sizeof(*acc), by_time);
    free(cand);
    if (nacc) {
        *items = acc;
        *count = nacc;
    } else {
        free(acc);
    }
done:
    if (stats)
        *stats = st;
    return 0;
}
