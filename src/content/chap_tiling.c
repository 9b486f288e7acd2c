/* Chapters by lexical cohesion (Hearst's TextTiling, adapted to speech).
 *
 * The content words (stems, no stop words, numbers or unsure words) are cut
 * into pseudo-sentences of gap_tokens words. At every gap between two
 * pseudo-sentences the block pseudo-sentences on each side are compared by
 * the cosine of their stem counts; the curve is smoothed over three gaps. A
 * topic change is a valley: its depth is how far the curve climbs on both
 * sides before it turns down. Gaps deeper than mean - sd/2 of all depths are
 * candidates; the deepest are taken first while they stay min_len apart in
 * time (also from the start and the end), up to max_chapters - 1 of them,
 * each moved to a sentence start nearby (the one after the longest pause)
 * so a chapter never opens in the middle of a sentence. Assumes a talk that stays on a topic for longer than
 * one window (about a minute of speech with the defaults). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "ave/log.h"
#include "content/content.h"

void chap_params_default(chap_params *p)
{
    p->gap_tokens = 10;
    p->fixed_gap = 0;
    p->block = 3;
    p->min_len_us = 30000000;
    p->max_chapters = 8;
}

int64_t chap_min_length(int64_t duration_us, size_t max_chapters)
{
    int64_t len = duration_us / (2 * (int64_t)(max_chapters ? max_chapters : 1));
    return len < 10000000 ? 10000000 : len;
}

typedef struct stem_ref {
    const char *stem;
    size_t pos; /* index into the content-token list */
} stem_ref;

static int by_stem(const void *a, const void *b)
{
    return strcmp(((const stem_ref *)a)->stem, ((const stem_ref *)b)->stem);
}

typedef struct gap {
    size_t index; /* gap number: between pseudo-sentence index-1 and index */
    double depth;
} gap;

