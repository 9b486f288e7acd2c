/* Speech regions: the chunks a recogniser decodes. PocketSphinx gives the
 * most accurate times when each utterance is one stretch of speech with a
 * little silence around it (decoding a whole file as one utterance shifts
 * its timestamps), and its search cost grows with utterance length, so long
 * stretches are split at their quietest point, where a word boundary is most
 * likely. Phrases shorter than a few seconds are joined to a neighbour across
 * a short pause: alone they lose the language model's context. Assumes the
 * pauses are sorted by start (they may overlap). */
#include <stdlib.h>

#include "ave/error.h"
#include "core/array_grow.h"
#include "speech/regions.h"

static int64_t sample_to_us(size_t i, int rate)
{
    return (int64_t)((double)i * 1e6 / rate + 0.5);
}

static size_t us_to_sample(int64_t us, int rate)
{
    return us <= 0 ? 0 : (size_t)((double)us * rate / 1e6 + 0.5);
}

/* Centre of the quietest 100 ms window (10 ms hop) in [a, b) us. */
static int64_t quietest_point(const int16_t *pcm, size_t n, int rate, int64_t a, int64_t b)
{
    size_t win = (size_t)rate / 10, hop = (size_t)rate / 100;
    size_t sa = us_to_sample(a, rate), sb = us_to_sample(b, rate);
    double best = -1;
    size_t best_at = sa;

    if (sb > n)
        sb = n;
    if (!pcm || hop == 0 || sb < sa + win)
        return b;
    for (size_t s = sa; s + win <= sb; s += hop) {
        double e = 0;
        for (size_t i = s; i < s + win; i++)
            e += (double)pcm[i] * pcm[i];
        if (best < 0 || e < best) {
            best = e;
            best_at = s;
        }
    }
    return sample_to_us(best_at + win / 2, rate);
}

static int push(ave_interval **v, size_t *count, size_t *cap, int64_t a, int64_t b)
{
    ave_interval *p = array_grow(*v, cap, *count + 1, sizeof(*p), 16);
    if (!p)
        return AVE_ERR_NOMEM;
    *v = p;
    (*v)[*count].start_us = a;
    (*v)[*count].end_us = b;
    (*count)++;
    return 0;
}

/* Join short regions to a neighbour across gaps below max_gap; returns the
 * new count. A short region grows forward until it is long enough or the
 * next gap is too wide; a short last region joins the one before. */
static size_t join_short(ave_interval *v, size_t n, int64_t min_len, int64_t max_gap)
{
    size_t k = 0;

    if (min_len <= 0 || n == 0)
        return n;
    for (size_t i = 1; i < n; i++) {
        int64_t gap = v[i].start_us - v[k].end_us;
        int short_here = v[k].end_us - v[k].start_us < min_len ||
                         (i == n - 1 && v[i].end_us - v[i].start_us < min_len);
        if (short_here && gap < max_gap)
            v[k].end_us = v[i].end_us;
        else
            v[++k] = v[i];
    }
    return k + 1;
}

int ave_speech_regions(const int16_t *pcm, size_t n, int rate, const ave_interval *silences,
                       size_t nsil, const ave_region_params *p, ave_interval **out, size_t *count)
{
    ave_interval *raw = NULL, *res = NULL;
    size_t nraw = 0, craw = 0, nres = 0, cres = 0;
    int64_t total, cursor = 0;
    int ret = 0;

    if (!out || !count || !p || rate <= 0)
        return AVE_ERR_USAGE;
    *out = NULL;
    *count = 0;
    total = sample_to_us(n, rate);
    if (total <= 0)
        return 0;

    /* Complement of the pauses, padded, merged with close neighbours. */
    for (size_t i = 0; i <= nsil; i++) {
        int64_t a = cursor, b = i < nsil ? silences[i].start_us : total;
        if (i < nsil)
            cursor = silences[i].end_us > cursor ? silences[i].end_us : cursor;
        if (b > total)
            b = total;
        if (b <= a)
            continue;
        a = a - p->pad_us > 0 ? a - p->pad_us : 0;
        b = b + p->pad_us < total ? b + p->pad_us : total;
        if (nraw > 0 && a - raw[nraw - 1].end_us < p->merge_gap_us) {
            if (b > raw[nraw - 1].end_us)
                raw[nraw - 1].end_us = b;
            continue;
        }
        if ((ret = push(&raw, &nraw, &craw, a, b)) < 0)
            goto out;
    }

    nraw = join_short(raw, nraw, p->short_len_us, p->short_gap_us);
    for (size_t i = 0; i < nraw; i++) {
        int64_t a = raw[i].start_us, b = raw[i].end_us;
        while (p->max_len_us > 0 && b - a > p->max_len_us) {
            int64_t cut =
                quietest_point(pcm, n, rate, a + p->max_len_us * 2 / 3, a + p->max_len_us);
            if (cut <= a || cut >= b)
                cut = a + p->max_len_us;
            if ((ret = push(&res, &nres, &cres, a, cut)) < 0)
                goto out;
            a = cut;
        }
        if ((ret = push(&res, &nres, &cres, a, b)) < 0)
            goto out;
    }
    *out = res;
    *count = nres;
    res = NULL;
out:
    free(raw);
    free(res);
    return ret;
}
