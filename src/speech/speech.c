/* The speech stage: transcribes the analysis audio into words with times on
 * the source timeline (job->analysis.words), with the recogniser chosen by
 * --asr: PocketSphinx embedded (default), an OpenAI-compatible HTTP service,
 * or off. Audio is decoded per speech region (the complement of the silence
 * stage's pauses and of shorter ones of 0.3 s or more, short phrases joined
 * to a neighbour), on two threads with --parallel; the audio under the pause
 * cuts is decoded too, and a word heard there takes its stretch of the pause
 * back from the cut (pause_guard.c).
 *
 * Editing, when filler removal is on (not for --type music or
 * --disable-filler-detection), in this order: the --filler-words vocabulary
 * and, with --aggressive-fillers, the discourse-marker rules flag fillers
 * (filler_vocab.c); the evidence fusion finds the ones the recogniser missed
 * (filler_detect.c); repetitions and restarts flag their earlier copies as
 * stutters (stutter.c); then those words are cut on word boundaries with a
 * margin that keeps render's crossfade off the kept words (word_cuts.c), or
 * with --mute-fillers flagged muted, for render to silence in place.
 * Without editing, the vocabulary still flags hesitations in the transcript.
 *
 * The API key for --asr http is read from AI_VIDEO_EDITOR_ASR_API_KEY only
 * (never an option, so it never reaches the metrics' configuration dump). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ave/ave.h"
#include "core/silence_detect.h"
#include "speech/asr.h"
#include "speech/filler_detect.h"
#include "speech/filler_vocab.h"
#include "speech/pause_guard.h"
#include "speech/regions.h"
#include "speech/speech_cache.h"
#include "speech/speech_run.h"
#include "speech/stutter.h"
#include "speech/subtitles.h"
#include "speech/word_cuts.h"

#define STAGE "speech"
#define API_KEY_ENV "AI_VIDEO_EDITOR_ASR_API_KEY"
#define REGION_PAD_US 100000 /* silence kept around each region: the decoder needs context */
/* Regions end at every pause of at least this (s), not only at the silence
 * stage's long ones: sentences are separate utterances either way, and short
 * regions keep both decoders busy to the end (docs/SPEECH.md,
 * "Transcription speed"). */
#define SPLIT_PAUSE_S 0.3
/* ... but a phrase shorter than this is decoded with its neighbour, unless
 * the silence stage's pause (>= 0.8 s by default) lies between them. */
#define SHORT_REGION_S 2.5
#define SHORT_GAP_S (0.75 - 2 * REGION_PAD_US / 1e6)
/* A PocketSphinx en-us decoder: 17 MB RSS measured for one, ~60 MB each when
 * two run at once (separate heap arenas); reserve with margin. */
#define DECODER_BYTES (80ll << 20)

enum asr_choice { ASR_POCKETSPHINX, ASR_HTTP, ASR_OFF };

typedef struct speech_opts {
    int asr;          /* enum asr_choice */
    char *asr_url;
    char *asr_model;
    char *asr_language;
    char *pocketsphinx_model;
    char *filler_words;     /* comma list, filler_vocab.h */
    int aggressive_fillers;
    int mute_fillers;
    double cut_margin_ms;
    double asr_chunk_s;
    double filler_confidence;         /* cut threshold */
    double filler_suggest_confidence; /* review threshold */
} speech_opts;

static const char *const asr_choices[] = {"pocketsphinx", "http", "off", NULL};

