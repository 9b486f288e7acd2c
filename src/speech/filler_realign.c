/* The filler-aware second pass (filler_realign.h). A third PocketSphinx
 * decoder, with the full dictionary plus one word per phone (ph_aa ..
 * ph_zh), eight hesitations (hes_um ..) and a pause word, and no language
 * model, decodes a short window around each voiced gap twice, with JSGF
 * grammars built from the first pass's words there that differ only in the
 * gap's slot: hesitations in one, free phones in the other. The decoder's
 * own noise fillers are off (-fsgusefiller no): with them, [SPEECH] and
 * [NOISE] absorbed the slot's sound in both decodes and the difference was
 * noise. Grammar alternatives share their probability, so a phone costs
 * log(1/39) of the language weight and a hesitation log(1/8): the score is
 * not a pure acoustic ratio, and its threshold was set on the real set. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pocketsphinx.h>
#include <sphinxbase/jsgf.h>

#include "ave/ave.h"
#include "core/dynbuf.h"
#include "speech/filler_realign.h"
#include "speech/ps_log.h"

#define STAGE "speech"
#define DEFAULT_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#define CONTEXT_US 500000
#define MAX_WINDOW_US 8000000
#define MIN_LEVEL_DB (-15.0f)
#define MIN_GAP 0.8f
/* Every filler cut stays this clear of real words (filler_fuse.c). */
#define GUARD_US 20000
/* The shortest filler cut (ave_filler_rule.min_len_us): a hesitation left
 * shorter between its neighbours keeps the candidate's span. */
#define MIN_CUT_US 80000

static const char *const phones[] = {
    "AA", "AE", "AH", "AO", "AW", "AY", "B",  "CH", "D",  "DH", "EH", "ER", "EY",
    "F",  "G",  "HH", "IH", "IY", "JH", "K",  "L",  "M",  "N",  "NG", "OW", "OY",
    "P",  "R",  "S",  "SH", "T",  "TH", "UH", "UW", "V",  "W",  "Y",  "Z",  "ZH", NULL};
/* The hesitations as the second pass knows them: name and phones. The
 * nasal of an "um" is often NG in connected speech; not N: "AH N" is how
 * "and" is said (it won over a real "and", 17.7 per frame). */
static const char *const hesitations[][2] = {
    {"hes_um", "AH M"}, {"hes_ung", "AH NG"}, {"hes_uh", "AH"},  {"hes_er", "ER"},
    {"hes_ah", "AA"},   {"hes_eh", "EH"},     {"hes_hmm", "HH M"}, {"hes_mm", "M"},
    {NULL, NULL}};

struct ave_filler_realign {
    cmd_ln_t *config;
    ps_decoder_t *ps;
    int frame_rate;
};

/* A JSGF token we can write as is: letters, digits, ' and - only. */
static int plain_token(const char *t)
{
    if (!*t)
        return 0;
    for (; *t; t++)
        if (!isalnum((unsigned char)*t) && *t != '\'' && *t != '-')
            return 0;
    return 1;
}

int ave_realign_grammar(const ave_word *words, size_t n, const unsigned char *skip,
                        size_t slot_at, const char *slot, int (*known)(void *, const char *),
                        void *ctx, char **out)
{
    dynbuf b = DYNBUF_INIT(1 << 20);
    int special = 0;

    *out = NULL;
    dynbuf_adds(&b, "#JSGF V1.0;\ngrammar realign;\n<f> =");
    for (size_t i = 0; hesitations[i][0]; i++)
        dynbuf_printf(&b, "%s %s", i ? " |" : "", hesitations[i][0]);
    dynbuf_adds(&b, ";\n<p> =");
    for (size_t i = 0; phones[i]; i++) {
        dynbuf_adds(&b, i ? " | ph_" : " ph_");
        for (const char *p = phones[i]; *p; p++) {
            char c = (char)tolower((unsigned char)*p);
            dynbuf_add(&b, &c, 1);
        }
    }
    dynbuf_adds(&b, ";\n<q> = sil_pause;\npublic <s> =");
    /* One slot between two kept words: a word left out joins the slots on
     * either side of it, so the special slot has no free neighbour that
     * could take the sound it competes for. */
    for (size_t i = 0;; i++) {
        const ave_word *w = &words[i];
        special |= i == slot_at;
        if (i == n)
            break;
        if ((w->flags & (AVE_WORD_FILLER | AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC)) ||
            (skip && skip[i]))
            continue;
        dynbuf_printf(&b, " %s", special ? slot : "[(<q> | <p>)+]");
        special = 0;
        if (plain_token(w->text) && (!known || known(ctx, w->text)))
            dynbuf_printf(&b, " %s", w->text);
        else
            dynbuf_adds(&b, " <p>+");
    }
    dynbuf_printf(&b, " %s", special ? slot : "[(<q> | <p>)+]");
    dynbuf_adds(&b, ";\n");
    return dynbuf_take(&b, out, NULL);
}

