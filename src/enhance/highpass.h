/* DC removal and rumble high-pass, the first block of the enhancement chain.
 * One instance per channel. Private to src/enhance. */
#ifndef AVE_ENHANCE_HIGHPASS_H
#define AVE_ENHANCE_HIGHPASS_H

#include <stddef.h>

#define AVE_HIGHPASS_HZ 80.0 /* corner of the rumble filter */
#define AVE_DC_BLOCK_HZ 10.0 /* corner when only DC is removed */

typedef struct ave_highpass ave_highpass;

/* rumble != 0: the magnitude of a 4th-order Butterworth high-pass at
 * AVE_HIGHPASS_HZ (24 dB per octave below it; DC removed exactly).
 * rumble == 0: DC removal only, the magnitude of a 2nd-order Butterworth
 * at AVE_DC_BLOCK_HZ, inaudible for voice and music. Either way linear
 * phase (zero phase once the latency is removed): the waveform above the
 * corner is left as it was. Caller frees with ave_highpass_free. Returns 0
 * or a negative AVE_ERR_*. Creating and freeing make FFTW plans (serialise
 * them across threads). */
int ave_highpass_new(ave_highpass **out, double fs, int rumble);

/* Filter n samples from x in place; the output lags by
 * ave_highpass_latency() samples. */
void ave_highpass_run(ave_highpass *hp, float *x, size_t n);
size_t ave_highpass_latency(const ave_highpass *hp);

/* Magnitude response at f Hz, dB (of the filter as designed). */
double ave_highpass_response_db(const ave_highpass *hp, double f);

void ave_highpass_free(ave_highpass *hp);

#endif
