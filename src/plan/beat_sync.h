/* Beat-synced cuts and trimming music to a target duration (plan stage).
 * The pure parts (snapping, bar selection) take plain arrays so that unit
 * tests drive them without a job. */
#ifndef AVE_PLAN_BEAT_SYNC_H
#define AVE_PLAN_BEAT_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* The grid point of grid[0..n) (sorted) nearest to t when it is within
 * tol_us (inclusive), else t itself. */
int64_t beat_sync_snap(int64_t t, const int64_t *grid, size_t n, int64_t tol_us);

/* t moved to the nearest start of a video frame lasting fps_den/fps_num s,
 * with the same rounding as ave_timeline_snap (so the plan's grid keeps it). */
int64_t beat_sync_frame(int64_t t, int fps_num, int fps_den);

/* One bar: [start_us, end_us) between downbeats, with its level. */
typedef struct beat_sync_bar {
    int64_t start_us, end_us;
    double energy_db;
} beat_sync_bar;

/* Choose whole bars to fill target_us: the energy sections (secs) are taken
 * loudest first, whole while they fit; the section that does not fit gives
 * its loudest contiguous run of bars, as many as bring the total nearest to
 * the target. keep[0..n) receives 1 for chosen bars; *kept_us their total.
 * With every bar fitting, all are kept. Returns 0 or AVE_ERR_NOMEM/USAGE. */
int beat_sync_select(const beat_sync_bar *bars, size_t n, const ave_music_section *secs,
                     size_t nsec, int64_t target_us, unsigned char *keep, int64_t *kept_us);

/* The plan stage's hook, after the frame grid: trims music to
 * --target-duration, then (with --enable-beat-sync) moves every cut boundary
 * to the nearest beat or downbeat within the tolerance, on the frame grid.
 * Does nothing without a beat grid. Speech content is left alone. */
int beat_sync_apply(ave_job *job);

#endif
