/* The beats stage: beat grid, tempo, downbeats, music confidence and energy
 * sections of the analysis audio (job->analysis.beats, analysis/beats.json).
 *
 * It runs for --type music, --enable-beat-sync or --target-duration; other
 * jobs skip it rather than guess whether the audio is music (a guess needs
 * the analysis itself, and speech jobs gain nothing from it). It reads the
 * shared 16 kHz PCM (the onset curve uses nothing above 8 kHz, see
 * onset_odf.c). The plan stage uses the result to snap cuts and to trim to
 * a target duration (src/plan/beat_sync.c). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/time.h>

#include "ave/ave.h"
#include "beats/beats.h"
#include "beats/beats_internal.h"
#include "beats/beats_json.h"

#define STAGE "beats"
#define BEATS_PER_BAR 4

/* --sync-to, --beat-tolerance and --target-duration are global (ave_config):
 * plan reads them too. */
static const ave_option beats_options[] = {
    {.name = "min-section", .type = AVE_OPT_DOUBLE, .offset = offsetof(beats_opts, min_section),
     .def.d = 8, .min = 1, .max = 600, .stage = "beats",
     .help = "shortest energy section (intro, loud, quiet, outro), seconds"},
    {.name = NULL},
};

typedef struct beats_priv {
    beats_result r;
    float *strength;
    int64_t reserved;
} beats_priv;

static int beats_enabled(const ave_job *job, const void *opts)
{
    (void)opts;
    if (!job->cfg)
        return 0;
    return job->cfg->content_type == AVE_TYPE_MUSIC || job->cfg->enable_beat_sync ||
           job->cfg->target_duration_s > 0;
}

static int track_progress(void *opaque, double f)
{
    return ave_job_progress(opaque, 0.8 * f);
}

static int64_t to_us(double s)
{
    return (int64_t)(s * 1e6 + (s >= 0 ? 0.5 : -0.5));
}

/* Move the results into job->analysis.beats (freeing an earlier run's). */
static int publish(ave_job *job, beats_priv *p, int phase, const beats_opts *o)
{
    ave_beats *b = &job->analysis.beats;
    size_t nd = 0;

    free(b->beats_us);
    free(b->downbeats_us);
    free(b->sections);
    memset(b, 0, sizeof(*b));
    b->beats_per_bar = BEATS_PER_BAR;
    if (p->r.count) {
        b->beats_us = malloc(p->r.count * sizeof(*b->beats_us));
        b->downbeats_us = malloc((p->r.count / BEATS_PER_BAR + 1) * sizeof(int64_t));
        if (!b->beats_us || !b->downbeats_us)
            return AVE_ERR_NOMEM;
    }
    for (size_t i = 0; i < p->r.count; i++) {
        b->beats_us[i] = to_us(p->r.beats[i]);
        if ((int)(i % BEATS_PER_BAR) == phase)
            b->downbeats_us[nd++] = b->beats_us[i];
    }
    b->beat_count = p->r.count;
    b->downbeat_count = nd;
    /* The tempo of the longest steady stretch. */
    double longest = 0;
    for (size_t i = 0; i < p->r.seg_count; i++) {
        double len = p->r.segs[i].period_s * (p->r.segs[i].k_last - p->r.segs[i].k_first);
        if (len > longest) {
            longest = len;
            b->tempo_bpm = 60.0 / p->r.segs[i].period_s;
        }
    }
    double *down = malloc((nd ? nd : 1) * sizeof(*down));
    if (!down)
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < nd; i++)
        down[i] = (double)b->downbeats_us[i] / 1e6;
    int ret = beats_sections(&p->r.env, down, nd,
                             (double)job->analysis.audio.count / job->analysis.audio.sample_rate,
                             o->min_section, &b->sections, &b->section_count);
    free(down);
    return ret;
}