#define OFF(f) offsetof(speech_opts, f)
static const ave_option speech_options[] = {
    {.name = "asr",
     .type = AVE_OPT_ENUM,
     .offset = OFF(asr),
     .def.i = ASR_POCKETSPHINX,
     .choices = asr_choices,
     .stage = "speech",
     .help = "speech recogniser: pocketsphinx (embedded), http (an OpenAI-compatible "
             "/v1/audio/transcriptions server; key in AI_VIDEO_EDITOR_ASR_API_KEY) or off"},
    {.name = "asr-url",
     .type = AVE_OPT_STRING,
     .offset = OFF(asr_url),
     .def.s = NULL,
     .stage = "speech",
     .help = "base URL of the transcription server for --asr http, e.g. http://127.0.0.1:8080"},
    {.name = "asr-model",
     .type = AVE_OPT_STRING,
     .offset = OFF(asr_model),
     .def.s = "whisper-1",
     .stage = "speech",
     .help = "model name sent to the transcription server (--asr http)"},
    {.name = "asr-chunk-s",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(asr_chunk_s),
     .def.d = 0,
     .min = 0,
     .max = 3600,
     .stage = "speech",
     .help = "longest stretch of audio per recogniser request, in seconds (a service with a "
             "smaller upload limit); 0: the recogniser's own (600 s for http, 30 s embedded)"},
    {.name = "asr-language",
     .type = AVE_OPT_STRING,
     .offset = OFF(asr_language),
     .def.s = "en",
     .stage = "speech",
     .help = "spoken language (ISO 639-1); the embedded recogniser knows only en"},
    {.name = "pocketsphinx-model",
     .type = AVE_OPT_STRING,
     .offset = OFF(pocketsphinx_model),
     .def.s = "/usr/share/pocketsphinx/model/en-us",
     .stage = "speech",
     .flags = AVE_OPTF_PATH,
     .help = "folder of the PocketSphinx model (en-us/, en-us.lm.bin, cmudict-en-us.dict)"},
    {.name = "filler-words",
     .type = AVE_OPT_STRING,
     .offset = OFF(filler_words),
     .def.s = AVE_FILLER_WORDS_DEFAULT,
     .stage = "speech",
     .help = "hesitations removed in any context, comma-separated; replaces the default list "
             "(repeated letters are ignored: um matches umm; an entry may be several words)"},
    {.name = "aggressive-fillers",
     .type = AVE_OPT_BOOL,
     .offset = OFF(aggressive_fillers),
     .def.i = 0,
     .stage = "speech",
     .help = "also remove the discourse markers you know, I mean, like, so, basically and "
             "actually where pauses and neighbouring words mark them as fillers (docs/SPEECH.md)"},
    {.name = "filler-confidence",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(filler_confidence),
     .def.d = 0.5,
     .min = 0.05,
     .max = 1,
     .stage = "speech",
     .help = "cut a filler the detector found when its calibrated confidence is at least this "
             "(docs/SPEECH.md); lower cuts more and risks real words"},
    {.name = "filler-suggest-confidence",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(filler_suggest_confidence),
     .def.d = 0.35,
     .min = 0,
     .max = 1,
     .stage = "speech",
     .help = "keep but suggest (timeline.json action \"suggest\") the filler candidates from "
             "this confidence up to --filler-confidence; 1 = no suggestions"},
    {.name = "mute-fillers",
     .type = AVE_OPT_BOOL,
     .offset = OFF(mute_fillers),
     .def.i = 0,
     .stage = "speech",
     .help = "silence fillers and stutters in place instead of cutting them (keeps the timing)"},
    {.name = "cut-margin-ms",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(cut_margin_ms),
     .def.d = 10,
     .min = 0,
     .max = 100,
     .stage = "speech",
     .help = "audio kept between a filler or stutter cut and the next kept word, so that "
             "render's crossfade never reaches the word; at least half of --crossfade-ms"},
    {.name = NULL},
};
#undef OFF


static int speech_enabled(const ave_job *job, const void *opts)
{
    const speech_opts *o = opts;
    (void)job;
    return !o || o->asr != ASR_OFF;
}

static int filler_cutting_on(const ave_job *job)
{
    return job->cfg && !job->cfg->disable_filler_detection &&
           job->cfg->content_type != AVE_TYPE_MUSIC;
}

/* What editing did, for the log and the metrics. */
typedef struct edit_counts {
    size_t fillers, stutters; /* words flagged */
    size_t fillers_cut, stutters_cut, muted; /* words removed / silenced */
} edit_counts;

/* Mute (keep timing) or cut the flagged words. A cut word is marked
 * AVE_WORD_CUT when the cut removes most of it (a word shorter than twice
 * the margin between abutting kept neighbours may stay). */
