/* Subtitle cues from timed words. A cue is a run of words without a long
 * pause, at most max_lines lines of max_line_chars (greedy wrapping) and
 * max_cue_us long. For the edited video, words that a cut removes are left
 * out (and so are words silenced in place with --mute-fillers) and a cut
 * always ends a cue: a cue spanning a join would show words that are no
 * longer there or time the rest wrongly. Times are integer
 * microseconds, so an edited cue time is exactly its word's source time
 * minus the removed durations before it (ave_timeline_map). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "core/array_grow.h"
#include "core/dynbuf.h"
#include "speech/subtitles.h"

void ave_sub_params_default(ave_sub_params *p)
{
    p->max_line_chars = 42;
    p->max_lines = 2;
    p->max_cue_us = 7000000;
    p->max_gap_us = 600000;
    p->pad_us = 250000;
}

/* Index of the first segment whose end is after t (binary search). */
static size_t seg_after(const ave_timeline *tl, int64_t t)
{
    size_t lo = 0, hi = tl->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tl->segs[mid].end_us <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int ave_sub_word_kept(const ave_timeline *tl, const ave_word *w)
{
    int64_t kept = 0, len = w->end_us - w->start_us;

    if (!tl || tl->count == 0)
        return 1;
    for (size_t i = seg_after(tl, w->start_us); i < tl->count && tl->segs[i].start_us < w->end_us;
         i++) {
        int64_t a = tl->segs[i].start_us > w->start_us ? tl->segs[i].start_us : w->start_us;
        int64_t b = tl->segs[i].end_us < w->end_us ? tl->segs[i].end_us : w->end_us;
        if (tl->segs[i].keep && b > a)
            kept += b - a;
    }
    if (len <= 0) { /* a point: kept when it lies in a kept segment */
        size_t i = seg_after(tl, w->start_us);
        return i < tl->count && tl->segs[i].keep;
    }
    return kept * 2 > len;
}

/* 1 when a removed segment lies (even partly) between source times a and b. */
static int cut_between(const ave_timeline *tl, int64_t a, int64_t b)
{
    for (size_t i = seg_after(tl, a); i < tl->count && tl->segs[i].start_us < b; i++)
        if (!tl->segs[i].keep)
            return 1;
    return 0;
}

static int64_t map_time(const ave_timeline *tl, int64_t t)
{
    int64_t out = t;
    if (!tl || tl->count == 0)
        return t;
    if (t < 0)
        t = 0;
    if (t > tl->duration_us)
        t = tl->duration_us;
    if (ave_timeline_map(tl, t, &out) < 0)
        return t;
    return out;
}

/* A cue's text is a few lines of a few dozen characters; this only stops a
 * runaway. */
#define CUE_TEXT_MAX (64u << 10)
/* Hours of subtitles are a few MB. */
#define SUBS_TEXT_MAX (256u << 20)

/* A cue being built: text and wrapping state. */
typedef struct building {
    dynbuf text;
    int lines, line_len;
} building;

static int text_add(building *b, const char *s, char sep)
{
    if (sep)
        dynbuf_add(&b->text, &sep, 1);
    return dynbuf_adds(&b->text, s);
}

/* Hand the cue's text to *text (the caller frees) and start the next cue. */
static int text_take(building *b, char **text)
{
    b->lines = b->line_len = 0;
    return dynbuf_take(&b->text, text, NULL);
}

/* Where word of length n would go: 0 new line needed but none left, ' ' same
 * line, '\n' next line; '\0' for the first word. */
static char place(const building *b, int n, const ave_sub_params *p)
{
    if (b->lines == 0)
        return '\0';
    if (b->line_len + 1 + n <= p->max_line_chars)
        return ' ';
    return b->lines < p->max_lines ? '\n' : 0;
}

static int push_cue(ave_cue **cues, size_t *count, size_t *cap, const ave_cue *c)
{
    ave_cue *p = array_grow(*cues, cap, *count + 1, sizeof(*p), 32);
    if (!p)
        return AVE_ERR_NOMEM;
    *cues = p;
    (*cues)[(*count)++] = *c;
    return 0;
}

int ave_subs_build(const ave_word *words, size_t n, const ave_timeline *tl,
                   const ave_sub_params *p, ave_cue **cues, size_t *count)
{
    ave_cue *v = NULL, cur = {0};
    building b = {DYNBUF_INIT(CUE_TEXT_MAX), 0, 0};
    size_t nv = 0, cap = 0;
    int64_t prev_src_end = 0, prev_end = 0;
    int open = 0, ret = 0;

    *cues = NULL;
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        const ave_word *w = &words[i];
        int64_t s, e;
        int len = (int)strlen(w->text);
        char sep;

        /* A muted word is kept in time but silent: not shown either. A
         * hesitation found by the acoustics has no text to show. */
        if (len == 0 || (w->flags & AVE_WORD_ACOUSTIC) ||
            (tl && (!ave_sub_word_kept(tl, w) || (w->flags & AVE_WORD_MUTED))))
            continue;
        s = map_time(tl, w->start_us);
        e = map_time(tl, w->end_us);
        if (e < s)
            e = s;
        sep = open ? place(&b, len, p) : '\0';
        if (open && (sep == 0 || s - prev_end > p->max_gap_us || e - cur.start_us > p->max_cue_us ||
                     (tl && cut_between(tl, prev_src_end, w->start_us)))) {
            if ((ret = text_take(&b, &cur.text)) < 0)
                goto out;
            if ((ret = push_cue(&v, &nv, &cap, &cur)) < 0) {
                free(cur.text);
                goto out;
            }
            open = 0;
            sep = '\0';
        }
        if (!open) {
            memset(&cur, 0, sizeof(cur));
            cur.start_us = s;
            cur.first_word = i;
            open = 1;
        }
        if ((ret = text_add(&b, w->text, sep)) < 0)
            goto out;
        if (sep == '\n' || sep == '\0') {
            b.lines++;
            b.line_len = len;
        } else {
            b.line_len += 1 + len;
        }
        cur.end_us = e;
        cur.word_count = i - cur.first_word + 1;
        prev_end = e;
        prev_src_end = w->end_us;
    }
    if (open) {
        if ((ret = text_take(&b, &cur.text)) < 0)
            goto out;
        if ((ret = push_cue(&v, &nv, &cap, &cur)) < 0) {
            free(cur.text);
            goto out;
        }
    }
    /* Linger after the last word, but never into the next cue or past the end. */
    for (size_t i = 0; i < nv; i++) {
        int64_t end = v[i].end_us + p->pad_us;
        if (i + 1 < nv && end > v[i + 1].start_us)
            end = v[i + 1].start_us > v[i].end_us ? v[i + 1].start_us : v[i].end_us;
        if (tl) {
            int64_t limit = ave_timeline_kept_duration(tl);
            if (end > limit)
                end = limit > v[i].end_us ? limit : v[i].end_us;
        }
        v[i].end_us = end;
    }
    *cues = v;
    *count = nv;
    v = NULL;
    nv = 0;
out:
    dynbuf_free(&b.text);
    ave_cues_free(v, nv);
    return ret;
}

