/* Titles, tags, hashtags and the thumbnail headline, from the keyphrases.
 *
 * Each of the five strategies has a few templates filled with the top
 * keyphrases (K1..K3, Title Case), a count N (chapters, else 3) and scored
 * with meta_score_title; the best-scoring template wins, so a title is as
 * close to 50-60 characters as the keyphrases allow while naming as many of
 * the top three as fit. The score is documented in docs/METADATA.md: it
 * measures the title against the transcript, it does not predict clicks.
 * Every template contains K1, so every title names the top keyphrase. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "content/content.h"

static const char *const strategy_names[] = {"seo", "curiosity", "educational", "listicle",
                                             "emotional"};

const char *meta_strategy_name(int s)
{
    return s >= 0 && s < META_STRATEGY_COUNT ? strategy_names[s] : "?";
}

/* Templates: %1..%3 are K1..K3, %n is N. Those naming K2/K3 are skipped
 * when there are not enough keyphrases. */
static const char *const templates[META_STRATEGY_COUNT][5] = {
    {"%1 Explained: %2, %3 and More", "%1, %2 and %3 Explained: A Complete Guide",
     "%1, %2 and %3: A Complete Guide", "%1 and %2: The Complete Guide",
     "%1: The Complete Guide for Beginners"},
    {"Why Does %1 Matter? %2 and %3 Explained", "What Nobody Tells You About %1 and %2",
     "What Nobody Tells You About %1", "Why %1 Matters More Than You Think",
     "The Surprising Truth About %1?"},
    {"%1 Explained Simply: %2, %3 and More", "Learn %1: %2 and %3 Step by Step",
     "Understanding %1 and %2: A Beginner's Guide", "Understanding %1: A Beginner's Guide",
     "%1 for Beginners: Everything You Need"},
    {"%n Things to Know About %1, %2 and %3", "%n Things You Should Know About %1 and %2",
     "%n Key Facts About %1 and %2", "%n Key Facts About %1 Everyone Should Know",
     "%n Key Facts About %1"},
    {"I Finally Understood %1, %2 and %3 (You Will Too)", "%1, %2 and %3 Finally Made Sense",
     "I Finally Understood %1 (and You Will Too)", "%1 and %2 Finally Made Sense to Me",
     "Stop Struggling With %1: It Is Simpler Than You Think"},
};

void meta_title_case(const char *in, char *out, size_t len)
{
    size_t n = 0;
    int start = 1;
    static const char *const small_words[] = {"a", "an", "and", "of", "the", "to", "in", "on",
                                              "for", "vs"};

    if (!len)
        return;
    for (const char *p = in; *p && n + 1 < len; p++) {
        char c = *p;
        if (start && isalpha((unsigned char)c)) {
            int small = 0;
            for (size_t i = 0; i < sizeof(small_words) / sizeof(small_words[0]) && p != in; i++) {
                size_t k = strlen(small_words[i]);
                if (!strncmp(p, small_words[i], k) && (p[k] == ' ' || !p[k]))
                    small = 1;
            }
            if (!small)
                c = (char)toupper((unsigned char)c);
        }
        start = c == ' ' || c == '-';
        out[n++] = c;
    }
    out[n] = '\0';
}

void meta_score_title(meta_title *t, const ave_keyphrase *kp, size_t kp_count)
{
    size_t len = strlen(t->text), top = kp_count < 3 ? kp_count : 3, hit = 0;

    for (size_t i = 0; i < top; i++)
        hit += kp_contains(t->text, kp[i].text);
    t->coverage = top ? (double)hit / (double)top : 0;
    if (len >= 50 && len <= 60)
        t->length_score = 1;
    else if (len < 50)
        t->length_score = len + 30 > 50 ? 1 - (50.0 - (double)len) / 30 : 0;
    else
        t->length_score = len < 80 ? 1 - ((double)len - 60) / 20 : 0;
    t->hook = strpbrk(t->text, "0123456789?") != NULL;
    t->score = 100 * (0.5 * t->coverage + 0.3 * t->length_score + 0.2 * t->hook);
    t->score = (double)(int)(t->score * 10 + 0.5) / 10;
}

