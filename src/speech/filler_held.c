/* Held sounds the recogniser wrote as words (filler_held.h). The
 * thresholds are physical and few: how long one phone holds, how much of
 * the word it takes, whether the word's other phones were squeezed to the
 * decoder's minimum, and whether the held phone is one steady voiced sound.
 * Their values and the confidence were read off the real set's
 * per-feature table (docs/SPEECH.md, "Held words"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "speech/filler_held.h"

#define STAGE "speech"
#define FRAME_US 10000
#define AUDIBLE_DB 6.0f /* as filler_confidence.c */
#define VOICED 0.6f
#define FLAT_ST 1.5f
#define MAX_PHONES 12
/* Which words are aligned at all. */
#define WANT_MIN_US 200000
#define WANT_MAX_US 1500000
#define WANT_MAX_CONF 0.9f
/* A hesitation forced into a word: its nasal held. A nasal consonant in a
 * word lasts 40-130 ms on the real set (the longest, a "one" of 220 ms,
 * wandered in pitch: flat 0.41); the hummed "m" of "um" or "hm" that the
 * recogniser wrote as "amen", "come", "i'm", "sitcom" held 230-630 ms,
 * on one pitch (flat 0.97-1), one spectrum (flux 0.9-1.7 dB). Held vowels
 * are left alone: a drawn-out "and" (650 ms) or "the" is a word. */
#define HELD_MIN_US 200000
#define FLAT_MIN 0.8f
#define FLUX_MAX_DB 2.0f
#define CONF_HELD 0.85f
/* The recogniser joined two words (filler_gap.c's connected-speech veto). */
#define JOINED_US 20000

static const char *const nasals[] = {"M", "N", "NG", NULL};

static int is_nasal(const char *p)
{
    for (size_t i = 0; nasals[i]; i++)
        if (!strcmp(p, nasals[i]))
            return 1;
    return 0;
}

static int is_sonorant(const char *p)
{
    static const char *const s[] = {"AA", "AE", "AH", "AO", "AW", "AY", "EH",
                                    "ER", "EY", "IH", "IY", "OW", "OY", "UH",
                                    "UW", "M",  "N",  "NG", "L",  "R",  NULL};
    for (size_t i = 0; s[i]; i++)
        if (!strcmp(p, s[i]))
            return 1;
    return 0;
}