static int edit_words(ave_job *job, const speech_opts *o, edit_counts *ec)
{
    ave_word *w = job->analysis.words;
    size_t n = job->analysis.word_count, count = 0;
    ave_word_cut_params cp;
    ave_word_cut *cuts = NULL;
    int ret;

    if (o->mute_fillers) {
        for (size_t i = 0; i < n; i++)
            if (w[i].flags & (AVE_WORD_FILLER | AVE_WORD_STUTTER)) {
                w[i].flags |= AVE_WORD_MUTED;
                ec->muted++;
            }
        return 0;
    }
    ave_word_cut_params_default(&cp);
    cp.margin_us = (int64_t)(o->cut_margin_ms * 1000 + 0.5);
    if ((ret = ave_word_cuts_plan(w, n, &cp, &cuts, &count)) < 0)
        return ave_job_fail(job, ret, "%s: out of memory planning filler cuts", job->input_path);
    for (size_t i = 0; i < count; i++) {
        if ((ret = ave_timeline_cut(&job->timeline, cuts[i].start_us, cuts[i].end_us,
                                    cuts[i].reason)) < 0) {
            ret = ave_job_fail(job, ret, "%s: cannot cut a %s: %s", job->input_path,
                               ave_reason_name(cuts[i].reason), ave_strerror(ret));
            goto out;
        }
        ave_log(AVE_LOG_VERBOSE, STAGE, "%s cut %.3f - %.3f s", ave_reason_name(cuts[i].reason),
                cuts[i].start_us / 1e6, cuts[i].end_us / 1e6);
    }
    for (size_t i = 0; i < n; i++)
        if (ave_word_cut_wanted(&w[i]) && !ave_sub_word_kept(&job->timeline, &w[i])) {
            w[i].flags |= AVE_WORD_CUT;
            if (w[i].flags & AVE_WORD_FILLER)
                ec->fillers_cut++;
            else
                ec->stutters_cut++;
        }
out:
    free(cuts);
    return ret;
}

/* Flag fillers (vocabulary, fusion) and stutters, then edit. */
static int edit_speech(ave_job *job, const speech_opts *o, const ave_filler_vocab *vocab,
                       const ave_pcm *pcm, edit_counts *ec)
{
    ave_word *w;
    int ret;

    ave_filler_flag(vocab, o->aggressive_fillers, job->analysis.words, job->analysis.word_count,
                    NULL);
    if ((ret = speech_detect_fillers(job, pcm, o->pocketsphinx_model, (float)o->filler_confidence,
                                     (float)o->filler_suggest_confidence, NULL)) < 0)
        return ret;
    if ((ret = ave_stutter_detect(job->analysis.words, job->analysis.word_count, NULL, NULL)) < 0)
        return ave_job_fail(job, ret, "%s: out of memory finding stutters", job->input_path);
    w = job->analysis.words;
    for (size_t i = 0; i < job->analysis.word_count; i++) {
        ec->fillers += !!(w[i].flags & AVE_WORD_FILLER);
        ec->stutters += !!(w[i].flags & AVE_WORD_STUTTER);
    }
    return edit_words(job, o, ec);
}

/* a[0..na) and b[0..nb), each sorted by start, as one array sorted by start
 * (*out malloc'd, caller frees; NULL when both are empty). */
static int merge_by_start(const ave_interval *a, size_t na, const ave_interval *b, size_t nb,
                          ave_interval **out)
{
    ave_interval *m = NULL;
    size_t i = 0, j = 0, k = 0;

    if (na + nb && !(m = malloc((na + nb) * sizeof(*m))))
        return AVE_ERR_NOMEM;
    while (i < na || j < nb)
        m[k++] = j >= nb || (i < na && a[i].start_us <= b[j].start_us) ? a[i++] : b[j++];
    *out = m;
    return 0;
}

/* Pauses to split speech regions at: the silence stage's (sorted) merged
 * with the shorter ones found by the same detector. *out is malloc'd
 * (caller frees), sorted by start; intervals may overlap. *speech_db: the
 * file's speech level as that detector measured it. */
