/* Streaming cut-and-crossfade mixer (see crossfade.h for the contract).
 *
 * The kept ranges are turned once into a sorted list of source regions:
 *   COPY  [a_k + h_in, b_k - h_out)      copied to the output as is
 *   TAIL  [b_k - h, b_k + h)             stored in the tail buffer
 *   HEAD  [a_k+1 - h, a_k+1 + h)         mixed with the stored tail, emitted
 * Because h is at most half the gap, TAIL ends before HEAD starts, so the
 * input is consumed strictly in order with O(crossfade) memory. Each join
 * emits 2h mixed samples in place of h tail + h head samples of the plain
 * cut, hence the output length equals the sum of kept lengths exactly.
 * Assumes input chunks arrive in increasing position order. */
#include "render/crossfade.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"

#define XFADE_CHUNK 1024

enum { REG_COPY, REG_TAIL, REG_HEAD };

typedef struct xfade_region {
    int64_t start, end;
    int type;
    int64_t half; /* h of the join (TAIL/HEAD) */
} xfade_region;

struct ave_xfade {
    int channels;
    int shape;
    ave_xfade_emit_fn emit;
    void *opaque;

    xfade_region *regions;
    size_t nregions;
    size_t cur;        /* first region that may still receive samples */
    int64_t pos;       /* next expected source index */
    int started;       /* pos is meaningful once the first push arrived */
    int64_t expected;  /* sum of kept lengths */
    int64_t emitted;
    size_t joins;

    float *tail[AVE_XFADE_MAX_CHANNELS]; /* 2*hmax samples each */
    float *mix[AVE_XFADE_MAX_CHANNELS];  /* XFADE_CHUNK samples each */
    float *zeros;                        /* XFADE_CHUNK silent samples */
};

int64_t ave_xfade_us_to_samples(int64_t us, int rate)
{
    /* Round half away from zero. us * rate fits in 63 bits for inputs up to
     * a year long at 192 kHz. */
    int64_t num = us * (int64_t)rate;
    if (num >= 0)
        return (num + 500000) / 1000000;
    return -((-num + 500000) / 1000000);
}

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

static int build_regions(ave_xfade *x, const ave_xfade_range *kept, size_t count,
                         int64_t half_max, int64_t *hmax_out)
{
    ave_xfade_range *r = malloc((count ? count : 1) * sizeof(*r));
    int64_t *half = NULL;
    size_t n = 0, i;
    int ret = AVE_ERR_NOMEM;

    if (!r)
        return AVE_ERR_NOMEM;
    for (i = 0; i < count; i++) {
        if (kept[i].end <= kept[i].start)
            continue;
        if (n && kept[i].start < r[n - 1].end) {
            ret = AVE_ERR_USAGE; /* unsorted or overlapping */
            goto out;
        }
        r[n++] = kept[i];
    }
    half = calloc(n ? n : 1, sizeof(*half)); /* half[k]: join between k and k+1 */
    x->regions = calloc(3 * (n ? n : 1), sizeof(*x->regions));
    if (!half || !x->regions)
        goto out;

    *hmax_out = 0;
    for (i = 0; i + 1 < n; i++) {
        int64_t h = half_max;
        h = min64(h, (r[i + 1].start - r[i].end) / 2);
        h = min64(h, (r[i].end - r[i].start) / 2);
        h = min64(h, (r[i + 1].end - r[i + 1].start) / 2);
        half[i] = h > 0 ? h : 0;
        if (half[i] > *hmax_out)
            *hmax_out = half[i];
        if (half[i] > 0)
            x->joins++;
    }
    for (i = 0; i < n; i++) {
        int64_t h_in = i ? half[i - 1] : 0, h_out = i + 1 < n ? half[i] : 0;
        x->expected += r[i].end - r[i].start;
        x->regions[x->nregions++] =
            (xfade_region){ r[i].start + h_in, r[i].end - h_out, REG_COPY, 0 };
        if (h_out > 0) {
            x->regions[x->nregions++] =
                (xfade_region){ r[i].end - h_out, r[i].end + h_out, REG_TAIL, h_out };
            x->regions[x->nregions++] =
                (xfade_region){ r[i + 1].start - h_out, r[i + 1].start + h_out, REG_HEAD, h_out };
        }
    }
    ret = 0;
out:
    free(half);
    free(r);
    return ret;
}

