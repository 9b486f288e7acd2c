/* The embedded recogniser: PocketSphinx 5prealpha (Debian 12) with the en-us
 * model from pocketsphinx-en-us. One decoder per state, one utterance per
 * chunk, PocketSphinx's own silence removal off: it drops frames and shifts
 * the word times, so the silence stage's pauses decide the chunks instead.
 * Frame numbers count from the chunk start at -frate frames/s (100).
 *
 * PocketSphinx logs through sphinxbase's process-wide err callback and calls
 * exit() on some fatal errors (E_FATAL), so its log is routed into ave_log
 * once, and the model files are checked before ps_init ever sees them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pocketsphinx.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>

#include "ave/ave.h"
#include "speech/asr.h"
#include "speech/ps_log.h"
#include "speech/asr_words.h"

#define STAGE "speech"
#define DEFAULT_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"

typedef struct ps_state {
    cmd_ln_t *config;
    ps_decoder_t *ps;
    int frame_rate;
} ps_state;

static int readable(const char *dir, const char *name, char *path, size_t len)
{
    int n = snprintf(path, len, "%s/%s", dir, name);
    return n > 0 && (size_t)n < len && access(path, R_OK) == 0;
}

static void ps_close(void *state)
{
    ps_state *s = state;
    if (!s)
        return;
    if (s->ps)
        ps_free(s->ps);
    if (s->config)
        cmd_ln_free_r(s->config);
    free(s);
}

static int ps_open(void **state, const ave_asr_config *cfg, char *err, size_t errlen)
{
    const char *dir = cfg && cfg->model_dir ? cfg->model_dir : DEFAULT_MODEL_DIR;
    char hmm[1024], lm[1024], dict[1024], mdef[1024];
    ps_state *s;

    *state = NULL;
    if (!readable(dir, "en-us/mdef", mdef, sizeof(mdef)) ||
        !readable(dir, "en-us.lm.bin", lm, sizeof(lm)) ||
        !readable(dir, "cmudict-en-us.dict", dict, sizeof(dict))) {
        snprintf(err, errlen,
                 "%s: PocketSphinx en-us model not found (install pocketsphinx-en-us, or use "
                 "--asr http / --asr off)",
                 dir);
        return AVE_ERR_UNSUPPORTED;
    }
    snprintf(hmm, sizeof(hmm), "%s/en-us", dir);
    ave_ps_route_log();

    if (!(s = calloc(1, sizeof(*s)))) {
        snprintf(err, errlen, "out of memory");
        return AVE_ERR_NOMEM;
    }
    /* The search parameters stay at PocketSphinx's defaults: narrower beams
     * or -maxhmmpf 3000 cost accuracy on real recordings, and -fwdflat no
     * breaks piecewise ps_process_cep input; -ds, -topn, the lookahead
     * window and beams, -maxwpf and the fwdflat settings either lose words
     * on the real set or save too little to measure (docs/SPEECH.md,
     * "Transcription speed"). */
    s->config = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", hmm, "-lm", lm, "-dict", dict,
                            "-remove_silence", "no", "-samprate", "16000", NULL);
    /* CMN is done per chunk in chunk_cepstra; the model's feat.params would
     * otherwise switch the decoder's own batch CMN back on. */
    if (s->config)
        s->ps = ps_init(s->config);
    if (!s->ps) {
        snprintf(err, errlen, "%s: PocketSphinx cannot load the model (run with -v for details)",
                 dir);
        ps_close(s);
        return AVE_ERR_UNSUPPORTED;
    }
    ps_get_feat(s->ps)->cmn = CMN_NONE;
    s->frame_rate = (int)cmd_ln_int_r(s->config, "-frate");
    if (s->frame_rate <= 0)
        s->frame_rate = 100;
    *state = s;
    return 0;
}

/* Cepstra of the whole chunk from the decoder's own front end (the same
 * noise removal it would apply), minus their mean: the batch CMN that the
 * model's feat.params asks for, done here because the decoder only applies
 * it to a full utterance given in one call, and one call cannot be
 * interrupted. *cep is malloc'd (caller frees) as *nframes rows of ncep. */
static int chunk_cepstra(ps_state *s, const int16_t *pcm, size_t n, mfcc_t **cep, int *nframes,
                         int *ncep)
{
    fe_t *fe = ps_get_fe(s->ps);
    int32 total = 0, fr = 0, last = 0;
    size_t left = n;
    const int16 *p = pcm;
    mfcc_t *buf = NULL, **rows = NULL;
    int ret = AVE_ERR_INTERNAL, dim = fe_get_output_size(fe);

    /* Frames the front end will produce: ask it (buf_cep NULL), plus the
     * final partial frame fe_end_utt may add. */
    if (fe_process_frames(fe, &p, &left, NULL, &total, NULL) < 0)
        return AVE_ERR_INTERNAL;
    total += 1;
    buf = calloc((size_t)total * dim, sizeof(*buf));
    rows = malloc((size_t)total * sizeof(*rows));
    if (!buf || !rows) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (int32 i = 0; i < total; i++)
        rows[i] = buf + (size_t)i * dim;
    p = pcm;
    left = n;
    fr = total;
    if (fe_process_frames(fe, &p, &left, rows, &fr, NULL) < 0 || fr >= total)
        goto out;
    if (fe_end_utt(fe, rows[fr], &last) < 0)
        goto out;
    fr += last;
    /* Frames without energy (c0 < 0: digital silence) do not count towards
     * the mean, as in sphinxbase's batch CMN. */
    {
        double mean[64] = {0};
        int32 counted = 0;
        if (dim > 64)
            goto out;
        for (int32 i = 0; i < fr; i++) {
            if (rows[i][0] < 0)
                continue;
            for (int k = 0; k < dim; k++)
                mean[k] += rows[i][k];
            counted++;
        }
        for (int32 i = 0; counted && i < fr; i++)
            for (int k = 0; k < dim; k++)
                rows[i][k] -= (mfcc_t)(mean[k] / counted);
    }
    *cep = buf;
    buf = NULL;
    *nframes = fr;
    *ncep = dim;
    ret = 0;
out:
    free(buf);
    free(rows);
    return ret;
}