static int split_pauses(ave_job *job, ave_interval **out, size_t *count, double *speech_db)
{
    const ave_pcm *pcm = &job->analysis.audio;
    const ave_interval *a = job->analysis.silences;
    size_t na = job->analysis.silence_count, nb = 0;
    ave_interval *b = NULL, *m = NULL;
    ave_silence_params p;
    ave_silence_levels lv = {0};
    int64_t work;
    int ret;

    *out = NULL;
    *count = 0;
    ave_silence_params_default(&p);
    p.min_silence_s = SPLIT_PAUSE_S;
    /* The detector's frame levels, floor and sort scratch (as the silence
     * stage reserves them). */
    work = (int64_t)((double)pcm->count / (p.hop_s * pcm->sample_rate) + 2) * 33;
    if ((ret = ave_job_mem_reserve(job, work)) < 0)
        return ret;
    ret = ave_silence_detect(pcm->samples, pcm->count, pcm->sample_rate, &p, &b, &nb, &lv);
    ave_job_mem_release(job, work);
    *speech_db = lv.speech_level_db;
    if (ret < 0)
        return ret;
    ret = merge_by_start(a, na, b, nb, &m);
    free(b);
    if (ret < 0)
        return ret;
    *out = m;
    *count = na + nb;
    return 0;
}

/* Append to *regions the probe windows over the pause cuts (pause_guard.h),
 * so that quiet words the level detector took for a pause are heard, less
 * those too far under speech_db to hold one (*skipped_s). Only for an
 * embedded engine: a paid service would bill every probe. */
static int add_pause_probes(ave_job *job, const ave_pause_guard_params *gp, double speech_db,
                            ave_interval **regions, size_t *nreg, size_t *nprobes, double *probe_s,
                            double *skipped_s)
{
    const ave_pcm *pcm = &job->analysis.audio;
    ave_interval *probes = NULL, *all = NULL;
    size_t np = 0;
    int ret;

    *nprobes = 0;
    *probe_s = 0;
    *skipped_s = 0;
    if ((ret = ave_pause_probe_windows(&job->timeline, *regions, *nreg, gp, &probes, &np)) < 0)
        return ret;
    if ((ret = ave_pause_probe_filter(pcm->samples, pcm->count, pcm->sample_rate, speech_db, gp,
                                      probes, &np, skipped_s)) < 0 ||
        np == 0) {
        free(probes);
        return ret;
    }
    if ((ret = merge_by_start(*regions, *nreg, probes, np, &all)) < 0) {
        free(probes);
        return ret;
    }
    for (size_t p = 0; p < np; p++)
        *probe_s += (probes[p].end_us - probes[p].start_us) / 1e6;
    free(probes);
    free(*regions);
    *regions = all;
    *nreg += np;
    *nprobes = np;
    return 0;
}

static int pick_threads(const ave_job *job)
{
    if (job->threads == 1)
        return 1;
    return job->threads > 1 ? job->threads : 2;
}

