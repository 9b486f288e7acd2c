/* The silence stage: finds pauses in the analysis audio with an adaptive
 * noise floor (core/silence_detect.c) and, when cutting is on, marks the long
 * ones as timeline cuts, keeping a margin of the pause on each side so that
 * speech never starts or ends abruptly.
 *
 * Cutting defaults to "auto": on, except for --type music, where pauses are
 * part of the content. Pauses are always detected and published in
 * job->analysis for later stages. Assumes the decode stage's convention:
 * sample 0 is source time 0. */
#include <stddef.h>
#include <stdlib.h>

#include "ave/ave.h"
#include "silence/silence_cache.h"
#include "core/silence_detect.h"

#define STAGE "silence"
#define EDGE_MIN_S 0.1 /* shortest leading/trailing silence reported */

enum cut_mode { CUT_AUTO, CUT_ON, CUT_OFF };

typedef struct silence_opts {
    int cut_silences;        /* enum cut_mode */
    double min_silence;      /* s: shorter pauses are natural and kept */
    double margin_before;    /* s kept before speech resumes */
    double margin_after;     /* s kept after speech ends */
    double threshold_offset; /* dB above the floor; 0 = automatic */
} silence_opts;

static const char *const cut_choices[] = {"auto", "on", "off", NULL};

#define OFF(f) offsetof(silence_opts, f)
static const ave_option silence_options[] = {
    {.name = "cut-silences",
     .type = AVE_OPT_ENUM,
     .offset = OFF(cut_silences),
     .def.i = CUT_AUTO,
     .choices = cut_choices,
     .stage = "silence",
     .help = "remove long pauses: auto (on unless --type music), on, off"},
    {.name = "min-silence",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(min_silence),
     .def.d = 0.8,
     .min = 0.1,
     .max = 10,
     .stage = "silence",
     .help = "shortest pause removed, seconds; shorter pauses are natural and kept"},
    {.name = "margin-before",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(margin_before),
     .def.d = 0.15,
     .min = 0,
     .max = 2,
     .stage = "silence",
     .help = "seconds of a removed pause kept before speech resumes"},
    {.name = "margin-after",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(margin_after),
     .def.d = 0.25,
     .min = 0,
     .max = 2,
     .stage = "silence",
     .help = "seconds of a removed pause kept after speech ends"},
    {.name = "silence-threshold-offset",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(threshold_offset),
     .def.d = 0,
     .min = 0,
     .max = 60,
     .stage = "silence",
     .help = "speech threshold in dB above the adaptive noise floor; 0 = automatic"},
    {.name = NULL},
};
#undef OFF

/* Keep pauses of at least min_s seconds, and leading/trailing silence of any
 * length; returns the new count. */
static size_t keep_long_pauses(ave_interval *iv, size_t n, int64_t audio_end_us, double min_s)
{
    const int64_t min_us = (int64_t)(min_s * 1e6 + 0.5);
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (iv[i].start_us <= 0 || iv[i].end_us >= audio_end_us ||
            iv[i].end_us - iv[i].start_us >= min_us)
            iv[k++] = iv[i];
    return k;
}

static int cutting_on(const ave_job *job, const silence_opts *o)
{
    if (o->cut_silences == CUT_AUTO)
        return !job->cfg || job->cfg->content_type != AVE_TYPE_MUSIC;
    return o->cut_silences == CUT_ON;
}

/* Turn detected pauses into cuts. A pause touching the start (end) of the
 * audio is leading (trailing) silence: it is removed up to the file edge,
 * keeping only the margin next to the speech. */
static int mark_cuts(ave_job *job, const silence_opts *o, const ave_interval *iv, size_t n,
                     int64_t audio_end_us, size_t *cuts)
{
    const int64_t before = (int64_t)(o->margin_before * 1e6 + 0.5);
    const int64_t after = (int64_t)(o->margin_after * 1e6 + 0.5);
    int ret;

    *cuts = 0;
    for (size_t i = 0; i < n; i++) {
        int leading = iv[i].start_us <= 0, trailing = iv[i].end_us >= audio_end_us;
        int64_t a = leading ? 0 : iv[i].start_us + after;
        int64_t b = trailing ? job->timeline.duration_us : iv[i].end_us - before;

        if (leading && trailing) {
            /* An empty edit helps no one; the user still gets the file. */
            ave_log(AVE_LOG_WARNING, STAGE, "%s: the audio is silent throughout; nothing is cut",
                    job->input_path);
            continue;
        }
        if (b <= a)
            continue;
        if ((ret = ave_timeline_cut(&job->timeline, a, b, AVE_REASON_SILENCE)) < 0)
            return ret;
        (*cuts)++;
    }
    return 0;
}

