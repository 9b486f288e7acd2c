/* The description's opening: an extractive summary.
 *
 * The first 125-200 characters of a description are what search results and
 * the collapsed description show, so they should say what the video is
 * about in the speaker's own words. Sentences are scored by the keyphrases
 * they contain (sum of keyphrase scores over the square root of their
 * length, so a long ramble does not win by size); the best are taken until
 * 125 characters are reached without passing 200, and shown in spoken
 * order. When the transcript has no usable sentences, or they stay short,
 * a plain "This video covers ..." line built from the keyphrases completes
 * it. Nothing is invented beyond that line. A sentence with a content word
 * the recogniser was unsure of is never used: the description is published
 * text, and "an electric bicycle has an honor" (for "a motor") is worse than
 * a shorter summary. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "content/content.h"

#define SUMMARY_MIN 125
#define SUMMARY_MAX 200

typedef struct sent {
    size_t a, b; /* tokens [a, b) */
    int chosen;
    float rel; /* least reliable content word */
} sent;

/* Sentence text, capitalised and with a full stop, into out. A sentence
 * longer than SENT_CLIP characters (unpunctuated speech with short pauses
 * runs sentences together) is cut at a word boundary and ends with "...". */
#define SENT_CLIP 150
static size_t render(const content_text *t, const sent *s, char *out, size_t len)
{
    size_t n = 0;
    int clipped = 0;
    for (size_t i = s->a; i < s->b; i++) {
        if (t->tok[i].flags & TOK_FILLER)
            continue;
        if (n + 1 + strlen(t->tok[i].text) > SENT_CLIP - 3) {
            clipped = 1;
            break;
        }
        int w = snprintf(out + n, len - n, "%s%s", n ? " " : "", t->tok[i].text);
        if (w < 0 || (size_t)w >= len - n)
            break;
        n += (size_t)w;
    }
    if (n && n + 4 < len) {
        out[0] = (char)toupper((unsigned char)out[0]);
        n += (size_t)snprintf(out + n, len - n, "%s", clipped ? "..." : ".");
    }
    return n;
}

int meta_summarise(const content_text *t, const ave_keyphrase *kp, size_t kp_count, float min_rel,
                   char *out, size_t len, double *reliability)
{
    sent *s = NULL;
    size_t ns = 0, total = 0, top = kp_count < 10 ? kp_count : 10;
    unsigned covered = 0;
    char buf[1024];

    *reliability = 1;
    if (!len)
        return 0;
    out[0] = '\0';
    if (t->count && !(s = calloc(t->count, sizeof(*s))))
        return AVE_ERR_NOMEM;
    for (size_t a = 0; a < t->count;) {
        size_t b = a;
        while (b < t->count && !(t->tok[b].flags & TOK_SENT_END))
            b++;
        b = b < t->count ? b + 1 : b;
        s[ns].a = a;
        s[ns].b = b;
        s[ns].rel = 1;
        for (size_t i = a; i < b; i++)
            if (!(t->tok[i].flags & (TOK_STOP | TOK_FILLER | TOK_NUMBER)) &&
                t->tok[i].conf < s[ns].rel)
                s[ns].rel = t->tok[i].conf;
        ns++;
        a = b;
    }
    /* Greedy with redundancy removed: after a sentence is taken, the
     * keyphrases it names no longer count, so the summary spreads over the
     * topics instead of repeating the best one. */
    while (total < SUMMARY_MIN) {
        size_t best = ns;
        double best_score = 0;
        for (size_t i = 0; i < ns; i++) {
            double sc = 0;
            if (s[i].chosen || s[i].b - s[i].a < 5 || s[i].rel < min_rel)
                continue;
            size_t n = render(t, &s[i], buf, sizeof(buf));
            if (total + n + 1 > SUMMARY_MAX)
                continue;
            for (size_t k = 0; k < top; k++)
                if (!(covered & (1u << k)))
                    sc += kp[k].score * kp_contains(buf, kp[k].text);
            sc /= sqrt((double)(s[i].b - s[i].a));
            if (sc > best_score)
                best_score = sc, best = i;
        }
        if (best == ns)
            break;
        total += render(t, &s[best], buf, sizeof(buf)) + (total > 0);
        s[best].chosen = 1;
        for (size_t k = 0; k < top; k++)
            if (kp_contains(buf, kp[k].text))
                covered |= 1u << k;
    }
    for (size_t i = 0; i < ns; i++) {
        if (!s[i].chosen)
            continue;
        size_t o = strlen(out);
        render(t, &s[i], buf, sizeof(buf));
        if (s[i].rel < *reliability)
            *reliability = s[i].rel;
        snprintf(out + o, len - o, "%s%s", o ? " " : "", buf);
    }
    if (strlen(out) < SUMMARY_MIN && kp_count) {
        char line[256], k[3][64];
        size_t nk = kp_count < 3 ? kp_count : 3, o = strlen(out);
        for (size_t i = 0; i < nk; i++)
            snprintf(k[i], sizeof(k[i]), "%s", kp[i].text);
        if (nk == 1)
            snprintf(line, sizeof(line), "This video covers %s.", k[0]);
        else if (nk == 2)
            snprintf(line, sizeof(line), "This video covers %s and %s.", k[0], k[1]);
        else
            snprintf(line, sizeof(line), "This video covers %s, %s and %s.", k[0], k[1], k[2]);
        if (o + 1 + strlen(line) <= SUMMARY_MAX || !o) {
            snprintf(out + o, len - o, "%s%s", o ? " " : "", line);
            for (size_t i = 0; i < nk; i++)
                if (kp[i].reliability < *reliability)
                    *reliability = kp[i].reliability;
        }
    }
    free(s);
    return 0;
}
