/* DC removal and rumble high-pass, the first block of the enhancement chain.
 * One instance per channel. Private to src/enhance. */
#ifndef AVE_ENHANCE_HIGHPASS_H
#define AVE_ENHANCE_HIGHPASS_H

#include <stddef.h>

#include "enhance/biquad.h"

#define AVE_HIGHPASS_HZ 80.0 /* corner of the rumble filter */
#define AVE_DC_BLOCK_HZ 10.0 /* corner when only DC is removed */

typedef struct ave_highpass {
    ave_biquad s[2];
    int sections;
} ave_highpass;

/* rumble != 0: 4th-order Butterworth high-pass at AVE_HIGHPASS_HZ (24 dB per
 * octave below it; it also removes DC). rumble == 0: DC removal only, a
 * 2nd-order Butterworth at AVE_DC_BLOCK_HZ, inaudible for voice and music. */
void ave_highpass_init(ave_highpass *hp, double fs, int rumble);

/* Filter n samples in place. */
void ave_highpass_run(ave_highpass *hp, float *x, size_t n);

/* Magnitude response at f Hz, dB. */
double ave_highpass_response_db(const ave_highpass *hp, double fs, double f);

#endif
