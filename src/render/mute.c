/* In-place muting of source spans (see mute.h).
 *
 * The spans are sorted and merged once; applying to a chunk finds the first
 * span that ends after the chunk's start by binary search, so cost is
 * O(log spans) per chunk plus the muted samples. A raised-cosine fade (the
 * gain of a Hann window half) has no corner for the ear to hear as a click;
 * 5 ms is short enough to keep the filler inaudible and long enough to
 * avoid one. */
#include "render/mute.h"

#include <math.h>
#include <stdlib.h>

#include "ave/error.h"

struct ave_mute {
    ave_xfade_range *spans; /* sorted, merged */
    size_t count;
    int fade;
};

static int by_start(const void *a, const void *b)
{
    const ave_xfade_range *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

int ave_mute_new(ave_mute **out, const ave_xfade_range *spans, size_t count, int fade_samples)
{
    ave_mute *m;
    size_t n = 0;

    *out = NULL;
    if (fade_samples < 0 || (count && !spans))
        return AVE_ERR_USAGE;
    if (!(m = calloc(1, sizeof(*m))))
        return AVE_ERR_NOMEM;
    m->fade = fade_samples;
    if (count && !(m->spans = malloc(count * sizeof(*m->spans)))) {
        free(m);
        return AVE_ERR_NOMEM;
    }
    for (size_t i = 0; i < count; i++)
        if (spans[i].end > spans[i].start)
            m->spans[n++] = spans[i];
    if (n)
        qsort(m->spans, n, sizeof(*m->spans), by_start);
    m->count = 0;
    for (size_t i = 0; i < n; i++) {
        ave_xfade_range *last = m->count ? &m->spans[m->count - 1] : NULL;
        if (last && m->spans[i].start - last->end <= 2 * (int64_t)fade_samples) {
            if (m->spans[i].end > last->end)
                last->end = m->spans[i].end;
        } else {
            m->spans[m->count++] = m->spans[i];
        }
    }
    *out = m;
    return 0;
}

/* First span whose end is after idx. */
static size_t span_after(const ave_mute *m, int64_t idx)
{
    size_t lo = 0, hi = m->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->spans[mid].end <= idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static float span_gain(const ave_xfade_range *s, int fade, int64_t idx)
{
    int64_t len = s->end - s->start, f = fade;
    const double pi = 3.14159265358979323846;

    if (idx < s->start || idx >= s->end)
        return 1.0f;
    if (f > len / 2)
        f = len / 2;
    if (idx < s->start + f) /* fading out */
        return (float)(0.5 * (1 + cos(pi * ((double)(idx - s->start) + 0.5) / (double)f)));
    if (idx >= s->end - f) /* fading back in */
        return (float)(0.5 * (1 - cos(pi * ((double)(idx - (s->end - f)) + 0.5) / (double)f)));
    return 0.0f;
}

float ave_mute_gain(const ave_mute *m, int64_t idx)
{
    size_t i;
    if (!m || m->count == 0)
        return 1.0f;
    i = span_after(m, idx);
    return i < m->count ? span_gain(&m->spans[i], m->fade, idx) : 1.0f;
}

void ave_mute_apply(const ave_mute *m, int64_t pos, float *const *planes, int channels,
                    int nb_samples)
{
    if (!m || nb_samples <= 0)
        return;
    for (size_t i = span_after(m, pos); i < m->count && m->spans[i].start < pos + nb_samples;
         i++) {
        const ave_xfade_range *s = &m->spans[i];
        int64_t a = s->start > pos ? s->start : pos;
        int64_t b = s->end < pos + nb_samples ? s->end : pos + nb_samples;
        for (int64_t t = a; t < b; t++) {
            float g = span_gain(s, m->fade, t);
            for (int c = 0; c < channels; c++)
                planes[c][t - pos] *= g;
        }
    }
}

size_t ave_mute_span_count(const ave_mute *m)
{
    return m ? m->count : 0;
}

void ave_mute_free(ave_mute *m)
{
    if (!m)
        return;
    free(m->spans);
    free(m);
}
