/* Silence detection on mono 16-bit PCM, independent of the job so that unit
 * tests can drive it with synthetic audio. In core because two stages use
 * it: the silence stage (silence.c) turns its pauses into timeline cuts, and
 * the speech stage ends its recognition regions at shorter pauses.
 *
 * The pipeline: frame levels (silence_levels.c) -> adaptive noise floor and
 * speech level (silence_floor.c) -> thresholds with hysteresis, hangover and
 * minimum lengths (silence_detect.c). */
#ifndef AVE_SILENCE_DETECT_H
#define AVE_SILENCE_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* Levels below this are clamped (digital silence would be -inf dB). */
#define AVE_SILENCE_MIN_DB (-120.0)

typedef struct ave_silence_params {
    double frame_s;             /* analysis frame length (0.020) */
    double hop_s;               /* hop between frames (0.010; fast mode 0.020) */
    double floor_window_s;      /* sliding window of the noise floor (10) */
    double floor_percentile;    /* percentile of frame levels taken as floor (10) */
    double speech_percentile;   /* percentile taken as speech level (95) */
    double threshold_offset_db; /* > 0: fixed dB above the floor; 0: automatic */
    double hangover_s;          /* pauses shorter than this are speech (0.2) */
    double min_speech_s;        /* bursts shorter than this are clicks (0.05) */
    double min_silence_s;       /* shortest pause reported (0.8) */
} ave_silence_params;

typedef struct ave_silence_levels {
    double noise_floor_db;  /* median of the adaptive floor, dBFS */
    double speech_level_db; /* speech_percentile of all frame levels, dBFS */
    double threshold_db;    /* median "speech starts" threshold, dBFS */
    size_t frames;          /* number of analysis frames */
} ave_silence_levels;

/* Fill p with the defaults documented above. */
void ave_silence_params_default(ave_silence_params *p);

/* Frame levels in dBFS (RMS, clamped at AVE_SILENCE_MIN_DB). Frame i starts at
 * sample i*hop and is frame samples long; a tail shorter than a frame gets
 * one last, shorter frame so the whole input is covered. *out is malloc'd
 * (caller frees); *count is 0 and *out NULL for empty input. */
int ave_silence_frame_levels(const int16_t *pcm, size_t n, size_t frame, size_t hop, double **out,
                             size_t *count);

/* The p-th percentile (0..100, nearest rank) of v[0..n); v is not modified,
 * scratch must hold n doubles. Returns AVE_SILENCE_MIN_DB when n is 0. */
double ave_silence_percentile(const double *v, size_t n, double p, double *scratch);

/* Adaptive noise floor: for every frame, the pct-th percentile of the levels
 * within window frames centred on it (estimated at block centres every
 * `block` frames and linearly interpolated). floor_out holds n doubles. */
int ave_silence_track_floor(const double *levels, size_t n, size_t window, size_t block, double pct,
                            double *floor_out);

/* Detect pauses in pcm (mono, rate Hz). *out receives a malloc'd, sorted array
 * of pauses at least p->min_silence_s long, in microseconds from sample 0
 * (caller frees; NULL when none); levels (may be NULL) receives the measured
 * levels. Returns 0, AVE_ERR_USAGE for bad parameters or AVE_ERR_NOMEM. An
 * empty input has no pauses. */
int ave_silence_detect(const int16_t *pcm, size_t n, int rate, const ave_silence_params *p,
                       ave_interval **out, size_t *count, ave_silence_levels *levels);

#endif