int ave_realign_cut_span(int f0, int f1, int64_t window_us, int64_t frame_us, int64_t cand_s,
                         int64_t cand_e, int64_t prev_end_us, int64_t next_start_us,
                         int64_t guard_us, int64_t min_us, int64_t *s, int64_t *e)
{
    int64_t a = window_us + (int64_t)f0 * frame_us, b = window_us + ((int64_t)f1 + 1) * frame_us;

    /* The slot's hesitations may sit on another sound of the window (a
     * second "uh" 0.5 s before the candidate's, mfa_clip_uhuh): only a
     * hesitation over most of the candidate is the candidate's. */
    if (f0 < 0 || f1 < f0 || 2 * ave_span_overlap(a, b, cand_s, cand_e) < cand_e - cand_s)
        return 0;
    if (cand_s < a)
        a = cand_s;
    if (cand_e > b)
        b = cand_e;
    if (prev_end_us >= 0 && a < prev_end_us + guard_us)
        a = prev_end_us + guard_us;
    if (next_start_us >= 0 && b > next_start_us - guard_us)
        b = next_start_us - guard_us;
    if (b - a < min_us)
        return 0;
    *s = a;
    *e = b;
    return 1;
}

void ave_realign_window(const ave_filler_cand *c, const ave_word *words, size_t nw,
                        int64_t context_us, ave_realign_span *sp, unsigned char *skip)
{
    int64_t w0 = c->start_us - context_us, w1 = c->end_us + context_us;
    size_t a = 0, b;

    if (w0 < 0)
        w0 = 0;
    /* Whole words only: widen over the words cut by the window's edges. */
    while (a < nw && words[a].end_us <= w0)
        a++;
    if (a < nw && words[a].start_us < w0)
        w0 = words[a].start_us;
    for (b = a; b < nw && words[b].start_us < w1; b++)
        if (words[b].end_us > w1)
            w1 = words[b].end_us;
    sp->start_us = w0;
    sp->end_us = w1;
    sp->first = a;
    sp->count = b - a;
    sp->slot = b - a;
    for (size_t i = a; i < b; i++) {
        int64_t len = words[i].end_us - words[i].start_us;
        int64_t ov = ave_span_overlap(words[i].start_us, words[i].end_us, c->start_us, c->end_us);
        /* A word the candidate holds half of is the recogniser's rendering
         * of the sound the two grammars compete for. */
        skip[i - a] = 2 * ov >= len;
        if (sp->slot == b - a && (skip[i - a] || words[i].start_us >= c->start_us))
            sp->slot = i - a;
    }
}

void ave_filler_realign_close(ave_filler_realign *r)
{
    if (!r)
        return;
    if (r->ps)
        ps_free(r->ps);
    if (r->config)
        cmd_ln_free_r(r->config);
    free(r);
}

