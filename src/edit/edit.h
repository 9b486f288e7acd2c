/* Private to src/edit: re-cutting a finished output folder from the user's
 * edits (the `edit` stage, run by `ai-video-editor render OUTPUT_DIR`). */
#ifndef AVE_EDIT_EDIT_H
#define AVE_EDIT_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"
#include "ave/timeline.h"

#define EDIT_LOG "edit"
#define EDIT_MAX_JSON (256u << 20) /* larger is not a file we wrote */

/* The video frame grid: one frame lasts num/den seconds; num 0 = no grid
 * (audio only, variable frame rate): times stay as they are. */
typedef struct edit_grid {
    int num, den;
} edit_grid;

enum edit_round { EDIT_ROUND_NEAR, EDIT_ROUND_DOWN, EDIT_ROUND_UP };

/* t moved onto the grid. A time within 1 us of a frame (a boundary plan
 * already snapped, stored in whole microseconds) stays on that frame
 * whatever the direction, so re-snapping never creeps. */
int64_t edit_grid_round(const edit_grid *g, int64_t t, int mode);


/* What edit_timeline_snap did. */
typedef struct edit_snap_stats {
    int64_t kept_asked_us; /* kept time before snapping */
    size_t frames_mixed;   /* frames holding a boundary, decided by their kept share */
    size_t pieces_short;   /* inner segments shorter than a frame */
} edit_snap_stats;

/* Move tl's boundaries onto the grid g (no grid: unchanged). A frame
 * holding no boundary follows its segment; one holding some is kept when
 * at least half of it is kept (a lone boundary goes to its nearest frame),
 * the kept time asked and given carried over consecutive such frames, so a
 * run of pieces shorter than a frame keeps what it asked within half a
 * frame. A cut frame takes the reason of the cut covering most of it. One
 * linear pass. Returns 0 or AVE_ERR_NOMEM (tl unchanged then). */
int edit_timeline_snap(ave_timeline *tl, const edit_grid *g, edit_snap_stats *st);

/* Parse timeline.json (written by ave_timeline_json, perhaps
 * edited by hand) into tl for an input lasting duration_us: "segments" is
 * authoritative; each with "action": "cut" (or a non-"keep" reason) is
 * removed with its reason (unknown reasons: manual); anything else is kept;
 * then the boundaries go onto the frame grid g (edit_timeline_snap, whose
 * figures land in *snap). *src receives the recording it was made for:
 * "source_duration" (0 if absent) and "input_fingerprint" ("" if absent:
 * files written before it was recorded). On error writes one line into err
 * (without the file name) and returns AVE_ERR_INPUT or AVE_ERR_NOMEM; tl is
 * then freed. */
typedef struct edit_source {
    int64_t duration_us;
    char fingerprint[65];
} edit_source;
int edit_timeline_parse(const char *json, int64_t duration_us, const edit_grid *g, ave_timeline *tl,
                        edit_source *src, edit_snap_stats *snap, char *err, size_t errlen);


/* Parse transcript.json: the words with their flags ("cut" sets
 * AVE_WORD_CUT) and the engine name. *words malloc'd (caller frees; NULL
 * when there are none). Errors as edit_timeline_parse. */
int edit_transcript_parse(const char *json, ave_word **words, size_t *n, char *engine,
                          size_t engine_len, char *err, size_t errlen);

/* What edit_apply_words changed. */
typedef struct edit_stats {
    size_t words_cut;      /* kept words now cut */
    size_t words_restored; /* cut words now kept */
    size_t gaps_restored;  /* content-cut pieces beside restored words given back */
} edit_stats;

/* Edit tl so each word w[i] ends up kept when keep[i] and cut otherwise, as
 * the user asked; words whose state (their AVE_WORD_CUT flag, as shown to
 * the user) does not change leave the timeline alone there.
 * - A run of words to cut is removed from its first word's start to its last
 *   one's end, widened to the middle of the pause towards a kept neighbour in
 *   the same kept piece, or to the piece's edge when only a stub of at most
 *   EDIT_STUB_US (no words) would be left there. Reason: manual.
 * - A word to restore gets its own span back (on the grid, rounded
 *   outwards), and so do the filler, stutter or manual cut pieces right
 *   beside it that overlap no word to cut (a stutter's absorbed pause, the
 *   half pauses of an earlier deletion). Silence cuts stay.
 * New boundaries go onto the grid: cut edges inwards, restored ones outwards.
 * Returns 0 or AVE_ERR_NOMEM / AVE_ERR_USAGE. */
#define EDIT_STUB_US 1000000
int edit_apply_words(ave_timeline *tl, const ave_word *w, size_t n, const unsigned char *keep,
                     const edit_grid *g, edit_stats *st);

/* B-roll cards of the earlier run (OUTPUT/broll/broll_plan.json and its
 * pictures) into job->analysis.overlays, so render composites them again
 * wherever the new edit still keeps them. No plan file: nothing to do. A
 * card whose picture is gone is skipped with a warning. Returns 0 or an
 * AVE_ERR_* code (message recorded). */
int edit_load_overlays(ave_job *job);

#endif
