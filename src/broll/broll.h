/* Private to src/broll: the B-roll plan (which concept gets a card, when,
 * for how long, where) and the card renderer (cairo + pango).
 *
 * Planning works on the edited timeline, since that is what a viewer sees:
 * spacing, the per-minute cap and the 3-8 s duration are measured there
 * with ave_timeline_map, and the card's source end is found by walking the
 * kept segments, so cuts inside a card never shorten it on screen. */
#ifndef AVE_BROLL_H
#define AVE_BROLL_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

#define BROLL_LOG "broll"

enum broll_kind { BROLL_TITLE, BROLL_STAT, BROLL_LIST, BROLL_COMPARE, BROLL_DEFINITION };

/* A PIP card is this fraction of the picture's width and height, this far
 * (fraction of the height) from the edges. */
#define BROLL_PIP_SCALE 0.42
#define BROLL_PIP_MARGIN 0.04

/* PIP corners. */
enum broll_corner { BROLL_TOP_LEFT, BROLL_TOP_RIGHT, BROLL_BOTTOM_LEFT, BROLL_BOTTOM_RIGHT };

typedef struct broll_params {
    double min_score;        /* concepts below it get no card */
    int64_t min_gap_us;      /* edited time between one card's end and the next start */
    double max_per_minute;   /* in any 60 s of edited time */
    int64_t min_dur_us, max_dur_us; /* on screen, edited time */
    int placement;           /* -1 auto (PIP when a face is visible), else AVE_OVERLAY_* */
    int fade_ms;
} broll_params;

/* Defaults: score 0.5, 4 s gap, 4 per minute, 3-8 s, auto placement, 300 ms fades. */
void broll_params_default(broll_params *p);

/* One planned card. */
typedef struct broll_item {
    int kind;                 /* enum broll_kind */
    int concept;              /* index into analysis.concepts, -1 for a title card */
    int chapter;              /* index into analysis.chapters, -1 otherwise */
    float score;
    int64_t src_start_us, src_end_us;   /* source time the card covers */
    int64_t edit_start_us, edit_end_us; /* the same on the edited timeline */
    int placement;            /* enum ave_overlay_placement */
    int corner;               /* enum broll_corner, for PIP */
} broll_item;

typedef struct broll_plan_stats {
    size_t candidates, below_threshold, cut, spacing, unusable;
} broll_plan_stats;

/* Choose cards for the concepts and chapters in a (borrowed), on the edited
 * timeline tl. *items (malloc'd, caller frees; NULL when none) receives *count
 * cards sorted by time; *stats (may be NULL) why candidates were dropped.
 * Returns 0 or AVE_ERR_NOMEM. */
int broll_plan(const ave_analysis *a, const ave_timeline *tl, const broll_params *p,
               broll_item **items, size_t *count, broll_plan_stats *stats);

/* The source time that edited time edit_us maps back to (the end of the
 * kept segment holding it; the timeline's end when past it). */
int64_t broll_edited_to_source(const ave_timeline *tl, int64_t edit_us);

/* 1 when a PIP card would be big enough to read (shorter side >= 600);
 * smaller videos get full-frame cards. */
int broll_pip_ok(int width, int height);

/* The PIP rectangle of corner in a width x height picture (portrait
 * pictures: a 16:9 card across 84% of the width). */
void broll_pip_rect(int width, int height, int corner, double *x, double *y, double *w, double *h);

/* Static name of a kind for files and JSON: "title", "stat", ... */
const char *broll_kind_name(int kind);

/* --- cards ----------------------------------------------------------- */

/* What a card says, independent of the job (so tests can build one). */
typedef struct broll_card {
    int kind;                 /* enum broll_kind */
    char heading[128];        /* title, term, list heading, what a number measures */
    char body[256];           /* definition text, or a subtitle */
    char value[32];           /* STAT: "40%", "3 million" */
    double fraction;          /* STAT: 0..1 for a chart, < 0 for none */
    int item_count;
    char items[AVE_CONCEPT_MAX_ITEMS][64];
    char tag[32];             /* small label over the heading: "CHAPTER 2", "KEY NUMBER" */
} broll_card;

/* Fill card from plan item it (the concept or chapter it names). */
void broll_card_from_item(const ave_analysis *a, const broll_item *it, broll_card *card);

typedef struct broll_box {
    double x, y, w, h;
} broll_box;

#define BROLL_MAX_BOXES 24

/* Where a rendered card put things, for tests and the JSON. */
typedef struct broll_card_layout {
    broll_box card;           /* the card panel (the whole picture when FULL) */
    broll_box chart;          /* STAT: the chart's box (w = 0 when none) */
    broll_box text[BROLL_MAX_BOXES]; /* ink extents of every text drawn */
    int text_count;
    int ellipsized;           /* some text did not fit and was shortened */
} broll_card_layout;

/* Render card into a new width x height ARGB32 picture (transparent where
 * the card is not) and write it as a PNG to png_path. placement/corner as
 * in broll_item. layout (may be NULL) receives the geometry. Returns 0,
 * AVE_ERR_IO when the PNG cannot be written, AVE_ERR_NOMEM. */
int broll_card_render(const broll_card *card, int width, int height, int placement, int corner,
                      const char *png_path, broll_card_layout *layout);

#endif