static int by_depth(const void *a, const void *b)
{
    const gap *x = a, *y = b;
    return x->depth < y->depth ? 1 : x->depth > y->depth ? -1 : 0;
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Cosine of the stem counts of content tokens [a, m) and [m, b). */
static double cosine(const size_t *ids, size_t a, size_t m, size_t b, double *cl, double *cr)
{
    double dot = 0, nl = 0, nr = 0;
    for (size_t i = a; i < m; i++)
        cl[ids[i]]++;
    for (size_t i = m; i < b; i++)
        cr[ids[i]]++;
    for (size_t i = a; i < b; i++) {
        size_t id = ids[i];
        if (cl[id] < 0 || cr[id] < 0)
            continue; /* already counted */
        dot += cl[id] * cr[id];
        nl += cl[id] * cl[id];
        nr += cr[id] * cr[id];
        cl[id] = cr[id] = -1;
    }
    for (size_t i = a; i < b; i++)
        cl[ids[i]] = cr[ids[i]] = 0;
    return nl > 0 && nr > 0 ? dot / sqrt(nl * nr) : 0;
}

/* Token index of the sentence start within [lo, hi] after the longest
 * pause (in 100 ms steps), the nearest to token i among equals: a speaker
 * turning to a new topic pauses longer than between sentences, and the
 * window (two pseudo-sentences each side) is coarser than a sentence. */
static size_t snap(const content_text *t, size_t i, size_t lo, size_t hi)
{
    size_t best = i;
    int64_t best_d = INT64_MAX, best_p = -1;
    for (size_t j = lo; j <= hi && j < t->count; j++) {
        if (j == 0 || !(t->tok[j - 1].flags & TOK_SENT_END))
            continue;
        int64_t d = llabs(t->tok[j].start_us - t->tok[i].start_us);
        int64_t p = (t->tok[j].start_us - t->tok[j - 1].end_us) / 100000;
        if (p > best_p || (p == best_p && d < best_d))
            best_p = p, best_d = d, best = j;
    }
    return best;
}

int chap_segment(const content_text *t, const chap_params *p, size_t **starts, size_t *count)
{
    size_t *ct = NULL, *ids = NULL, *res = NULL, m = 0, nps, ngaps = 0, nres = 1;
    stem_ref *refs = NULL;
    double *sim = NULL, *cl = NULL, *cr = NULL, mean = 0, sd = 0;
    gap *gaps = NULL;
    size_t g = p->gap_tokens ? p->gap_tokens : 10, k = p->block ? p->block : 3;
    size_t maxc = p->max_chapters ? p->max_chapters : 1;
    int ret = AVE_ERR_NOMEM;

    *starts = NULL;
    *count = 0;
    if (!(res = calloc(maxc, sizeof(*res))))
        goto out;
    res[0] = 0;
    for (size_t i = 0; i < t->count; i++)
        m += !(t->tok[i].flags & (TOK_STOP | TOK_FILLER | TOK_NUMBER | TOK_LOWCONF));
    /* A short talk has few content words: smaller pseudo-sentences keep
     * about 12 of them, so a 70 s talk's topics still fill a window each. */
    if (m / g < 12 && !p->fixed_gap)
        g = m / 12 < 5 ? 5 : m / 12;
    /* A long talk allows long chapters only: a window of about half the
     * shortest chapter averages out the lexical noise that makes shallow
     * valleys within a topic (a 20 min talk otherwise gained a chapter in
     * the middle of its last topic). */
    if (!p->fixed_gap && t->count > 1 && p->min_len_us > 0) {
        double span_s = (double)(t->tok[t->count - 1].end_us - t->tok[0].start_us) / 1e6;
        double per_s = span_s > 0 ? (double)m / span_s : 0;
        size_t want = (size_t)(per_s * (double)p->min_len_us / 1e6 / (2.0 * (double)k));
        if (want > g)
            g = want;
    }
    nps = m / g;
    if (nps < 2 || maxc < 2 || !t->count) {
        ret = 0;
        goto done;
    }
    if (!(ct = malloc(m * sizeof(*ct))) || !(ids = malloc(m * sizeof(*ids))) ||
        !(refs = malloc(m * sizeof(*refs))) || !(cl = calloc(m, sizeof(*cl))) ||
        !(cr = calloc(m, sizeof(*cr))) || !(sim = calloc(nps, sizeof(*sim))) ||
        !(gaps = calloc(nps, sizeof(*gaps))))
        goto out;
    m = 0;
    for (size_t i = 0; i < t->count; i++)
        if (!(t->tok[i].flags & (TOK_STOP | TOK_FILLER | TOK_NUMBER | TOK_LOWCONF))) {
            refs[m].stem = t->tok[i].stem;
            refs[m].pos = m;
            ct[m++] = i;
        }
    qsort(refs, m, sizeof(*refs), by_stem);
    for (size_t i = 0, id = 0; i < m; i++) {
        if (i && strcmp(refs[i].stem, refs[i - 1].stem))
            id++;
        ids[refs[i].pos] = id;
    }
    /* similarity at gap b (1..nps-1), between pseudo-sentences b-1 and b */
    for (size_t b = 1; b < nps; b++) {
        size_t a = b > k ? (b - k) * g : 0, e = (b + k) * g < m ? (b + k) * g : m;
        sim[b] = cosine(ids, a, b * g, e, cl, cr);
    }
    for (size_t b = 1; b < nps; b++) { /* smooth: mean of b-1..b+1 */
        double s = 0;
        int n = 0;
        for (size_t j = b > 1 ? b - 1 : 1; j <= b + 1 && j < nps; j++)
            s += sim[j], n++;
        cl[b] = s / n;
    }
    for (size_t b = 1; b < nps; b++) {
        double l = cl[b], r = cl[b];
        if ((b > 1 && cl[b - 1] < cl[b]) || (b + 1 < nps && cl[b + 1] < cl[b]))
            continue; /* only valleys can be boundaries */
        for (size_t j = b; j >= 1 && cl[j] >= l; j--)
            l = cl[j];
        for (size_t j = b; j < nps && cl[j] >= r; j++)
            r = cl[j];
        ave_log(AVE_LOG_DEBUG, CONTENT_LOG, "valley at %.1f s: similarity %.3f, depth %.3f",
                (double)t->tok[ct[b * g]].start_us / 1e6, cl[b], (l - cl[b]) + (r - cl[b]));
        gaps[ngaps].index = b;
        gaps[ngaps++].depth = (l - cl[b]) + (r - cl[b]);
        mean += (l - cl[b]) + (r - cl[b]);
    }
    if (!ngaps)
        goto done;
    /* statistics over every gap (0 where there is no valley), so two strong
     * valleys do not set a cutoff between themselves */
    mean /= (double)(nps - 1);
    for (size_t i = 0; i < ngaps; i++)
        sd += (gaps[i].depth - mean) * (gaps[i].depth - mean);
    sd += (double)(nps - 1 - ngaps) * mean * mean;
    sd = sqrt(sd / (double)(nps - 1));
    qsort(gaps, ngaps, sizeof(*gaps), by_depth);
    for (size_t i = 0; i < ngaps && nres < maxc; i++) {
        /* the sentence start may be up to two pseudo-sentences away: with
         * short ones (a short talk) one is only a few seconds */
        size_t gi = gaps[i].index, pos = ct[gi * g], lo = ct[(gi > 2 ? gi - 2 : 0) * g];
        size_t hi = gi + 2 < nps ? ct[(gi + 2) * g] : t->count - 1;
        int ok = gaps[i].depth > mean - sd / 2 && gaps[i].depth >= 0.3 * gaps[0].depth &&
                 gaps[i].depth > 0.05;
        pos = snap(t, pos, lo, hi);
        int64_t at = t->tok[pos].start_us;
        if (at < p->min_len_us || t->tok[t->count - 1].end_us - at < p->min_len_us)
            ok = 0;
        for (size_t j = 1; j < nres && ok; j++)
            if (llabs(t->tok[res[j]].start_us - at) < p->min_len_us)
                ok = 0;
        if (ok)
            res[nres++] = pos;
    }
    qsort(res, nres, sizeof(*res), by_size);
done:
    *starts = res;
    *count = nres;
    res = NULL;
    ret = 0;
out:
    free(ct);
    free(ids);
    free(refs);
    free(sim);
    free(cl);
    free(cr);
    free(gaps);
    free(res);
    return ret;
}