static int speech_run(void *priv, const void *opts, ave_job *job)
{
    const speech_opts *o = opts;
    const ave_pcm *pcm = &job->analysis.audio;
    const ave_asr_engine *eng;
    ave_asr_config cfg = {0};
    ave_region_params rp;
    ave_interval *regions = NULL, *pauses = NULL;
    ave_speech_result res = {0};
    ave_speech_pacing pacing = {0, 0};
    ave_filler_vocab vocab;
    ave_pause_guard_params gp;
    edit_counts ec = {0};
    char err[160];
    size_t nreg = 0, nspeech = 0, npauses = 0, nprobes = 0, rescued = 0;
    double t0, wall, audio_s, conf = 0, probe_s = 0, probe_skipped_s = 0;
    double speech_db = AVE_SILENCE_MIN_DB;
    int64_t reserved = 0;
    int threads, ret;

    (void)priv;
    if (!o)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: speech options missing", job->input_path);
    if (!pcm->samples || pcm->count == 0 || pcm->sample_rate <= 0) {
        ave_log(AVE_LOG_WARNING, STAGE, "no analysis audio: nothing to transcribe");
        return 0;
    }
    if (ave_filler_vocab_parse(&vocab, o->filler_words ? o->filler_words : "", err,
                               sizeof(err)) < 0)
        return ave_job_fail(job, AVE_ERR_USAGE, "--filler-words: %s", err);
    eng = o->asr == ASR_HTTP ? &ave_asr_http : &ave_asr_pocketsphinx;
    cfg.model_dir = o->pocketsphinx_model;
    cfg.url = o->asr_url;
    cfg.model = o->asr_model;
    cfg.language = o->asr_language;
    cfg.api_key = o->asr == ASR_HTTP ? getenv(API_KEY_ENV) : NULL;
    cfg.timeout_s = job->cfg ? job->cfg->api_timeout_s : 0;
    if (eng == &ave_asr_pocketsphinx && o->asr_language && o->asr_language[0] &&
        strcmp(o->asr_language, "en") != 0)
        return ave_job_fail(job, AVE_ERR_UNSUPPORTED,
                            "%s: --asr-language %s: the embedded recogniser knows only en "
                            "(use --asr http)",
                            job->input_path, o->asr_language);

    rp.pad_us = REGION_PAD_US;
    rp.merge_gap_us = (int64_t)(eng->merge_gap_s * 1e6);
    rp.max_len_us = (int64_t)((o->asr_chunk_s > 0 ? o->asr_chunk_s : eng->max_chunk_s) * 1e6);
    rp.short_len_us = (int64_t)(SHORT_REGION_S * 1e6);
    rp.short_gap_us = (int64_t)(SHORT_GAP_S * 1e6);
    if (!eng->whole_file && (ret = split_pauses(job, &pauses, &npauses, &speech_db)) < 0)
        return ret == AVE_ERR_LIMIT ? ret /* recorded */
                                    : ave_job_fail(job, ret, "%s: cannot find pauses: %s",
                                                   job->input_path, ave_strerror(ret));
    ret = ave_speech_regions(pcm->samples, pcm->count, pcm->sample_rate, pauses, npauses, &rp,
                             &regions, &nreg);
    free(pauses);
    if (ret < 0)
        return ave_job_fail(job, ret, "%s: cannot plan speech regions: %s", job->input_path,
                            ave_strerror(ret));
    nspeech = nreg; /* the probes come on top */
    ave_pause_guard_params_default(&gp);
    if (!eng->whole_file && !eng->api_service &&
        (ret = add_pause_probes(job, &gp, speech_db, &regions, &nreg, &nprobes, &probe_s,
                                &probe_skipped_s)) < 0) {
        ret = ave_job_fail(job, ret, "%s: cannot plan pause probes: %s", job->input_path,
                           ave_strerror(ret));
        goto out;
    }
    threads = pick_threads(job);
    if (eng->api_service && job->cfg) {
        /* A service's requests: --api-batch-size at once, batches spaced so
         * that --api-rate-limit requests per minute are not exceeded. */
        pacing.batch_size = job->cfg->api_batch_size > 0 ? job->cfg->api_batch_size : 1;
        pacing.batch_interval_s = job->cfg->api_rate_limit > 0
                                      ? pacing.batch_size * 60.0 / job->cfg->api_rate_limit
                                      : 0;
        threads = pacing.batch_size;
    }
    if (!eng->parallel)
        threads = 1;
    if ((size_t)threads > nreg)
        threads = nreg > 0 ? (int)nreg : 1;
    if (eng == &ave_asr_pocketsphinx) {
        reserved = DECODER_BYTES * threads;
        if ((ret = ave_job_mem_reserve(job, reserved)) < 0) {
            reserved = 0;
            goto out;
        }
    }
    if ((ret = ave_job_progress(job, 0.05)) < 0)
        goto out;

    t0 = ave_now();
    ret = ave_speech_run(job, eng, &cfg, threads, &pacing, regions, nreg, &res);
    wall = ave_now() - t0;
    /* The recognisers ran on threads of their own. */
    ave_job_add_stage_cpu(job, STAGE, res.load_cpu_s + res.decode_cpu_s);
    for (size_t i = 0; eng->api_service && i < res.calls; i++)
        ave_job_count_api_call(job, eng->api_service, 0.0);
    if (ret < 0)
        goto out;

    free(job->analysis.words);
    job->analysis.words = res.words;
    job->analysis.word_count = res.count;
    snprintf(job->analysis.asr_engine, sizeof(job->analysis.asr_engine), "%s", eng->name);
    res.words = NULL;

    /* Before any filler cut: only pause cuts are given back. */
    if ((ret = ave_pause_guard_apply(&job->timeline, job->analysis.words,
                                     job->analysis.word_count, &vocab, &gp, &rescued)) < 0) {
        ret = ave_job_fail(job, ret, "%s: out of memory guarding pauses", job->input_path);
        goto out;
    }
    if (rescued)
        ave_log(AVE_LOG_INFO, STAGE,
                "%zu word(s) heard inside pause cuts: their stretches of the pauses are kept",
                rescued);

    if (filler_cutting_on(job)) {
        if ((ret = edit_speech(job, o, &vocab, pcm, &ec)) < 0)
            goto out;
    } else {
        ave_filler_flag(&vocab, 0, job->analysis.words, job->analysis.word_count, NULL);
    }

    for (size_t i = 0; i < job->analysis.word_count; i++)
        conf += job->analysis.words[i].confidence;
    conf = job->analysis.word_count ? conf / (double)job->analysis.word_count : 0;
    audio_s = (double)pcm->count / pcm->sample_rate;
    ave_log(AVE_LOG_INFO, STAGE,
            "%s: %zu word(s) in %zu region(s), %.1f s of speech decoded in %.1f s (%.2fx real "
            "time, %d thread(s), model loaded in %.2f s, %.2f CPU s decoding); %zu filler and "
            "%zu stutter word(s), %zu + %zu cut, %zu muted",
            eng->name, job->analysis.word_count, nspeech, res.decoded_s, wall,
            audio_s > 0 ? wall / audio_s : 0, res.threads, res.load_wall_s, res.decode_cpu_s,
            ec.fillers, ec.stutters, ec.fillers_cut, ec.stutters_cut, ec.muted);
    ave_job_metric_string(job, "speech", "engine", eng->name);
    ave_job_metric_number(job, "speech", "words", (double)job->analysis.word_count);
    ave_job_metric_number(job, "speech", "regions", (double)nspeech);
    ave_job_metric_number(job, "speech", "speech_decoded_s", res.decoded_s);
    ave_job_metric_number(job, "speech", "decode_time_s", wall);
    ave_job_metric_number(job, "speech", "real_time_factor", audio_s > 0 ? wall / audio_s : 0);
    ave_job_metric_number(job, "speech", "threads", res.threads);
    if (pacing.batch_size > 0) {
        ave_job_metric_number(job, "speech", "api_batch_size", pacing.batch_size);
        ave_job_metric_number(job, "speech", "api_batches", (double)res.batches);
    }
    ave_job_metric_number(job, "speech", "model_load_s", res.load_wall_s);
    ave_job_metric_number(job, "speech", "model_load_cpu_s", res.load_cpu_s);
    ave_job_metric_number(job, "speech", "decode_cpu_s", res.decode_cpu_s);
    ave_job_metric_number(job, "speech", "decode_busiest_thread_cpu_s", res.busiest_cpu_s);
    ave_job_metric_number(job, "speech", "mean_confidence", conf);
    ave_job_metric_number(job, "speech", "pause_probes", (double)nprobes);
    ave_job_metric_number(job, "speech", "pause_probe_s", probe_s);
    ave_job_metric_number(job, "speech", "pause_probe_skipped_s", probe_skipped_s);
    ave_job_metric_number(job, "speech", "words_rescued_from_pauses", (double)rescued);
    ave_job_metric_number(job, "speech", "fillers", (double)ec.fillers);
    ave_job_metric_number(job, "speech", "stutters", (double)ec.stutters);
    ave_job_metric_number(job, "speech", "fillers_cut", (double)ec.fillers_cut);
    ave_job_metric_number(job, "speech", "stutters_cut", (double)ec.stutters_cut);
    ave_job_metric_number(job, "speech", "words_muted", (double)ec.muted);
    ret = ave_job_progress(job, 1.0);
out:
    if (reserved)
        ave_job_mem_release(job, reserved);
    free(res.words);
    free(regions);
    return ret;
}

const ave_stage ave_stage_speech = {
    .name = "speech",
    .description = "transcribe speech with word times (PocketSphinx or an HTTP service) and "
                   "cut or mute fillers and stutters",
    .flags = AVE_STAGE_NEEDS_AUDIO | AVE_STAGE_ANALYSIS,
    .weight = 0.3,
    .options = speech_options,
    .opts_size = sizeof(speech_opts),
    .enabled = speech_enabled,
    .run = speech_run,
    .cache_kind = "audio",
    .cache_version = SPEECH_CACHE_VERSION,
    .cache_save = ave_speech_cache_save,
    .cache_load = ave_speech_cache_load,
};
