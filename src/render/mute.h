/* Silencing spans of the source audio in place (--mute-fillers): fillers and
 * stutters stay in the timeline, so the picture and the timing are kept,
 * and their audio is replaced by silence with a short raised-cosine fade at
 * each side. The fades lie inside the muted span, so the kept words around
 * it are untouched. Works on planar float in source sample positions, before
 * the cut-and-crossfade mixer; no libav dependency, so the unit test drives
 * it with synthetic signals. */
#ifndef AVE_RENDER_MUTE_H
#define AVE_RENDER_MUTE_H

#include <stddef.h>
#include <stdint.h>

#include "render/crossfade.h"

typedef struct ave_mute ave_mute;

/* Create a muter for `count` spans in source samples (copied; any order;
 * empty ones ignored; spans closer than two fades are merged, so the gain
 * never bounces up for a few milliseconds between two muted words).
 * fade_samples: the fade at each side, shortened to half a short span.
 * *out is owned by the caller (ave_mute_free). Returns 0, AVE_ERR_NOMEM or
 * AVE_ERR_USAGE (negative fade). */
int ave_mute_new(ave_mute **out, const ave_xfade_range *spans, size_t count, int fade_samples);

/* Gain at source sample idx: 1 outside the spans, 0 inside, the fade
 * between. */
float ave_mute_gain(const ave_mute *m, int64_t idx);

/* Multiply planes[c][0..nb_samples) for c < channels, whose first sample is
 * source index pos, by the gain. Chunks may come in any order. */
void ave_mute_apply(const ave_mute *m, int64_t pos, float *const *planes, int channels,
                    int nb_samples);

/* Spans after merging. */
size_t ave_mute_span_count(const ave_mute *m);

void ave_mute_free(ave_mute *m);

#endif
