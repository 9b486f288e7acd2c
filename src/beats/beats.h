/* The beats stage's options, shared with the plan stage's beat sync
 * (src/plan/beat_sync.c), which reads them through
 * ave_settings_stage_opts(settings, "beats"). */
#ifndef AVE_BEATS_H
#define AVE_BEATS_H

enum beats_sync_to { BEATS_SYNC_BEATS, BEATS_SYNC_BARS };

/* A --type general input counts as music (beat sync and --target-duration
 * apply) when the beats stage's confidence reaches this. */
#define BEATS_MUSIC_CONFIDENCE 0.6

typedef struct beats_opts {
    int sync_to;            /* enum beats_sync_to */
    double tolerance;       /* s; 0: half a beat (or bar), i.e. always snap */
    double target_duration; /* s; 0: keep the whole length */
    double min_section;     /* s, shortest energy section */
} beats_opts;

#endif
