/* Streaming audio cutter with a centred crossfade at every join.
 *
 * The mixer is fed the decoded source audio in order (planar float, absolute
 * source sample indexes) and emits exactly the samples of the kept ranges.
 * At the join between two kept ranges it mixes the tail of the earlier range,
 * continued past its end and faded out, with the head of the later range,
 * started before its start and faded in. The mixed region is centred on the
 * join, so the output length is exactly the sum of the kept lengths and no
 * offset ever drifts. Memory is one small tail buffer per channel (the
 * removed gap between two ranges is always at least one crossfade long, so
 * the whole tail has arrived before the head starts). No libav dependency:
 * the unit test drives it with synthetic signals. */
#ifndef AVE_RENDER_CROSSFADE_H
#define AVE_RENDER_CROSSFADE_H

#include <stddef.h>
#include <stdint.h>

#define AVE_XFADE_MAX_CHANNELS 8

enum ave_xfade_shape {
    AVE_XFADE_EQUAL_POWER, /* cos/sin gains: keeps the energy of uncorrelated audio */
    AVE_XFADE_LINEAR       /* 1-t / t gains: keeps the amplitude of correlated audio */
};

/* A kept range in source samples: [start, end). */
typedef struct ave_xfade_range {
    int64_t start, end;
} ave_xfade_range;

/* Receives output samples in order. planes[c] holds nb_samples floats for
 * channel c; they are borrowed for the duration of the call only. Return 0
 * or a negative AVE_ERR_* code, which the mixer passes back to its caller. */
typedef int (*ave_xfade_emit_fn)(void *opaque, const float *const *planes, int nb_samples);

typedef struct ave_xfade ave_xfade;

/* Convert a source time in microseconds to a sample index at `rate`, rounding
 * to nearest. Every boundary goes through this one function, so each kept
 * range is within one sample of its exact length and the total never drifts. */
int64_t ave_xfade_us_to_samples(int64_t us, int rate);

/* Create a mixer. kept: `count` sorted, non-overlapping ranges (copied; empty
 * ranges are ignored). fade_samples: nominal crossfade length; at each join it
 * is shortened so that it fits in the gap and in half of each neighbouring
 * range (0 gives hard cuts). On success *out is owned by the caller
 * (ave_xfade_free). Returns 0, AVE_ERR_NOMEM or AVE_ERR_USAGE (bad arguments). */
int ave_xfade_new(ave_xfade **out, const ave_xfade_range *kept, size_t count, int channels,
                  int fade_samples, int shape, ave_xfade_emit_fn emit, void *opaque);

/* Feed nb_samples source samples whose first one has index pos. planes may be
 * NULL for silence. A pos after the previous end inserts silence for the hole;
 * a pos before it drops the overlapping samples. */
int ave_xfade_push(ave_xfade *x, int64_t pos, const float *const *planes, int nb_samples);

/* End of input: pad with silence up to the end of the last kept range, so the
 * output always has ave_xfade_expected() samples. */
int ave_xfade_finish(ave_xfade *x);

/* Output samples emitted so far, and the total that finish will reach. */
int64_t ave_xfade_emitted(const ave_xfade *x);
int64_t ave_xfade_expected(const ave_xfade *x);

/* Number of joins actually crossfaded (non-zero fade length). */
size_t ave_xfade_join_count(const ave_xfade *x);

void ave_xfade_free(ave_xfade *x);

#endif
