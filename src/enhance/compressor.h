/* Feed-forward compressor with a linked gain across channels. Private to
 * src/enhance. */
#ifndef AVE_ENHANCE_COMPRESSOR_H
#define AVE_ENHANCE_COMPRESSOR_H

#include <stddef.h>

typedef struct ave_compressor_params {
    double threshold_db; /* detector level (dBFS, RMS of a sine = peak - 3.01) where it starts */
    double ratio;        /* >= 1: input dB above threshold per output dB */
    double knee_db;      /* width of the soft knee centred on the threshold, >= 0 */
    double attack_ms;    /* time constant of gain reduction increasing */
    double release_ms;   /* time constant of gain reduction decreasing */
    double rms_ms;       /* detector averaging time constant; 0: instantaneous power */
} ave_compressor_params;

typedef struct ave_compressor {
    ave_compressor_params p;
    double a_att, a_rel, a_rms; /* one-pole coefficients */
    double env;                 /* detector mean square */
    double gain_db;             /* smoothed gain (<= 0) */
    double min_gain_db;         /* deepest reduction so far, for the metrics */
} ave_compressor;

/* Fill *p with the chain's speech defaults relative to the input's
 * integrated loudness (LUFS): threshold 2 dB above it, ratio 3, knee 6 dB,
 * attack 5 ms, release 120 ms, RMS over 10 ms. */
void ave_compressor_params_speech(ave_compressor_params *p, double input_lufs);

void ave_compressor_init(ave_compressor *c, const ave_compressor_params *p, double fs);

/* Static curve: the gain (dB, <= 0) applied to a steady detector level. */
double ave_compressor_static_gain_db(const ave_compressor_params *p, double level_db);

/* Compress n samples of each of the channels planes in place; the detector
 * takes the loudest channel so the stereo image does not move. */
void ave_compressor_run(ave_compressor *c, float *const *planes, int channels, size_t n);

#endif
