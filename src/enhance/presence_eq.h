/* Gentle presence EQ: a peaking boost in the 3-4 kHz region where speech
 * consonants carry intelligibility. One filter per channel. Private to
 * src/enhance. */
#ifndef AVE_ENHANCE_PRESENCE_EQ_H
#define AVE_ENHANCE_PRESENCE_EQ_H

#include "enhance/linphase.h"

#define AVE_PRESENCE_HZ 3500.0 /* centre frequency */
#define AVE_PRESENCE_DB 2.5    /* boost at the centre */
#define AVE_PRESENCE_Q 0.9     /* about 1.5 octaves wide */

/* The boost for rate fs: the magnitude of an RBJ peaking biquad as a
 * linear-phase FIR (no phase change once its latency is removed). At 8 kHz
 * the centre would sit near Nyquist, where the bilinear transform cramps
 * the bell, so the band moves down to fs / 3 (still "presence" for
 * telephone-band audio). Run, query and free it with the ave_linphase_*
 * functions. Returns 0 or a negative AVE_ERR_*. */
int ave_presence_eq_new(ave_linphase **out, double fs);

#endif
