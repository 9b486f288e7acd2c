/* DC removal and rumble high-pass, the first block of the enhancement chain.
 * One filter per channel. Private to src/enhance. */
#ifndef AVE_ENHANCE_HIGHPASS_H
#define AVE_ENHANCE_HIGHPASS_H

#include "enhance/linphase.h"

#define AVE_HIGHPASS_HZ 80.0 /* corner of the rumble filter */
#define AVE_DC_BLOCK_HZ 10.0 /* corner when only DC is removed */

/* rumble != 0: the magnitude of a 4th-order Butterworth high-pass at
 * AVE_HIGHPASS_HZ (24 dB per octave below it; DC removed exactly).
 * rumble == 0: DC removal only, the magnitude of a 2nd-order Butterworth
 * at AVE_DC_BLOCK_HZ, inaudible for voice and music. Either way a
 * linear-phase FIR (zero phase once its latency is removed): the waveform
 * above the corner is left as it was. Run, query and free it with the
 * ave_linphase_* functions. Returns 0 or a negative AVE_ERR_*. */
int ave_highpass_new(ave_linphase **out, double fs, int rumble);

#endif
