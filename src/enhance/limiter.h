/* True-peak lookahead limiter with a linked gain across channels. Private to
 * src/enhance. */
#ifndef AVE_ENHANCE_LIMITER_H
#define AVE_ENHANCE_LIMITER_H

#include <stddef.h>

typedef struct ave_limiter ave_limiter;

/* A limiter for `channels` channels at fs Hz holding the true peak (4x
 * oversampled) at or below ceiling_db dBTP. lookahead_ms is the gain ramp
 * length (default 5), release_ms the recovery time constant (default 80).
 * Caller frees with ave_limiter_free. Returns 0, AVE_ERR_USAGE or
 * AVE_ERR_NOMEM. */
int ave_limiter_new(ave_limiter **out, int channels, double fs, double ceiling_db,
                    double lookahead_ms, double release_ms);

/* Limit n frames: in[c][i] -> out[c][i] (out may alias in). The output lags
 * the input by ave_limiter_latency() frames; the first that many are the
 * delay line's initial silence. */
void ave_limiter_run(ave_limiter *l, const float *const *in, float *const *out, size_t n);

/* Write the last latency() frames still inside (zero input pushed). */
void ave_limiter_flush(ave_limiter *l, float *const *out);

size_t ave_limiter_latency(const ave_limiter *l);

/* Deepest gain reduction applied so far, dB (<= 0). */
double ave_limiter_min_gain_db(const ave_limiter *l);

void ave_limiter_free(ave_limiter *l);

#endif