int ave_filler_realign_open(ave_filler_realign **out, const char *model_dir)
{
    const char *dir = model_dir ? model_dir : DEFAULT_MODEL_DIR;
    char hmm[1024], mdef[1100], dict[1100];
    ave_filler_realign *r;

    *out = NULL;
    snprintf(hmm, sizeof(hmm), "%s/en-us", dir);
    snprintf(mdef, sizeof(mdef), "%s/mdef", hmm);
    snprintf(dict, sizeof(dict), "%s/cmudict-en-us.dict", dir);
    if (access(mdef, R_OK) != 0 || access(dict, R_OK) != 0)
        return AVE_ERR_UNSUPPORTED;
    ave_ps_route_log();
    if (!(r = calloc(1, sizeof(*r))))
        return AVE_ERR_NOMEM;
    r->config = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", hmm, "-dict", dict, "-samprate",
                            "16000", "-remove_silence", "no", "-fsgusefiller", "no", NULL);
    if (r->config)
        r->ps = ps_init(r->config);
    if (!r->ps) {
        ave_filler_realign_close(r);
        return AVE_ERR_UNSUPPORTED;
    }
    for (size_t i = 0; phones[i]; i++) {
        char name[16];
        size_t k = 0;
        k = (size_t)snprintf(name, sizeof(name), "ph_");
        for (const char *p = phones[i]; *p && k < sizeof(name) - 1; p++)
            name[k++] = (char)tolower((unsigned char)*p);
        name[k] = '\0';
        if (ps_add_word(r->ps, name, phones[i], FALSE) < 0) {
            ave_filler_realign_close(r);
            return AVE_ERR_UNSUPPORTED;
        }
    }
    for (size_t i = 0; hesitations[i][0]; i++)
        if (ps_add_word(r->ps, hesitations[i][0], hesitations[i][1], FALSE) < 0 ||
            (!hesitations[i + 1][0] && ps_add_word(r->ps, "sil_pause", "SIL", FALSE) < 0)) {
            ave_filler_realign_close(r);
            return AVE_ERR_UNSUPPORTED;
        }
    r->frame_rate = (int)cmd_ln_int_r(r->config, "-frate");
    if (r->frame_rate <= 0)
        r->frame_rate = 100;
    *out = r;
    return 0;
}

static int in_dictionary(void *ctx, const char *w)
{
    ave_filler_realign *r = ctx;
    char *pron = ps_lookup_word(r->ps, w);
    if (!pron)
        return 0;
    ckd_free(pron);
    return 1;
}

/* Make jsgf the decoder's "realign" search: 1, or 0 when it is refused.
 * Parsed and built here rather than by ps_set_jsgf_string,
 * which in Debian's PocketSphinx leaks about 7 KB per call (LeakSanitizer;
 * the same grammar through jsgf_build_fsg and ps_set_fsg leaks nothing). The
 * language weight is the one ps_set_jsgf_string would use. */
static int set_grammar(ave_filler_realign *r, const char *jsgf)
{
    jsgf_t *g = jsgf_parse_string(jsgf, NULL);
    jsgf_rule_t *rule = g ? jsgf_get_public_rule(g) : NULL;
    fsg_model_t *fsg = rule ? jsgf_build_fsg(g, rule, ps_get_logmath(r->ps),
                                             cmd_ln_float32_r(r->config, "-lw"))
                            : NULL;
    int ok = fsg && ps_set_fsg(r->ps, "realign", fsg) >= 0 && ps_set_search(r->ps, "realign") >= 0;

    if (fsg)
        fsg_model_free(fsg);
    if (g)
        jsgf_grammar_free(g);
    return ok;
}

/* Best path score of pcm[a, b) under the grammar jsgf, in the decoder's
 * log units; *found 0 when it has no path (no evidence then). */
static int path_score(ave_filler_realign *r, const int16_t *pcm, size_t a, size_t b,
                      const char *jsgf, double *path, int *found, int *f0, int *f1)
{
    int32 score = 0;

    *found = 0;
    if (f0)
        *f0 = *f1 = -1;
    if (!set_grammar(r, jsgf)) {
        ave_log(AVE_LOG_DEBUG, STAGE, "second pass: grammar refused");
        return 0;
    }
    if (ps_start_utt(r->ps) < 0 ||
        ps_process_raw(r->ps, (const int16 *)(pcm + a), b - a, FALSE, TRUE) < 0 ||
        ps_end_utt(r->ps) < 0)
        return AVE_ERR_INTERNAL;
    const char *hyp = ps_get_hyp(r->ps, &score);
    if (!hyp) {
        ave_log(AVE_LOG_DEBUG, STAGE, "second pass: no path");
        return 0;
    }
    ave_log(AVE_LOG_DEBUG, STAGE, "second pass: %d '%s'", (int)score, hyp);
    /* Only the slot holds hesitations: their first and last frame are
     * where the decoder heard it, which the candidate's span (the first
     * pass's gap and its held sound) may miss by a syllable. */
    for (ps_seg_t *seg = f0 ? ps_seg_iter(r->ps) : NULL; seg; seg = ps_seg_next(seg)) {
        const char *w = ps_seg_word(seg);
        int sf, ef;
        if (!w || strncmp(w, "hes_", 4) != 0)
            continue;
        ps_seg_frames(seg, &sf, &ef);
        if (*f0 < 0 || sf < *f0)
            *f0 = sf;
        if (ef > *f1)
            *f1 = ef;
    }
    *path = score;
    *found = 1;
    return 0;
}

