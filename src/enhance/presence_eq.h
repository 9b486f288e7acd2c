/* Gentle presence EQ: a peaking boost in the 3-4 kHz region where speech
 * consonants carry intelligibility. One instance per channel. Private to
 * src/enhance. */
#ifndef AVE_ENHANCE_PRESENCE_EQ_H
#define AVE_ENHANCE_PRESENCE_EQ_H

#include <stddef.h>

#define AVE_PRESENCE_HZ 3500.0 /* centre frequency */
#define AVE_PRESENCE_DB 2.5    /* boost at the centre */
#define AVE_PRESENCE_Q 0.9     /* about 1.5 octaves wide */

typedef struct ave_presence_eq ave_presence_eq;

/* Set up the boost for rate fs: the magnitude of an RBJ peaking biquad,
 * applied by a linear-phase FIR (no phase change; the output lags by
 * ave_presence_eq_latency()). At 8 kHz the centre would sit near Nyquist,
 * where the bilinear transform cramps the bell, so the band moves down to
 * fs / 3 (still "presence" for telephone-band audio). Caller frees with
 * ave_presence_eq_free. Returns 0 or a negative AVE_ERR_*. */
int ave_presence_eq_new(ave_presence_eq **out, double fs);
void ave_presence_eq_run(ave_presence_eq *eq, float *x, size_t n);
size_t ave_presence_eq_latency(const ave_presence_eq *eq);
/* Magnitude at f Hz, dB, of the filter as designed. */
double ave_presence_eq_response_db(const ave_presence_eq *eq, double f);
void ave_presence_eq_free(ave_presence_eq *eq);

#endif
