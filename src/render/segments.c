/* The kept segments of the timeline as render needs them: a compact array
 * with each segment's output offset (sum of the earlier kept durations, an
 * exact integer, so offsets never drift), and a lookup by source time.
 * Assumes the timeline is sorted and contiguous (the plan stage finalises
 * it); an empty timeline means "keep the whole input". */
#include <stdlib.h>

#include "render/render_internal.h"

int render_spans_build(render_ctx *ctx)
{
    const ave_timeline *tl = &ctx->job->timeline;
    size_t i, n = 0;
    int64_t out = 0, prev_end = INT64_MIN;

    ctx->spans = calloc(tl->count ? tl->count : 1, sizeof(*ctx->spans));
    if (!ctx->spans)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if (tl->count == 0 && ctx->job->media.duration_us > 0) {
        ctx->spans[n++] = (render_span){ 0, ctx->job->media.duration_us, 0 };
        out = ctx->job->media.duration_us;
    }
    for (i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        if (s->start_us < prev_end || s->end_us < s->start_us)
            return ave_job_fail(ctx->job, AVE_ERR_INTERNAL,
                                "render: timeline segment %zu [%lld, %lld) is out of order", i,
                                (long long)s->start_us, (long long)s->end_us);
        prev_end = s->end_us;
        if (!s->keep || s->end_us == s->start_us)
            continue;
        if (n && ctx->spans[n - 1].end_us == s->start_us) { /* merge touching */
            ctx->spans[n - 1].end_us = s->end_us;
        } else {
            ctx->spans[n++] = (render_span){ s->start_us, s->end_us, out };
        }
        out += s->end_us - s->start_us;
    }
    ctx->nspans = n;
    ctx->kept_us = out;
    ctx->stop_us = n ? ctx->spans[n - 1].end_us : 0;
    if (out <= 0)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT,
                            "%s: the edit removes everything; nothing to render",
                            ctx->job->input_path);
    return 0;
}

long render_span_find(const render_ctx *ctx, int64_t t_us, size_t *cursor)
{
    const render_span *s = ctx->spans;
    size_t lo = 0, hi = ctx->nspans, c = *cursor;

    /* Fast path: the hinted span or the next one. */
    if (c < ctx->nspans && t_us >= s[c].start_us) {
        if (t_us < s[c].end_us)
            return (long)c;
        if (c + 1 < ctx->nspans && t_us >= s[c + 1].start_us && t_us < s[c + 1].end_us) {
            *cursor = c + 1;
            return (long)(c + 1);
        }
        if (c + 1 >= ctx->nspans || t_us < s[c + 1].start_us)
            return -1;
    }
    /* Last span starting at or before t. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].start_us <= t_us)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    *cursor = lo - 1;
    return t_us < s[lo - 1].end_us ? (long)(lo - 1) : -1;
}