void ave_cues_free(ave_cue *cues, size_t count)
{
    for (size_t i = 0; cues && i < count; i++)
        free(cues[i].text);
    free(cues);
}

void ave_sub_format_time(int64_t us, char sep, char *buf, size_t len)
{
    int64_t ms = us > 0 ? (us + 500) / 1000 : 0;
    snprintf(buf, len, "%02" PRId64 ":%02d:%02d%c%03d", ms / 3600000, (int)(ms / 60000 % 60),
             (int)(ms / 1000 % 60), sep, (int)(ms % 1000));
}

static int render(const ave_cue *cues, size_t count, int vtt, char **out, size_t *len)
{
    dynbuf s = DYNBUF_INIT(SUBS_TEXT_MAX);
    char a[32], b[32];

    dynbuf_adds(&s, vtt ? "WEBVTT\n\n" : "");
    for (size_t i = 0; i < count && !s.err; i++) {
        ave_sub_format_time(cues[i].start_us, vtt ? '.' : ',', a, sizeof(a));
        ave_sub_format_time(cues[i].end_us, vtt ? '.' : ',', b, sizeof(b));
        if (!vtt)
            dynbuf_printf(&s, "%zu\n", i + 1);
        dynbuf_printf(&s, "%s --> %s\n%s\n\n", a, b, cues[i].text);
    }
    return dynbuf_take(&s, out, len);
}

int ave_subs_to_srt(const ave_cue *cues, size_t count, char **out, size_t *len)
{
    return render(cues, count, 0, out, len);
}

int ave_subs_to_vtt(const ave_cue *cues, size_t count, char **out, size_t *len)
{
    return render(cues, count, 1, out, len);
}
