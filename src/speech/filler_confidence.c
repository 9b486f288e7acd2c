/* Calibrated confidence for filler candidates, suggestions below the cut
 * threshold, and what acts on filler words rather than scores: the demotion
 * of unsure recognised hesitations and the growth of a filler over its own
 * sound (docs/SPEECH.md, "Confidence and suggestions", "Whole fillers").
 *
 * On real disfluent speech (../shared/media/real-dev) the fused score
 * separates fillers from speech poorly: of 35 voiced islands the recogniser
 * wrote nothing for, said at speech level, 16 were fillers, 11 left-out real
 * words and 8 breaths or fragments. Cutting at that precision would eat
 * words; listing them for review costs the user one edit each. So the cut
 * stays with the fused score, and such islands become suggestions with
 * their measured precision as confidence. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "speech/filler_detect.h"
#include "speech/filler_realign.h"
#include "speech/filler_steady.h"

#define CONNECTED_US 20000 /* the recogniser joined two words */
#define AUDIBLE_DB 6.0f    /* a frame this far above the floor is sound */
#define VOICED 0.6f
/* The voiced-gap island: what a hesitation looks like when the recogniser
 * drops it. */
#define GAP_MIN 0.8f
#define GAP_LEVEL_DB (-12.0f)
#define GAP_VOICED 0.4f
#define GAP_MIN_US 150000
#define GAP_MAX_US 1100000
/* The second pass's score favours hesitations more the longer the gap: its
 * phone string pays a grammar cost per phone, the hesitations one per
 * sound. "looked outside" (0.94 s, 17 phones) that the recogniser left out
 * of a generated clip scored 16 per frame; the real fillers it confirmed
 * were 0.21-0.69 s long. */
#define REALIGN_MAX_US 800000

void ave_filler_measure(const ave_filler_frames *fr, ave_filler_cand *c)
{
    size_t a = (size_t)(c->start_us / 10000), b = (size_t)((c->end_us + 9999) / 10000);
    float peak = -INFINITY;
    size_t audible = 0, voiced = 0;

    if (b > fr->count)
        b = fr->count;
    for (size_t f = a; f < b; f++) {
        if (fr->energy_db[f] > peak)
            peak = fr->energy_db[f];
        if (fr->energy_db[f] >= fr->floor_db + AUDIBLE_DB) {
            audible++;
            voiced += fr->voicing[f] >= VOICED;
        }
    }
    c->level_db = b > a ? peak - fr->speech_db : -INFINITY;
    c->voiced = audible ? (float)voiced / (float)audible : 0.0f;
}

float ave_filler_confidence(const ave_filler_cand *c, float t)
{
    float conf, s = c->score;
    int64_t len = c->end_us - c->start_us;

    if (t <= 0.0f || t >= 1.0f)
        return s;
    conf = s >= t ? 0.5f + 0.5f * (s - t) / (1.0f - t) : 0.5f * s / t;
    if (c->recog < 1.0f && c->island && c->gap >= GAP_MIN && c->level_db >= GAP_LEVEL_DB &&
        c->voiced >= GAP_VOICED && len >= GAP_MIN_US && len <= GAP_MAX_US) {
        /* The second pass heard a hesitation there, not a word the
         * recogniser left out; or the gap holds one spectral shape, one
         * vowel or nasal, where a word moves through its phones. */
        int confirmed = (c->realign >= AVE_FILLER_REALIGN_MIN && len <= REALIGN_MAX_US) ||
                        c->steady >= AVE_GAP_STEADY_MIN;
        float gap_conf = confirmed ? AVE_FILLER_CONF_REALIGN : AVE_FILLER_CONF_VOICED_GAP;
        if (conf < gap_conf)
            conf = gap_conf;
    }
    return conf;
}

int ave_filler_realign_matters(const ave_filler_cand *c, float t, float cut)
{
    ave_filler_cand probe = *c;
    float without, with;

    probe.realign = AVE_REALIGN_NONE;
    without = ave_filler_confidence(&probe, t);
    probe.realign = AVE_FILLER_REALIGN_MIN;
    with = ave_filler_confidence(&probe, t);
    /* At the cut its span comes from the second pass; below, only a change
     * of confidence (written with a suggestion) is at stake. */
    return without >= cut || with > without;
}

float ave_filler_score_for_confidence(float conf, float t)
{
    if (t <= 0.0f || t >= 1.0f)
        return conf;
    return conf >= 0.5f ? t + (conf - 0.5f) * 2.0f * (1.0f - t) : conf * 2.0f * t;
}

int ave_filler_suggest(ave_word **words, size_t *count, const ave_filler_cand *cands,
                       size_t ncand, float review, float cut, int64_t min_len_us,
                       size_t *added)
{
    ave_word *w = *words, *nw = NULL, *merged;
    size_t n = *count, nn = 0, k = 0;

    *added = 0;
    if (ncand == 0)
        return 0;
    if (!(nw = calloc(ncand, sizeof(*nw))))
        return AVE_ERR_NOMEM;
    for (size_t c = 0; c < ncand; c++) {
        const ave_filler_cand *x = &cands[c];
        int64_t s, e;
        int taken = 0;

        if (x->confidence < review || x->confidence >= cut)
            continue;
        for (size_t i = 0; i < n && !taken; i++)
            taken = (w[i].flags & (AVE_WORD_FILLER | AVE_WORD_SUGGESTED)) &&
                    ave_span_overlap(w[i].start_us, w[i].end_us, x->start_us, x->end_us) > 0;
        if (taken)
            continue;
        ave_filler_clear_span(w, NULL, n, 0, x->start_us, x->end_us, &s, &e);
        if (e - s < min_len_us)
            continue;
        nw[nn].start_us = s;
        nw[nn].end_us = e;
        snprintf(nw[nn].text, sizeof(nw[nn].text), "%s", x->text[0] ? x->text : "[hesitation]");
        nw[nn].confidence = nw[nn].filler_score = x->confidence;
        nw[nn++].flags = AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC;
    }
    if (nn == 0) {
        free(nw);
        return 0;
    }
    if (!(merged = malloc((n + nn) * sizeof(*merged)))) {
        free(nw);
        return AVE_ERR_NOMEM;
    }
    /* Candidates are sorted by start (ave_filler_merge), the words too. */
    for (size_t i = 0, j = 0; i < n || j < nn;)
        merged[k++] = j >= nn || (i < n && w[i].start_us <= nw[j].start_us) ? w[i++] : nw[j++];
    free(nw);
    free(*words);
    *words = merged;
    *count = k;
    *added = nn;
    return 0;
}