int ave_xfade_new(ave_xfade **out, const ave_xfade_range *kept, size_t count, int channels,
                  int fade_samples, int shape, ave_xfade_emit_fn emit, void *opaque)
{
    ave_xfade *x;
    int64_t hmax = 0;
    int ret, c;

    *out = NULL;
    if (channels < 1 || channels > AVE_XFADE_MAX_CHANNELS || fade_samples < 0 || !emit ||
        (count && !kept))
        return AVE_ERR_USAGE;
    x = calloc(1, sizeof(*x));
    if (!x)
        return AVE_ERR_NOMEM;
    x->channels = channels;
    x->shape = shape;
    x->emit = emit;
    x->opaque = opaque;
    ret = build_regions(x, kept, count, fade_samples / 2, &hmax);
    if (ret < 0)
        goto fail;
    ret = AVE_ERR_NOMEM;
    x->zeros = calloc(XFADE_CHUNK, sizeof(float));
    if (!x->zeros)
        goto fail;
    for (c = 0; c < channels; c++) {
        x->tail[c] = calloc((size_t)(2 * hmax + 1), sizeof(float));
        x->mix[c] = malloc(XFADE_CHUNK * sizeof(float));
        if (!x->tail[c] || !x->mix[c])
            goto fail;
    }
    *out = x;
    return 0;
fail:
    ave_xfade_free(x);
    return ret;
}

void ave_xfade_free(ave_xfade *x)
{
    int c;
    if (!x)
        return;
    for (c = 0; c < AVE_XFADE_MAX_CHANNELS; c++) {
        free(x->tail[c]);
        free(x->mix[c]);
    }
    free(x->zeros);
    free(x->regions);
    free(x);
}

/* Emit n samples of planes (NULL: silence) starting at offset off. */
static int emit_span(ave_xfade *x, const float *const *planes, int64_t off, int n)
{
    const float *p[AVE_XFADE_MAX_CHANNELS];
    int c, ret;

    while (n > 0) {
        int m = n < XFADE_CHUNK ? n : XFADE_CHUNK;
        for (c = 0; c < x->channels; c++)
            p[c] = planes ? planes[c] + off : x->zeros;
        if ((ret = x->emit(x->opaque, p, m)) < 0)
            return ret;
        x->emitted += m;
        off += m;
        n -= m;
    }
    return 0;
}

static void fade_gains(int shape, int64_t i, int64_t len, float *g_out, float *g_in)
{
    double t = ((double)i + 0.5) / (double)len;
    if (shape == AVE_XFADE_LINEAR) {
        *g_out = (float)(1.0 - t);
        *g_in = (float)t;
    } else {
        *g_out = (float)cos(t * M_PI / 2);
        *g_in = (float)sin(t * M_PI / 2);
    }
}

/* Mix n head samples (region offset rel) with the stored tail and emit. */
static int emit_head(ave_xfade *x, const xfade_region *r, const float *const *planes,
                     int64_t off, int64_t rel, int n)
{
    const float *p[AVE_XFADE_MAX_CHANNELS];
    int64_t len = 2 * r->half;
    int c, i, ret;

    while (n > 0) {
        int m = n < XFADE_CHUNK ? n : XFADE_CHUNK;
        for (i = 0; i < m; i++) {
            float go, gi;
            fade_gains(x->shape, rel + i, len, &go, &gi);
            for (c = 0; c < x->channels; c++) {
                float head = planes ? planes[c][off + i] : 0.0f;
                x->mix[c][i] = x->tail[c][rel + i] * go + head * gi;
            }
        }
        for (c = 0; c < x->channels; c++)
            p[c] = x->mix[c];
        if ((ret = x->emit(x->opaque, p, m)) < 0)
            return ret;
        x->emitted += m;
        off += m;
        rel += m;
        n -= m;
    }
    return 0;
}