/* Expand template tpl; returns 0 when it needs a keyphrase we lack. */
static int expand(const char *tpl, char k[3][64], size_t nk, int n, char *out, size_t len)
{
    size_t o = 0;
    for (const char *p = tpl; *p && o + 1 < len; p++) {
        char tmp[80];
        const char *ins = NULL;
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '3') {
            size_t i = (size_t)(p[1] - '1');
            if (i >= nk)
                return 0;
            ins = k[i];
        } else if (p[0] == '%' && p[1] == 'n') {
            snprintf(tmp, sizeof(tmp), "%d", n);
            ins = tmp;
        }
        if (ins) {
            int w = snprintf(out + o, len - o, "%s", ins);
            if (w < 0 || (size_t)w >= len - o)
                return 0;
            o += (size_t)w;
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return 1;
}

static int add_tag(meta_package *m, const char *text, int kind, double reliability)
{
    if (m->tag_count >= META_MAX_TAGS || strlen(text) > 20 || strlen(text) < 3)
        return 0;
    for (int i = 0; i < m->tag_count; i++)
        if (!strcmp(m->tags[i].text, text))
            return 0;
    snprintf(m->tags[m->tag_count].text, sizeof(m->tags[0].text), "%s", text);
    m->tags[m->tag_count].reliability = reliability;
    m->tags[m->tag_count++].kind = kind;
    return 1;
}

static void tags(meta_package *m, const ave_keyphrase *kp, size_t nk)
{
    /* prefix + keyphrase + suffix */
    static const char *const longtail[][2] = {{"", " explained"}, {"what is ", ""},
                                              {"", " for beginners"}, {"learn ", ""},
                                              {"", " tutorial"}, {"", " basics"}};
    char buf[160];

    for (size_t i = 0; i < nk && i < 3; i++)
        add_tag(m, kp[i].text, META_TAG_PRIMARY, kp[i].reliability);
    for (size_t i = 3; i < nk && m->tag_count < 9; i++)
        add_tag(m, kp[i].text, META_TAG_SECONDARY, kp[i].reliability);
    for (size_t t = 0; t < sizeof(longtail) / sizeof(longtail[0]); t++)
        for (size_t i = 0; i < nk && i < 3 && m->tag_count < 14; i++) {
            snprintf(buf, sizeof(buf), "%s%s%s", longtail[t][0], kp[i].text, longtail[t][1]);
            add_tag(m, buf, META_TAG_LONGTAIL, kp[i].reliability);
        }
}

double meta_title_reliability(const char *title, const ave_keyphrase *kp, size_t nk)
{
    double r = 1;
    for (size_t i = 0; i < nk && i < 3; i++)
        if (kp_contains(title, kp[i].text) && kp[i].reliability < r)
            r = kp[i].reliability;
    return r;
}

int meta_build(meta_package *m, const ave_keyphrase *kp, size_t kp_count, const ave_concept *c,
               size_t c_count, size_t chapter_count, const char *neutral)
{
    char k[3][64];
    size_t nk = kp_count < 3 ? kp_count : 3;
    int n = chapter_count >= 3 ? (int)chapter_count : 3;

    (void)c;
    (void)c_count;
    memset(m, 0, sizeof(*m));
    m->summary_reliability = 1;
    if (!nk) {
        /* Nothing the recogniser was sure of: one plain title, the same
         * for every strategy, rather than a template around a guess. */
        m->neutral = 1;
        for (int s = 0; s < META_STRATEGY_COUNT; s++) {
            snprintf(m->titles[s].text, sizeof(m->titles[s].text), "%s",
                     neutral && *neutral ? neutral : "Video");
            meta_score_title(&m->titles[s], kp, 0);
            m->titles[s].reliability = 1;
        }
        return 0;
    }
    for (size_t i = 0; i < nk; i++)
        meta_title_case(kp[i].text, k[i], sizeof(k[i]));
    for (int s = 0; s < META_STRATEGY_COUNT; s++) {
        meta_title best = {.score = -1};
        for (int t = 0; t < 5; t++) {
            meta_title cand = {0};
            if (!expand(templates[s][t], k, nk, n, cand.text, sizeof(cand.text)) ||
                strlen(cand.text) > 100)
                continue;
            meta_score_title(&cand, kp, kp_count);
            if (cand.score > best.score)
                best = cand;
        }
        best.reliability = meta_title_reliability(best.text, kp, kp_count);
        m->titles[s] = best;
    }
    tags(m, kp, kp_count);
    for (size_t i = 0; i < nk && i < 3; i++) {
        char *h = m->hashtags[m->hashtag_count];
        size_t o = 1;
        h[0] = '#';
        int cap = 1; /* CamelCase: each word starts upper-case, "of" too */
        for (const char *p = k[i]; *p && o + 1 < sizeof(m->hashtags[0]); p++) {
            if (!isalnum((unsigned char)*p)) {
                cap = 1;
                continue;
            }
            h[o++] = cap ? (char)toupper((unsigned char)*p) : *p;
            cap = 0;
        }
        h[o] = '\0';
        if (o > 1 && kp_count)
            m->hashtag_count++;
    }
    snprintf(m->headline, sizeof(m->headline), "%.40s", k[0]);
    if (strlen(k[0]) + sizeof(" Explained") - 1 <= 40)
        snprintf(m->headline, sizeof(m->headline), "%.30s Explained", k[0]);
    m->headline_reliability = kp[0].reliability;
    return 0;
}
