/* Level statistics of a whole signal in bounded memory: a histogram of
 * short-block levels from which the noise floor (a low percentile) and the
 * active-signal level (a high percentile) are read. The chain's own noise
 * floor and SNR estimate, used on the input and output files alike. Private
 * to src/enhance. */
#ifndef AVE_ENHANCE_LEVEL_STATS_H
#define AVE_ENHANCE_LEVEL_STATS_H

#include <stddef.h>

#define AVE_LEVEL_BINS 600 /* 0.25 dB bins from -150 to 0 dBFS */

typedef struct ave_level_stats {
    size_t block;          /* samples per block (20 ms) */
    size_t fill;           /* samples in the current block */
    double acc;            /* sum of squares of the current block (channel mean) */
    size_t hist[AVE_LEVEL_BINS];
    size_t blocks, silent; /* blocks counted, of which digital silence */
} ave_level_stats;

void ave_level_stats_init(ave_level_stats *s, int rate);

/* Add n frames of planar audio. */
void ave_level_stats_add(ave_level_stats *s, const float *const *planes, int channels, size_t n);

typedef struct ave_level_result {
    double noise_floor_db; /* 10th percentile of non-silent block RMS, dBFS */
    double signal_db;      /* 95th percentile: the level of speech or music */
    double snr_db;         /* signal - noise floor */
} ave_level_result;

/* Read the estimates. Returns 0, or AVE_ERR_INPUT when fewer than 5 blocks
 * (100 ms) had any signal; then every figure is -HUGE_VAL (0 for snr). */
int ave_level_stats_get(const ave_level_stats *s, ave_level_result *r);

#endif