/* Consume n samples at x->pos; planes NULL means silence. */
static int feed(ave_xfade *x, const float *const *planes, int n)
{
    int64_t off = 0;
    int ret, c;

    while (n > 0) {
        const xfade_region *r;
        int64_t m;

        while (x->cur < x->nregions && x->regions[x->cur].end <= x->pos)
            x->cur++;
        if (x->cur == x->nregions) { /* past the last kept sample */
            x->pos += n;
            return 0;
        }
        r = &x->regions[x->cur];
        if (x->pos < r->start) { /* removed audio: skip it */
            m = min64(n, r->start - x->pos);
        } else {
            m = min64(n, r->end - x->pos);
            if (r->type == REG_COPY) {
                ret = emit_span(x, planes, off, (int)m);
            } else if (r->type == REG_TAIL) {
                for (c = 0; c < x->channels; c++) {
                    float *dst = x->tail[c] + (x->pos - r->start);
                    if (planes)
                        memcpy(dst, planes[c] + off, (size_t)m * sizeof(float));
                    else
                        memset(dst, 0, (size_t)m * sizeof(float));
                }
                ret = 0;
            } else {
                ret = emit_head(x, r, planes, off, x->pos - r->start, (int)m);
            }
            if (ret < 0)
                return ret;
        }
        x->pos += m;
        off += m;
        n -= (int)m;
    }
    return 0;
}

static int feed_silence(ave_xfade *x, int64_t n)
{
    int ret;
    /* Jump straight over silence that lands in no region. */
    while (n > 0) {
        int m;
        while (x->cur < x->nregions && x->regions[x->cur].end <= x->pos)
            x->cur++;
        if (x->cur == x->nregions) {
            x->pos += n;
            return 0;
        }
        if (x->pos < x->regions[x->cur].start) {
            int64_t skip = min64(n, x->regions[x->cur].start - x->pos);
            x->pos += skip;
            n -= skip;
            continue;
        }
        m = (int)min64(n, 1 << 20);
        if ((ret = feed(x, NULL, m)) < 0)
            return ret;
        n -= m;
    }
    return 0;
}

int ave_xfade_push(ave_xfade *x, int64_t pos, const float *const *planes, int nb_samples)
{
    const float *p[AVE_XFADE_MAX_CHANNELS];
    int ret, c;

    if (nb_samples <= 0)
        return 0;
    if (!x->started) {
        /* Audio that starts late is preceded by silence from source 0 (or from
         * its own start when that is earlier). */
        x->started = 1;
        x->pos = pos < 0 ? pos : 0;
    }
    if (pos > x->pos) {
        if ((ret = feed_silence(x, pos - x->pos)) < 0)
            return ret;
    } else if (pos < x->pos) {
        int64_t drop = x->pos - pos;
        if (drop >= nb_samples)
            return 0;
        if (planes) {
            for (c = 0; c < x->channels; c++)
                p[c] = planes[c] + drop;
            planes = p;
        }
        nb_samples -= (int)drop;
    }
    return feed(x, planes, nb_samples);
}

int ave_xfade_finish(ave_xfade *x)
{
    int64_t end = x->nregions ? x->regions[x->nregions - 1].end : 0;
    if (!x->started) {
        x->started = 1;
        x->pos = 0;
    }
    if (end > x->pos)
        return feed_silence(x, end - x->pos);
    return 0;
}

int64_t ave_xfade_emitted(const ave_xfade *x) { return x->emitted; }
int64_t ave_xfade_expected(const ave_xfade *x) { return x->expected; }
size_t ave_xfade_join_count(const ave_xfade *x) { return x->joins; }
