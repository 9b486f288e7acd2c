/* Linear-phase FIR filtering by FFT convolution (overlap-save), for the
 * chain's fixed filters: the chain runs on whole files and removes every
 * block's latency, so a symmetric FIR leaves the output exactly aligned
 * with the input and changes only magnitudes, never the waveform's phase.
 * One instance per channel. Private to src/enhance.
 *
 * Threads: ave_linphase_new and ave_linphase_free create and destroy FFTW
 * plans; callers serialise them (as for the denoiser). */
#ifndef AVE_ENHANCE_LINPHASE_H
#define AVE_ENHANCE_LINPHASE_H

#include <stddef.h>

typedef struct ave_linphase ave_linphase;

/* The wanted magnitude (linear, >= 0) at f Hz, 0 <= f <= fs / 2. */
typedef double (*ave_linphase_mag_fn)(const void *opaque, double f);

/* Design a symmetric FIR of `taps` taps (made odd) whose magnitude follows
 * mag: frequency sampling on a grid 8x finer than the taps, the centred
 * impulse response cut to length with a Blackman window. When mag(0) is 0
 * the taps are corrected to sum to exactly 0 (DC fully removed). Caller
 * frees with ave_linphase_free. Returns 0, AVE_ERR_USAGE (fs or taps out
 * of range: taps 3..2^20) or AVE_ERR_NOMEM. */
int ave_linphase_new(ave_linphase **out, double fs, size_t taps, ave_linphase_mag_fn mag,
                     const void *opaque);

/* Filter n samples from in into out (may alias in). Output lags input by
 * ave_linphase_latency() samples (the first ones are the filter filling);
 * output does not depend on how the input is chunked. */
void ave_linphase_run(ave_linphase *f, const float *in, float *out, size_t n);

/* Delay in samples: the half-length of the filter plus the block staging. */
size_t ave_linphase_latency(const ave_linphase *f);

/* The designed filter's magnitude at f Hz, dB (from its taps). */
double ave_linphase_response_db(const ave_linphase *f, double hz);

void ave_linphase_free(ave_linphase *f);

#endif