/* Sound at speech level that the recogniser wrote (almost) nothing for:
 * the candidates the second pass can decide without putting a real word at
 * stake. Over recognised words it does not separate (a hesitant "and"
 * scored 17.7, held "um"s the recogniser wrote as words -3.3 to 3.4), and
 * quiet ones are breaths and noise, which the fusion rule refuses anyway. */
int ave_filler_realign_wanted(const ave_filler_cand *c)
{
    return c->level_db >= MIN_LEVEL_DB && c->gap >= MIN_GAP;
}

/* The first-pass times of the real words the grammar put either side of
 * the slot (words[0..n), those the grammar keeps): the cut stays clear of
 * them as every filler cut does. -1 where there is none. */
static void neighbours(const ave_word *words, size_t n, const unsigned char *skip, size_t slot,
                       int64_t *prev_end, int64_t *next_start)
{
    *prev_end = *next_start = -1;
    for (size_t i = 0; i < n; i++) {
        if ((words[i].flags & (AVE_WORD_FILLER | AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC)) ||
            skip[i])
            continue;
        if (i < slot)
            *prev_end = words[i].end_us;
        else if (*next_start < 0)
            *next_start = words[i].start_us;
    }
}

static int score_one(ave_filler_realign *r, const int16_t *pcm, size_t n, int rate,
                     const ave_word *words, size_t nw, ave_filler_cand *c)
{
    ave_realign_span sp;
    unsigned char *skip = calloc(nw ? nw : 1, 1);
    char *gf = NULL, *gp = NULL;
    double sf = 0, spn = 0;
    int ff = 0, fp = 0, ret, h0 = -1, h1 = -1;
    int64_t prev_end, next_start;
    size_t a, b;

    if (!skip)
        return AVE_ERR_NOMEM;
    ave_realign_window(c, words, nw, CONTEXT_US, &sp, skip);
    a = (size_t)(sp.start_us * rate / 1000000);
    b = (size_t)(sp.end_us * rate / 1000000);
    if (b > n)
        b = n;
    ret = 0;
    if (sp.end_us - sp.start_us > MAX_WINDOW_US)
        ave_log(AVE_LOG_DEBUG, STAGE, "second pass: window %.2f-%.2f s too long", sp.start_us / 1e6,
                sp.end_us / 1e6);
    if (b > a + (size_t)rate / 10 && sp.end_us - sp.start_us <= MAX_WINDOW_US &&
        (ret = ave_realign_grammar(words + sp.first, sp.count, skip, sp.slot, "[<q>] <f>+ [<q>]",
                                   in_dictionary, r, &gf)) == 0 &&
        (ret = ave_realign_grammar(words + sp.first, sp.count, skip, sp.slot, "[<q>] <p>+ [<q>]",
                                   in_dictionary, r, &gp)) == 0 &&
        (ret = path_score(r, pcm, a, b, gf, &sf, &ff, &h0, &h1)) == 0 &&
        (ret = path_score(r, pcm, a, b, gp, &spn, &fp, NULL, NULL)) == 0 && ff && fp) {
        int64_t len = c->end_us - c->start_us;
        /* Per 10 ms frame of the candidate, in the decoder's path-score
         * units (its log base, scaled as its search scales them). */
        c->realign = (float)((sf - spn) / (double)(len > 10000 ? len / 10000 : 1));
        c->sources |= AVE_FILLER_SRC_REALIGN;
        ave_log(AVE_LOG_DEBUG, STAGE,
                "second pass %.3f-%.3f s (window %.2f-%.2f s): hesitation vs phones %.2f per frame",
                c->start_us / 1e6, c->end_us / 1e6, sp.start_us / 1e6, sp.end_us / 1e6, c->realign);
        neighbours(words + sp.first, sp.count, skip, sp.slot, &prev_end, &next_start);
        if (ave_realign_cut_span(h0, h1, (int64_t)a * 1000000 / rate, 1000000 / r->frame_rate,
                                 c->start_us, c->end_us, prev_end, next_start, GUARD_US, MIN_CUT_US,
                                 &c->hes_start_us, &c->hes_end_us))
            ave_log(AVE_LOG_DEBUG, STAGE, "second pass: hesitation aligned at %.3f-%.3f s",
                    c->hes_start_us / 1e6, c->hes_end_us / 1e6);
    }
    free(gf);
    free(gp);
    free(skip);
    return ret;
}

