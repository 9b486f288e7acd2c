/* Keyword spotting for hesitation words, as filler evidence K.
 *
 * A second PocketSphinx decoder runs the keyword search (a phone loop
 * against the keyphrases um, uh, er, ah, hmm, mm) instead of the language
 * model: -kws is ignored when an LM is loaded, so this decoder has none and
 * a five-word dictionary written to the job's scratch folder (it also loads
 * in milliseconds instead of the full dictionary's second). One-phone
 * keywords like "uh" (AH) fire inside ordinary words all the time, so the
 * spotter is never a detector on its own: it only scores windows around the
 * candidates the acoustic and gap detectors found, 0.4 s either side for
 * context, each window one utterance (batch CMN over it, as the model's
 * feat.params asks). A hit that covers at least half of the candidate sets
 * K = 1 (the segment probability the keyword search reports is not
 * graded: about 1 for every hit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pocketsphinx.h>

#include "ave/ave.h"
#include "speech/filler_detect.h"
#include "speech/ps_log.h"

#define STAGE "speech"
#define DEFAULT_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#define CONTEXT_US 400000
/* Detection threshold of every keyword. On flite and espeak voices 1e-10
 * and below fired on nearly every candidate, words and silence alike; 1e10
 * missed most true fillers; 1e0 hits some true fillers and few words. */
#define KWS_THRESHOLD "1e0"

struct ave_filler_kws {
    cmd_ln_t *config;
    ps_decoder_t *ps;
    int frame_rate;
};

static const char *const dict_lines = "um AH M\nuh AH\ner ER\nah AA\nhmm HH M\nmm M\n";
static const char *const keywords[] = {"um", "uh", "er", "ah", "hmm", "mm", NULL};

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int ok;
    if (!f)
        return -1;
    ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

void ave_filler_kws_close(ave_filler_kws *k)
{
    if (!k)
        return;
    if (k->ps)
        ps_free(k->ps);
    if (k->config)
        cmd_ln_free_r(k->config);
    free(k);
}

int ave_filler_kws_open(ave_filler_kws **out, const char *model_dir, const char *scratch_dir)
{
    const char *dir = model_dir ? model_dir : DEFAULT_MODEL_DIR;
    char hmm[1024], mdef[1100], dict[1024], kws[1024], text[256];
    size_t len = 0;
    ave_filler_kws *k = NULL;

    *out = NULL;
    snprintf(hmm, sizeof(hmm), "%s/en-us", dir);
    snprintf(mdef, sizeof(mdef), "%s/mdef", hmm);
    if (!scratch_dir || access(mdef, R_OK) != 0)
        return AVE_ERR_UNSUPPORTED;
    snprintf(dict, sizeof(dict), "%s/filler_kws.dict", scratch_dir);
    snprintf(kws, sizeof(kws), "%s/filler_kws.txt", scratch_dir);
    /* One detection threshold for all: the score K grades above it. */
    for (size_t i = 0; keywords[i]; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s /%s/\n", keywords[i],
                                KWS_THRESHOLD);
    if (write_text(dict, dict_lines) < 0 || write_text(kws, text) < 0)
        return AVE_ERR_IO;
    ave_ps_route_log();
    if (!(k = calloc(1, sizeof(*k))))
        return AVE_ERR_NOMEM;
    k->config = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", hmm, "-dict", dict, "-kws", kws,
                            "-samprate", "16000", "-remove_silence", "no", NULL);
    if (k->config)
        k->ps = ps_init(k->config);
    if (!k->ps) {
        ave_filler_kws_close(k);
        return AVE_ERR_UNSUPPORTED;
    }
    k->frame_rate = (int)cmd_ln_int_r(k->config, "-frate");
    if (k->frame_rate <= 0)
        k->frame_rate = 100;
    *out = k;
    return 0;
}

static int score_one(ave_filler_kws *k, const int16_t *pcm, size_t n, int rate,
                     ave_filler_cand *c)
{
    int64_t w0 = c->start_us - CONTEXT_US, w1 = c->end_us + CONTEXT_US;
    size_t a, b;
    ps_seg_t *seg;

    if (w0 < 0)
        w0 = 0;
    a = (size_t)(w0 * rate / 1000000);
    b = (size_t)(w1 * rate / 1000000);
    if (b > n)
        b = n;
    if (b <= a + (size_t)rate / 10)
        return 0;
    if (ps_start_utt(k->ps) < 0 ||
        ps_process_raw(k->ps, (const int16 *)(pcm + a), b - a, FALSE, TRUE) < 0 ||
        ps_end_utt(k->ps) < 0)
        return AVE_ERR_INTERNAL;
    for (seg = ps_seg_iter(k->ps); seg; seg = ps_seg_next(seg)) {
        int sf = 0, ef = 0;
        int64_t s, e, ov;

        ps_seg_frames(seg, &sf, &ef);
        s = w0 + (int64_t)sf * 1000000 / k->frame_rate;
        e = w0 + (int64_t)(ef + 1) * 1000000 / k->frame_rate;
        ov = ave_span_overlap(s, e, c->start_us, c->end_us);
        ave_log(AVE_LOG_DEBUG, STAGE, "keyword '%s' %.3f-%.3f s (candidate %.3f-%.3f)",
                ps_seg_word(seg), s / 1e6, e / 1e6, c->start_us / 1e6, c->end_us / 1e6);
        if (2 * ov < c->end_us - c->start_us || c->kws > 0)
            continue;
        /* Keyword hypotheses come with a trailing blank. */
        c->kws = 1;
        snprintf(c->text, sizeof(c->text), "%.*s", (int)strcspn(ps_seg_word(seg), " "),
                 ps_seg_word(seg));
    }
    if (c->kws > 0)
        c->sources |= AVE_FILLER_SRC_KWS;
    return 0;
}

int ave_filler_kws_score(ave_filler_kws *k, const int16_t *pcm, size_t n, int rate,
                         ave_filler_cand *cands, size_t count)
{
    int ret;
    if (!k || rate != 16000)
        return 0;
    for (size_t i = 0; i < count; i++)
        if ((ret = score_one(k, pcm, n, rate, &cands[i])) < 0)
            return ret;
    return 0;
}