static int silence_run(void *priv, const void *opts, ave_job *job)
{
    const silence_opts *o = opts;
    const ave_pcm *pcm = &job->analysis.audio;
    ave_silence_params p;
    ave_silence_levels lv;
    ave_interval *iv = NULL;
    size_t n = 0, cuts = 0;
    int64_t work = 0, audio_end_us, total_us = 0;
    int ret;

    (void)priv;
    if (!o)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: silence options missing", job->input_path);
    if (!pcm->samples || pcm->count == 0 || pcm->sample_rate <= 0) {
        ave_log(AVE_LOG_WARNING, STAGE, "no analysis audio: nothing to detect");
        return 0;
    }
    ave_silence_params_default(&p);
    if (job->cfg && job->cfg->mode == AVE_MODE_FAST)
        p.hop_s = 0.020; /* half the frames; boundaries within ~20 ms */
    else if (job->cfg && job->cfg->mode == AVE_MODE_HIGH_QUALITY)
        p.hop_s = 0.005; /* twice the frames; boundaries within ~5 ms */
    /* Detect short pauses too: dead air before the first word and after the
     * last one is removed whatever its length; min-silence applies to the
     * pauses between speech (filtered below). */
    p.min_silence_s = EDGE_MIN_S;
    p.threshold_offset_db = o->threshold_offset;

    /* Level, floor and threshold per frame, plus a sort scratch. */
    work = (int64_t)((double)pcm->count / (p.hop_s * pcm->sample_rate) + 2) * 33;
    if ((ret = ave_job_mem_reserve(job, work)) < 0)
        return ret;
    ret = ave_silence_detect(pcm->samples, pcm->count, pcm->sample_rate, &p, &iv, &n, &lv);
    ave_job_mem_release(job, work);
    if (ret < 0) {
        ret = ave_job_fail(job, ret, "%s: silence detection failed: %s", job->input_path,
                           ave_strerror(ret));
        goto out;
    }
    if ((ret = ave_job_progress(job, 0.8)) < 0)
        goto out;

    audio_end_us = (int64_t)((double)pcm->count * 1e6 / pcm->sample_rate + 0.5);
    n = keep_long_pauses(iv, n, audio_end_us, o->min_silence);
    for (size_t i = 0; i < n; i++) {
        total_us += iv[i].end_us - iv[i].start_us;
        ave_log(AVE_LOG_VERBOSE, STAGE, "pause %.3f - %.3f s", iv[i].start_us / 1e6,
                iv[i].end_us / 1e6);
    }
    if (cutting_on(job, o)) {
        if ((ret = mark_cuts(job, o, iv, n, audio_end_us, &cuts)) < 0)
            goto out;
    } else {
        ave_log(AVE_LOG_INFO, STAGE, "pauses detected but not cut (%s)",
                o->cut_silences == CUT_OFF ? "--cut-silences off" : "--type music");
    }
    ave_log(AVE_LOG_INFO, STAGE,
            "noise floor %.1f dBFS, speech %.1f dBFS, threshold %.1f dBFS: %zu pause(s) "
            "(%.1f s or more, or at the ends), %.1f s in total, %zu cut",
            lv.noise_floor_db, lv.speech_level_db, lv.threshold_db, n, o->min_silence,
            total_us / 1e6, cuts);

    free(job->analysis.silences);
    job->analysis.silences = iv;
    job->analysis.silence_count = n;
    job->analysis.noise_floor_db = lv.noise_floor_db;
    job->analysis.speech_level_db = lv.speech_level_db;
    job->analysis.threshold_db = lv.threshold_db;
    iv = NULL;

    ave_job_metric_number(job, "silence", "noise_floor_db", lv.noise_floor_db);
    ave_job_metric_number(job, "silence", "speech_level_db", lv.speech_level_db);
    ave_job_metric_number(job, "silence", "threshold_db", lv.threshold_db);
    ave_job_metric_number(job, "silence", "silences_found", (double)n);
    ave_job_metric_number(job, "silence", "silence_total_s", total_us / 1e6);
    ave_job_metric_number(job, "silence", "cuts", (double)cuts);
    ret = ave_job_progress(job, 1.0);
out:
    free(iv);
    return ret;
}

const ave_stage ave_stage_silence = {
    .name = "silence",
    .description = "find pauses with an adaptive noise floor and cut the long ones",
    .flags = AVE_STAGE_NEEDS_AUDIO | AVE_STAGE_ANALYSIS,
    .weight = 0.05,
    .options = silence_options,
    .opts_size = sizeof(silence_opts),
    .run = silence_run,
    .cache_kind = "audio",
    .cache_version = SILENCE_CACHE_VERSION,
    .cache_save = ave_silence_cache_save,
    .cache_load = ave_silence_cache_load,
};