/* Feed normalised cepstra in short pieces so *stop is polled often. The
 * decoder's own CMN is off (ps_open), so piecewise input decodes like the
 * full utterance would. */
#define PIECE_FRAMES 25

static int decode_chunk(ps_state *s, const int16_t *pcm, size_t n, const atomic_int *stop)
{
    mfcc_t *cep = NULL;
    int nframes = 0, ncep = 0, ret;

    if (ps_start_stream(s->ps) < 0 || ps_start_utt(s->ps) < 0)
        return AVE_ERR_INTERNAL;
    ret = chunk_cepstra(s, pcm, n, &cep, &nframes, &ncep);
    for (int f = 0; ret == 0 && f < nframes; f += PIECE_FRAMES) {
        mfcc_t *rows[PIECE_FRAMES];
        int count = nframes - f < PIECE_FRAMES ? nframes - f : PIECE_FRAMES;
        if (stop && atomic_load(stop)) {
            ret = AVE_ERR_CANCELLED;
            break;
        }
        for (int i = 0; i < count; i++)
            rows[i] = cep + (size_t)(f + i) * ncep;
        if (ps_process_cep(s->ps, rows, count, FALSE, FALSE) < 0)
            ret = AVE_ERR_INTERNAL;
    }
    free(cep);
    /* Ending the utterance runs the second search passes over everything
     * fed so far (a second or more for a long region): not worth it for a
     * result nobody will read. A stopped state is only ever closed. */
    if (ret == AVE_ERR_CANCELLED)
        return ret;
    if (ps_end_utt(s->ps) < 0 && ret == 0)
        ret = AVE_ERR_INTERNAL;
    return ret;
}

static int ps_transcribe(void *state, const int16_t *pcm, size_t n, int rate, int64_t offset_us,
                         const atomic_int *stop, ave_word **words, size_t *count, char *err,
                         size_t errlen)
{
    ps_state *s = state;
    ave_word *v = NULL;
    size_t nv = 0, cap = 0;
    logmath_t *lmath;
    ps_seg_t *seg;
    int ret = 0;

    *words = NULL;
    *count = 0;
    if (rate != 16000) {
        snprintf(err, errlen, "PocketSphinx needs 16 kHz audio, got %d Hz", rate);
        return AVE_ERR_INTERNAL;
    }
    if (n == 0)
        return 0;
    /* A new stream per chunk: the noise estimate otherwise carries over from
     * whichever chunks this decoder saw before, so results would depend on
     * how regions were shared between threads. */
    if ((ret = decode_chunk(s, pcm, n, stop)) < 0) {
        if (ret == AVE_ERR_CANCELLED)
            snprintf(err, errlen, "stopped");
        else
            snprintf(err, errlen, "PocketSphinx failed to decode %.2f s at %.2f s",
                     (double)n / rate, offset_us / 1e6);
        return ret;
    }
    lmath = ps_get_logmath(s->ps);
    for (seg = ps_seg_iter(s->ps); seg; seg = ps_seg_next(seg)) {
        int sf = 0, ef = 0;
        int32 ascr, lscr, lback;
        ave_word w;
        double conf = logmath_exp(lmath, ps_seg_prob(seg, &ascr, &lscr, &lback));

        ps_seg_frames(seg, &sf, &ef);
        if (!ave_asr_make_word(&w, ps_seg_word(seg), ave_asr_frame_to_us(offset_us, sf, s->frame_rate),
                               ave_asr_frame_to_us(offset_us, (int64_t)ef + 1, s->frame_rate),
                               conf))
            continue;
        if ((ret = ave_asr_words_push(&v, &nv, &cap, &w)) < 0) {
            ps_seg_free(seg);
            snprintf(err, errlen, "out of memory");
            free(v);
            return ret;
        }
    }
    *words = v;
    *count = nv;
    return 0;
}

const ave_asr_engine ave_asr_pocketsphinx = {
    .name = "pocketsphinx",
    .api_service = NULL,
    .parallel = 1,
    .max_chunk_s = 30,
    .merge_gap_s = 0,
    .open = ps_open,
    .transcribe = ps_transcribe,
    .close = ps_close,
};