static int beats_run(void *priv, const void *opts, ave_job *job)
{
    beats_priv *p = priv;
    const beats_opts *o = opts;
    const ave_pcm *pcm = &job->analysis.audio;
    ave_beats *b = &job->analysis.beats;
    int64_t t0 = av_gettime_relative();
    double dur, elapsed;
    int ret, phase = 0;

    if (!pcm->samples || pcm->count == 0 || pcm->sample_rate <= 0) {
        ave_log(AVE_LOG_WARNING, STAGE, "no analysis audio: no beat grid");
        return 0;
    }
    dur = (double)pcm->count / pcm->sample_rate;
    p->reserved = beats_analyse_bytes(pcm->count, pcm->sample_rate);
    if ((ret = ave_job_mem_reserve(job, p->reserved)) < 0) {
        p->reserved = 0;
        return ret;
    }
    if ((ret = beats_analyse(pcm->samples, pcm->count, pcm->sample_rate, track_progress, job,
                             &p->r)) != 0)
        return ret == AVE_ERR_NOMEM
                   ? ave_job_fail(job, ret, "%s: out of memory analysing beats", job->input_path)
                   : ret;
    if ((ret = ave_job_progress(job, 0.9)) != 0)
        return ret;
    phase = beats_downbeat_phase(p->r.beats, p->r.count, &p->r.env, BEATS_PER_BAR);
    if (p->r.count && !(p->strength = malloc(p->r.count * sizeof(float))))
        return ave_job_fail(job, AVE_ERR_NOMEM, "%s: out of memory", job->input_path);
    for (size_t i = 0; i < p->r.count; i++) {
        double pt, st = 0;
        beats_env_peak(&p->r.env, p->r.env.flux, p->r.beats[i], 0.03, &pt, &st);
        p->strength[i] = (float)st;
    }
    if ((ret = publish(job, p, phase, o)) < 0)
        return ave_job_fail(job, ret, "%s: out of memory", job->input_path);
    b->confidence = p->r.confidence;

    beats_summary sum = {p->r.segs, p->r.seg_count, p->strength, p->r.salience};
    if ((ret = beats_write_json(job, &sum)) < 0)
        return ret;
    elapsed = (double)(av_gettime_relative() - t0) / 1e6;
    ave_log(AVE_LOG_INFO, STAGE,
            "%.2f BPM, %zu beats, %zu bars, %zu tempo segment(s), %zu section(s), "
            "music confidence %.2f",
            b->tempo_bpm, b->beat_count, b->downbeat_count, p->r.seg_count, b->section_count,
            b->confidence);
    ave_job_metric_number(job, STAGE, "tempo_bpm", b->tempo_bpm);
    ave_job_metric_number(job, STAGE, "beat_count", (double)b->beat_count);
    ave_job_metric_number(job, STAGE, "downbeat_count", (double)b->downbeat_count);
    ave_job_metric_number(job, STAGE, "tempo_segments", (double)p->r.seg_count);
    ave_job_metric_number(job, STAGE, "section_count", (double)b->section_count);
    ave_job_metric_number(job, STAGE, "confidence", b->confidence);
    ave_job_metric_number(job, STAGE, "periodicity", p->r.salience);
    ave_job_metric_number(job, STAGE, "analysis_s", elapsed);
    ave_job_metric_number(job, STAGE, "speed_x_realtime", elapsed > 0 ? dur / elapsed : 0);
    return 0;
}

static void beats_uninit(void *priv, ave_job *job)
{
    beats_priv *p = priv;

    beats_result_free(&p->r);
    free(p->strength);
    if (p->reserved)
        ave_job_mem_release(job, p->reserved);
}

const ave_stage ave_stage_beats = {
    .name = "beats",
    .description = "beat grid, tempo, downbeats and energy sections (analysis/beats.json)",
    .flags = AVE_STAGE_NEEDS_AUDIO | AVE_STAGE_ANALYSIS | AVE_STAGE_CONCURRENT,
    .weight = 0.5,
    .options = beats_options,
    .opts_size = sizeof(beats_opts),
    .priv_size = sizeof(beats_priv),
    .enabled = beats_enabled,
    .run = beats_run,
    .uninit = beats_uninit,
};
