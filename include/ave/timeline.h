/* The edit timeline: the input's duration partitioned into contiguous,
 * non-overlapping segments, each either kept or removed with a reason.
 *
 * Times are integer microseconds on the *source* timeline so that arithmetic
 * is exact and cumulative offsets never drift. Analysis stages mark cuts with
 * ave_timeline_cut(); the plan stage finalises (minimum kept length, frame
 * grid); render and subtitle remapping read it. */
#ifndef AVE_TIMELINE_H
#define AVE_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ave_cut_reason {
    AVE_REASON_KEEP = 0,    /* a kept segment */
    AVE_REASON_SILENCE,     /* long pause */
    AVE_REASON_FILLER,      /* um, uh, ... */
    AVE_REASON_STUTTER,     /* repeated word or restarted phrase */
    AVE_REASON_MANUAL,      /* requested by the user */
    AVE_REASON_OTHER,
    AVE_REASON_TRIM,        /* left out to reach a target duration (music) */
    AVE_REASON_COUNT
};

typedef struct ave_segment {
    int64_t start_us; /* inclusive, source time */
    int64_t end_us;   /* exclusive, source time */
    int keep;         /* 1 kept, 0 removed */
    int reason;       /* enum ave_cut_reason; AVE_REASON_KEEP when kept */
} ave_segment;

typedef struct ave_timeline {
    ave_segment *segs; /* sorted, contiguous from 0 to duration_us */
    size_t count;
    size_t cap;
    int64_t duration_us;
} ave_timeline;

/* Reset tl to one kept segment [0, duration_us). duration_us must be > 0.
 * Frees any previous contents. */
int ave_timeline_init(ave_timeline *tl, int64_t duration_us);

/* Frees the segments; tl may be NULL. Leaves tl empty and reusable. */
void ave_timeline_free(ave_timeline *tl);

/* Deep copy; dst must be empty or freed. */
int ave_timeline_copy(ave_timeline *dst, const ave_timeline *src);

/* Mark [start_us, end_us) removed with the given reason (clamped to the
 * timeline). Already removed parts keep their earlier reason. Adjacent
 * segments with the same keep/reason are merged. */
int ave_timeline_cut(ave_timeline *tl, int64_t start_us, int64_t end_us, int reason);

/* Mark [start_us, end_us) kept again (used when a cut would be too short). */
int ave_timeline_keep(ave_timeline *tl, int64_t start_us, int64_t end_us);

/* Sum of kept segment durations: the edited output's duration. */
int64_t ave_timeline_kept_duration(const ave_timeline *tl);

/* Number of kept segments, and of removed ones. */
size_t ave_timeline_kept_count(const ave_timeline *tl);
size_t ave_timeline_removed_count(const ave_timeline *tl);

/* Map a source time to the edited timeline. A time inside a removed segment
 * maps to the join point (the edited time where the next kept segment starts).
 * Returns 0, or AVE_ERR_USAGE when src_us is outside [0, duration]. */
int ave_timeline_map(const ave_timeline *tl, int64_t src_us, int64_t *out_us);

/* Enforce that no kept segment is shorter than min_keep_us (grown equally into
 * its neighbouring pause cuts) and no pause cut shorter than min_cut_us (those
 * are kept instead). Pause cuts are AVE_REASON_SILENCE and _OTHER; content
 * cuts (filler, stutter, manual) are never shortened or restored, so a kept
 * island between two content cuts may stay short. The first and last segments
 * may be shorter if the file itself is. */
int ave_timeline_enforce_minimums(ave_timeline *tl, int64_t min_keep_us, int64_t min_cut_us);

/* Move every boundary to a multiple of frame_num/frame_den seconds (one video
 * frame), so audio and video cut at the same instant: the nearest one, except
 * that content cuts (filler, stutter, manual) shrink onto the grid so the kept
 * speech beside them loses nothing. Segments that collapse to zero length
 * disappear. */
int ave_timeline_snap(ave_timeline *tl, int frame_num, int frame_den);

/* Static name of a reason ("keep", "silence", ...). */
const char *ave_reason_name(int reason);

/* timeline.json text for tl, naming input_path as the source and recording
 * its content fingerprint (omitted when NULL or ""): malloc'd, the caller
 * frees it with free(); NULL when out of memory. */
char *ave_timeline_json(const ave_timeline *tl, const char *input_path, const char *fingerprint);

/* The same, with the kept stretches of words flagged AVE_WORD_SUGGESTED
 * (ave/job.h; words sorted by start, may be NULL) written as segments of
 * their own: "action": "suggest", "reason": "filler", "confidence", "text".
 * They stay in the edit; changing "suggest" to "cut" and running `render`
 * removes one. */
struct ave_word;
char *ave_timeline_json_words(const ave_timeline *tl, const char *input_path,
                              const char *fingerprint, const struct ave_word *words, size_t nw);

#ifdef __cplusplus
}
#endif
#endif