int ave_filler_realign_score(ave_filler_realign *r, const int16_t *pcm, size_t n, int rate,
                             const ave_word *words, size_t nw, ave_filler_cand *cands,
                             size_t count)
{
    int ret;

    for (size_t i = 0; i < count; i++) {
        cands[i].realign = AVE_REALIGN_NONE;
        cands[i].hes_start_us = cands[i].hes_end_us = 0;
    }
    if (!r || rate != 16000)
        return 0;
    for (size_t i = 0; i < count; i++) {
        if (!ave_filler_realign_wanted(&cands[i]) || cands[i].realign_moot)
            continue;
        if ((ret = score_one(r, pcm, n, rate, words, nw, &cands[i])) < 0)
            return ret;
    }
    return 0;
}

int ave_filler_realign_pron_has(ave_filler_realign *r, const char *word,
                                const char *const *any_of)
{
    char *pron, *save = NULL;
    int found = 0;

    if (!r || !plain_token(word) || !(pron = ps_lookup_word(r->ps, word)))
        return 0;
    for (char *p = strtok_r(pron, " ", &save); p && !found; p = strtok_r(NULL, " ", &save))
        for (const char *const *q = any_of; *q && !found; q++)
            found = !strcmp(p, *q);
    ckd_free(pron);
    return found;
}

int ave_filler_realign_phones(ave_filler_realign *r, const int16_t *pcm, size_t count, int rate,
                              const char *word, int64_t s_us, int64_t e_us,
                              ave_realign_phone *out, size_t max, size_t *n)
{
    dynbuf b = DYNBUF_INIT(1 << 16);
    char *pron = NULL, *jsgf = NULL, *save = NULL;
    size_t a = (size_t)(s_us * rate / 1000000), z = (size_t)(e_us * rate / 1000000), nph = 0;
    int64_t frame_us = 1000000 / r->frame_rate;
    int32 best = 0;
    int ret = 0, last = -1;

    *n = 0;
    if (z > count)
        z = count;
    if (rate != 16000 || z <= a + (size_t)rate / 50 || !plain_token(word) ||
        !(pron = ps_lookup_word(r->ps, word)))
        return 0;
    dynbuf_adds(&b, "#JSGF V1.0;\ngrammar held;\n<q> = sil_pause;\npublic <s> = [<q>]");
    for (char *p = strtok_r(pron, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        dynbuf_adds(&b, " ph_");
        for (; *p; p++) {
            char c = (char)tolower((unsigned char)*p);
            dynbuf_add(&b, &c, 1);
        }
        nph++;
    }
    dynbuf_adds(&b, " [<q>];\n");
    ckd_free(pron);
    if ((ret = dynbuf_take(&b, &jsgf, NULL)) < 0)
        return ret;
    if (nph == 0 || nph > max || !set_grammar(r, jsgf))
        goto out;
    if (ps_start_utt(r->ps) < 0 ||
        ps_process_raw(r->ps, (const int16 *)(pcm + a), z - a, FALSE, TRUE) < 0 ||
        ps_end_utt(r->ps) < 0) {
        ret = AVE_ERR_INTERNAL;
        goto out;
    }
    if (!ps_get_hyp(r->ps, &best))
        goto out;
    for (ps_seg_t *seg = ps_seg_iter(r->ps); seg; seg = ps_seg_next(seg)) {
        const char *w = ps_seg_word(seg);
        int sf, ef;
        ps_seg_frames(seg, &sf, &ef);
        if (ef > last)
            last = ef;
        if (!w || strncmp(w, "ph_", 3) != 0)
            continue;
        if (*n == max) {
            ps_seg_free(seg);
            break;
        }
        ave_realign_phone *o = &out[(*n)++];
        size_t k = 0;
        for (const char *p = w + 3; *p && k < sizeof(o->name) - 1; p++)
            o->name[k++] = (char)toupper((unsigned char)*p);
        o->name[k] = '\0';
        o->start_us = s_us + (int64_t)sf * frame_us;
        o->end_us = s_us + ((int64_t)ef + 1) * frame_us;
    }
    /* A search that lost its path returns the best partial one ("Final
     * result does not match the grammar"): its phones end early and say
     * nothing about the word's span. */
    if (*n != nph || (int64_t)(last + 1) * frame_us < e_us - s_us - 3 * frame_us)
        *n = 0;
out:
    free(jsgf);
    return ret;
}