/* A neighbour that can be a real word: not a hesitation, and not a lone
 * letter (PocketSphinx writes the "h" of a drawn-out "hmm" as the letter). */
static int real_word(const ave_word *w)
{
    return !(w->flags & (AVE_WORD_FILLER | AVE_WORD_ACOUSTIC | AVE_WORD_SUGGESTED)) &&
           strlen(w->text) >= 2;
}

static int joined_to_word(const ave_word *w, size_t n, size_t i)
{
    return (i > 0 && real_word(&w[i - 1]) && w[i].start_us - w[i - 1].end_us < CONNECTED_US) ||
           (i + 1 < n && real_word(&w[i + 1]) && w[i + 1].start_us - w[i].end_us < CONNECTED_US);
}

size_t ave_filler_demote_unsure(ave_word *w, size_t n, const ave_filler_cand *cands,
                                size_t ncand, float min_acoustic, float conf)
{
    size_t demoted = 0;

    for (size_t i = 0; i < n; i++) {
        int supported = 0;
        if ((w[i].flags & (AVE_WORD_FILLER | AVE_WORD_ACOUSTIC)) != AVE_WORD_FILLER ||
            w[i].confidence >= 0.5f || !joined_to_word(w, n, i))
            continue;
        for (size_t c = 0; c < ncand && !supported; c++)
            supported = (cands[c].acoustic >= min_acoustic || cands[c].kws > 0) &&
                        2 * ave_span_overlap(w[i].start_us, w[i].end_us, cands[c].start_us,
                                    cands[c].end_us) >= w[i].end_us - w[i].start_us;
        if (supported)
            continue;
        w[i].flags = (w[i].flags & ~(unsigned)AVE_WORD_FILLER) | AVE_WORD_SUGGESTED;
        w[i].filler_score = conf;
        demoted++;
    }
    return demoted;
}

/* Median pitch of the voiced, audible frames of [a, b) when at least
 * HELD_SHARE of its frames are such and lie within HELD_ST of it: the
 * signature of a held hesitation. NAN otherwise. */
#define HELD_SHARE 0.6f
#define HELD_ST 1.5f
static float held_pitch(const ave_filler_frames *fr, size_t a, size_t b)
{
    float v[256], med;
    size_t n = 0, near = 0;

    if (b > fr->count)
        b = fr->count;
    for (size_t f = a; f < b && n < 256; f++)
        if (fr->voicing[f] >= VOICED && fr->energy_db[f] >= fr->floor_db + AUDIBLE_DB)
            v[n++] = fr->pitch_st[f];
    if (b <= a || n < 5)
        return NAN;
    for (size_t i = 1; i < n; i++) /* insertion sort: at most a few hundred frames */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            float t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    med = v[n / 2];
    for (size_t i = 0; i < n; i++)
        near += fabsf(v[i] - med) <= HELD_ST;
    return (float)near >= HELD_SHARE * (float)(b - a) ? med : NAN;
}

static int continues(const ave_filler_frames *fr, int64_t t_us, float pitch)
{
    size_t f = (size_t)(t_us / 10000);
    return t_us >= 0 && f < fr->count && fr->energy_db[f] >= fr->floor_db + AUDIBLE_DB &&
           fr->voicing[f] >= VOICED && fabsf(fr->pitch_st[f] - pitch) <= HELD_ST;
}

void ave_filler_grow_to_sound(ave_word *w, size_t n, const ave_filler_frames *fr,
                              int64_t guard_us, int64_t max_us, int recognised_too)
{
    const int64_t step = 10000;

    for (size_t i = 0; i < n; i++) {
        int64_t lo, hi, s = w[i].start_us, e = w[i].end_us;
        float pitch;
        if (!(w[i].flags & AVE_WORD_FILLER) || (w[i].flags & AVE_WORD_MUTED) || e <= s ||
            (!recognised_too && !(w[i].flags & AVE_WORD_ACOUSTIC)))
            continue;
        /* Only a held sound grows: a word list that left speech out (an
         * HTTP engine's, say) must not let a "filler" run over it. */
        pitch = held_pitch(fr, (size_t)(s / step), (size_t)((e + step - 1) / step));
        if (isnan(pitch))
            continue;
        lo = i > 0 ? w[i - 1].end_us + guard_us : 0;
        hi = i + 1 < n ? w[i + 1].start_us - guard_us : (int64_t)fr->count * step;
        if (lo < s - max_us)
            lo = s - max_us;
        if (hi > e + max_us)
            hi = e + max_us;
        while (s - step >= lo && continues(fr, s - step, pitch))
            s -= step;
        while (e + step <= hi && continues(fr, e, pitch))
            e += step;
        w[i].start_us = s;
        w[i].end_us = e;
    }
}
