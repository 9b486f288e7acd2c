/* The beats stage's own options. What the plan stage does with the beats
 * (--enable-beat-sync, --sync-to, --beat-tolerance, --target-duration) is
 * global configuration (ave/config.h), read by both stages. */
#ifndef AVE_BEATS_H
#define AVE_BEATS_H

typedef struct beats_opts {
    double min_section; /* s, shortest energy section */
} beats_opts;

#endif