static int by_value(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

int ave_held_measure(const ave_realign_phone *ph, size_t n, const ave_filler_frames *fr,
                     ave_held_features *out)
{
    size_t h = 0, f0, f1, nv = 0, near = 0, nflux = 0;
    float pitch[256], flux = 0.0f;

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return AVE_ERR_USAGE;
    for (size_t i = 0; i < n; i++) {
        if (ph[i].end_us <= ph[i].start_us)
            return AVE_ERR_USAGE;
        out->span_us += ph[i].end_us - ph[i].start_us;
        if (ph[i].end_us - ph[i].start_us > ph[h].end_us - ph[h].start_us)
            h = i;
    }
    out->phones = (int)n;
    out->held_us = ph[h].end_us - ph[h].start_us;
    memcpy(out->held, ph[h].name, sizeof(out->held));
    out->held[sizeof(out->held) - 1] = '\0';
    out->share = (float)out->held_us / (float)out->span_us;
    out->others_us = n > 1 ? (float)(out->span_us - out->held_us) / (float)(n - 1) : 0.0f;
    out->held_index = (int)h;
    out->sonorant = is_sonorant(out->held);
    out->nasal = is_nasal(out->held);
    f0 = (size_t)(ph[h].start_us / FRAME_US);
    f1 = (size_t)(ph[h].end_us / FRAME_US);
    if (fr && f1 > fr->count)
        f1 = fr->count;
    for (size_t f = f0; fr && f < f1; f++) {
        flux += fr->flux_db[f];
        nflux++;
        if (nv < sizeof(pitch) / sizeof(pitch[0]) && fr->voicing[f] >= VOICED &&
            fr->energy_db[f] >= fr->floor_db + AUDIBLE_DB)
            pitch[nv++] = fr->pitch_st[f];
    }
    out->flux_db = nflux ? flux / (float)nflux : 0.0f;
    if (nv >= 3) {
        float med;
        qsort(pitch, nv, sizeof(pitch[0]), by_value);
        med = pitch[nv / 2];
        for (size_t i = 0; i < nv; i++)
            near += fabsf(pitch[i] - med) <= FLAT_ST;
        /* Over all the held phone's frames: unvoiced ones count against. */
        out->flat = (float)near / (float)(f1 - f0);
    }
    return 0;
}

float ave_held_confidence(const ave_held_features *f)
{
    if (!f->nasal || f->held_us < HELD_MIN_US || f->flat < FLAT_MIN || f->flux_db > FLUX_MAX_DB)
        return 0.0f;
    return CONF_HELD;
}

void ave_held_run(const ave_realign_phone *ph, size_t n, size_t h, size_t *first, size_t *last)
{
    size_t a = h, b = h;
    while (a > 0 && is_sonorant(ph[a - 1].name))
        a--;
    while (b + 1 < n && is_sonorant(ph[b + 1].name))
        b++;
    *first = a;
    *last = b;
}

int ave_held_wanted(const ave_word *w)
{
    int64_t len = w->end_us - w->start_us;
    return !(w->flags & (AVE_WORD_FILLER | AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC)) &&
           len >= WANT_MIN_US && len <= WANT_MAX_US && w->confidence < WANT_MAX_CONF;
}

/* The filler over [s, e) that takes (part of) word w. */
static ave_word held_filler(const ave_word *w, int64_t s, int64_t e, float conf, int cut)
{
    ave_word f = *w;
    f.start_us = s;
    f.end_us = e;
    snprintf(f.text, sizeof(f.text), "[hesitation]");
    f.filler_score = f.confidence = conf;
    f.flags = (cut ? AVE_WORD_FILLER : AVE_WORD_SUGGESTED) | AVE_WORD_ACOUSTIC;
    return f;
}

size_t ave_held_split(const ave_word *w, const ave_realign_phone *ph, size_t n, size_t a, size_t b,
                      float conf, int cut, ave_word out[2])
{
    if (n == 0 || b >= n || a > b || (a > 0 && b + 1 < n))
        return 0;
    if (a == 0 && b + 1 == n) {
        out[0] = held_filler(w, w->start_us, w->end_us, conf, cut);
        return 1;
    }
    if (a == 0) {
        out[0] = held_filler(w, w->start_us, ph[b].end_us, conf, cut);
        out[1] = *w;
        out[1].start_us = ph[b].end_us;
        return 2;
    }
    out[0] = *w;
    out[0].end_us = ph[a].start_us;
    out[1] = held_filler(w, ph[a].start_us, w->end_us, conf, cut);
    return 2;
}

int ave_held_joined_before(const ave_word *w, size_t i)
{
    for (size_t j = i; j-- > 0;) {
        if (w[j].flags & (AVE_WORD_FILLER | AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC))
            continue;
        return w[i].start_us - w[j].end_us < JOINED_US;
    }
    return 0;
}

int ave_filler_held_check(ave_filler_realign *r, const int16_t *pcm, size_t count, int rate,
                          const ave_filler_frames *fr, ave_word **words, size_t *n, float cut,
                          float review, size_t *cut_n, size_t *suggested_n)
{
    ave_realign_phone ph[MAX_PHONES];
    ave_word *w = *words, *out;
    size_t k = 0;

    *cut_n = *suggested_n = 0;
    if (!r || *n == 0)
        return 0;
    /* A word can split in two: its real part and the filler. */
    if (!(out = malloc(2 * *n * sizeof(*out))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < *n; i++) {
        ave_held_features f;
        size_t np = 0, a, b, m;
        float conf;
        int ret;

        out[k++] = w[i];
        /* Only a held nasal makes a hum (ave_held_confidence): a word
         * without one cannot qualify, and its alignment would be wasted
         * (on a generated talk 160 of 166 aligned words, a third of the
         * filler detection's CPU). */
        if (!ave_held_wanted(&w[i]) || !ave_filler_realign_pron_has(r, w[i].text, nasals))
            continue;
        if ((ret = ave_filler_realign_phones(r, pcm, count, rate, w[i].text, w[i].start_us,
                                             w[i].end_us, ph, MAX_PHONES, &np)) < 0) {
            free(out);
            return ret;
        }
        if (np == 0 || ave_held_measure(ph, np, fr, &f) < 0)
            continue;
        conf = ave_held_confidence(&f);
        ave_log(AVE_LOG_DEBUG, STAGE,
                "held word '%s' %.3f-%.3f s (confidence %.2f): %d phones, held %s %.0f ms, "
                "share %.2f, others %.0f ms, flat %.2f, flux %.2f dB -> %.2f",
                w[i].text, w[i].start_us / 1e6, w[i].end_us / 1e6, w[i].confidence, f.phones,
                f.held, f.held_us / 1e3, f.share, f.others_us / 1e3, f.flat, f.flux_db, conf);
        if (conf < review)
            continue;
        /* The hesitation is the held nasal and the vowels and nasals run
         * into it ("u-mmm"); other phones around it are the word's. */
        ave_held_run(ph, np, (size_t)f.held_index, &a, &b);
        /* A hesitation that starts the word, joined to the word before it,
         * is the middle of a word said slowly: "<hes-aligner>" of
         * mfa_clip_internalsil came out as "all lion", its "nnn" held 820 ms. */
        if (a == 0 && ave_held_joined_before(w, i)) {
            ave_log(AVE_LOG_DEBUG, STAGE, "held word '%s': joined to the word before", w[i].text);
            continue;
        }
        if (!(m = ave_held_split(&w[i], ph, np, a, b, conf, conf >= cut, &out[k - 1])))
            continue;
        k += m - 1;
        ave_log(AVE_LOG_DEBUG, STAGE, "held word '%s': %s at %.3f-%.3f s", w[i].text,
                conf >= cut ? "filler" : "suggested", ph[a].start_us / 1e6, ph[b].end_us / 1e6);
        if (conf >= cut)
            (*cut_n)++;
        else
            (*suggested_n)++;
    }
    free(*words);
    *words = out;
    *n = k;
    return 0;
}
