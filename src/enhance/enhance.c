/* ave_enhance_process: the whole enhancement chain on one file, in passes.
 *
 *   pass 0  decode the input: its loudness (BS.1770) and level statistics
 *           (noise floor, SNR); the loudness sets the compressor threshold.
 *   pass 1  decode again: high-pass, denoise, EQ, compress; spool the float
 *           result to the scratch folder and measure its loudness.
 *   gain    dry runs of gain + limiter over the spool, measuring only the
 *           loudness, find the gain that meets the target within 0.1 LU
 *           (secant steps: a working limiter gives less than 1 LU per dB).
 *   pass 2  read the spool: that gain, true-peak limiter, encode (copying
 *           the video stream when there is one).
 *   check   decode the written file and measure it. If the encoder's
 *           overshoot put the true peak more than 0.05 dB over the ceiling,
 *           pass 2 runs again with the limiter that much lower (at most
 *           twice). The figures published are those of the file.
 *
 * Decoding three to four times costs little next to the denoiser, and keeps
 * memory flat: only the spool grows with the input, on disk. Channels are
 * processed each on their own with one linked gain (see ave/enhance.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/time.h>

#include "enhance/enhance_internal.h"
#include "enhance/level_stats.h"
#include "enhance/limiter.h"

#define CHUNK 4096          /* frames per pass-2 step */
#define SEARCH_TOL_LU 0.1   /* gain search stops this close to the target */
#define MAX_SEARCH 6        /* dry limiter runs at most */
#define PEAK_TOL_DB 0.05    /* encode again when the file's true peak is over by more */
#define MAX_ATTEMPTS 3      /* encodes at most */
#define AAC_OVERSHOOT_DB 0.3
#define LIM_LOOKAHEAD_MS 5.0
#define LIM_RELEASE_MS 30.0
#define MAX_GAIN_DB 50.0    /* a quieter input gets this much and a warning */
#define MEM_PER_CHANNEL (4 << 20) /* denoiser state, chunk buffers: a generous bound */

typedef struct eff_opts {
    int highpass, denoise, eq, compress;
    double strength, target, ceiling;
} eff_opts;

typedef struct measure {
    ave_loudness_result loud;
    ave_level_result lv;
    int lv_ok;
} measure;

typedef struct pass1_sink {
    enh_spool *spool;
    ave_loudness *meter;
} pass1_sink;

typedef struct ctx {
    ave_job *job;
    const char *in, *out;
    enh_reader_info info;
    eff_opts o;
    int copy_video;
    int aac_bitrate;
    enh_spool *spool;
    float *buf[ENH_MAX_CHANNELS];
    int64_t mem;
    char codec[32]; /* encoder of the written file */
    int64_t bit_rate; /* its nominal bit rate, 0 when not AAC */
} ctx;

/* --type music: denoise/compress/eq only when the user asked explicitly. */
static int type_rule(const ave_job *job, const char *name, int value)
{
    if (!job->cfg || job->cfg->content_type != AVE_TYPE_MUSIC)
        return value;
    if (job->settings && ave_settings_source(job->settings, name) != AVE_SRC_DEFAULT)
        return value;
    return 0;
}

static void resolve(const ave_job *job, const ave_enhance_opts *in, eff_opts *o)
{
    o->highpass = in->highpass;
    o->denoise = type_rule(job, "denoise", in->denoise) && in->denoise_strength > 0;
    o->eq = type_rule(job, "eq", in->eq);
    o->compress = type_rule(job, "compress", in->compress);
    o->strength = in->denoise_strength;
    o->target = in->loudness_target;
    o->ceiling = in->true_peak;
}

static int progress(ave_job *job, double base, double span, double f)
{
    return ave_job_progress(job, base + span * (f < 0 ? 0 : f > 1 ? 1 : f));
}

/* Decode path completely into a loudness meter and level statistics. */
static int measure_file(ctx *c, const char *path, measure *m, double base, double span)
{
    enh_reader *r = NULL;
    ave_loudness *meter = NULL;
    ave_level_stats *lv = malloc(sizeof(*lv));
    enh_reader_info info;
    float *const *planes;
    size_t n;
    int ret, steps = 0;

    if (!lv) {
        ret = ave_job_fail(c->job, AVE_ERR_NOMEM, "enhance: out of memory");
        goto out;
    }
    if ((ret = enh_reader_open(&r, c->job, path)) < 0)
        goto out;
    enh_reader_info_get(r, &info);
    if ((ret = ave_loudness_new(&meter, info.channels, info.rate, info.roles)) < 0) {
        ret = ave_job_fail(c->job, ret, "enhance: cannot start the loudness meter");
        goto out;
    }
    ave_level_stats_init(lv, info.rate);
    for (;;) {
        if ((ret = enh_reader_read(r, &planes, &n)) < 0)
            goto out;
        if (n == 0)
            break;
        if ((ret = ave_loudness_add(meter, (const float *const *)planes, n)) < 0) {
            ret = ave_job_fail(c->job, ret, "enhance: loudness meter failed");
            goto out;
        }
        ave_level_stats_add(lv, (const float *const *)planes, info.channels, n);
        if (++steps % 32 == 0 &&
            (ret = progress(c->job, base, span, enh_reader_progress(r))) != 0)
            goto out;
    }
    if ((ret = ave_loudness_get(meter, &m->loud)) < 0) {
        ret = ave_job_fail(c->job, ret, "enhance: loudness measurement failed");
        goto out;
    }
    m->lv_ok = ave_level_stats_get(lv, &m->lv) == 0;
    ret = 0;
out:
    enh_reader_free(r);
    ave_loudness_free(meter);
    free(lv);
    return ret;
}

static int pass1_write(void *opaque, const float *const *planes, size_t n)
{
    pass1_sink *s = opaque;
    int ret = enh_spool_write(s->spool, planes, n);
    if (ret < 0)
        return ret;
    return ave_loudness_add(s->meter, planes, n);
}

static int pass1(ctx *c, double input_lufs, ave_loudness_result *proc, enh_chain_stats *st)
{
    enh_reader *r = NULL;
    enh_chain *chain = NULL;
    ave_loudness *meter = NULL;
    enh_chain_config cc = {0};
    pass1_sink sink;
    float *const *planes;
    size_t n;
    int ret, steps = 0;

    cc.rate = c->info.rate;
    cc.channels = c->info.channels;
    cc.highpass = c->o.highpass;
    cc.denoise = c->o.denoise;
    cc.eq = c->o.eq;
    cc.compress = c->o.compress && isfinite(input_lufs);
    cc.denoise_strength = c->o.strength;
    cc.input_lufs = input_lufs;
    if ((ret = enh_reader_open(&r, c->job, c->in)) < 0 ||
        (ret = enh_chain_new(&chain, c->job, &cc)) < 0 ||
        (ret = enh_spool_new(&c->spool, c->job, cc.channels)) < 0)
        goto out;
    if ((ret = ave_loudness_new_integrated(&meter, cc.channels, cc.rate, c->info.roles)) < 0) {
        ret = ave_job_fail(c->job, ret, "enhance: cannot start the loudness meter");
        goto out;
    }
    sink.spool = c->spool;
    sink.meter = meter;
    for (;;) {
        if ((ret = enh_reader_read(r, &planes, &n)) < 0)
            goto out;
        if (n == 0)
            break;
        if ((ret = enh_chain_push(chain, planes, n, pass1_write, &sink)) < 0)
            goto fail;
        if (++steps % 16 == 0 &&
            (ret = progress(c->job, 0.15, 0.5, enh_reader_progress(r))) != 0)
            goto out;
    }
    if ((ret = enh_chain_finish(chain, pass1_write, &sink)) < 0)
        goto fail;
    if ((ret = ave_loudness_get(meter, proc)) < 0)
        goto fail;
    enh_chain_stats_get(chain, st);
    ret = 0;
    goto out;
fail:
    /* spool errors are already recorded; this covers the DSP blocks' codes */
    ret = ave_job_fail(c->job, ret, "%s: enhancement failed: %s", c->in, ave_strerror(ret));
out:
    enh_reader_free(r);
    enh_chain_free(chain);
    ave_loudness_free(meter);
    return ret;
}

/* One pass 2: gain and limiter over the spool. encode: write c->out;
 * otherwise a dry run that only measures the limited signal's integrated
 * loudness (*lufs), which is cheap, for finding the gain. */
static int pass2(ctx *c, double gain_db, double ceiling_db, int encode, double *lufs,
                 double *limit_db)
{
    enh_writer *w = NULL;
    ave_limiter *lim = NULL;
    ave_loudness *meter = NULL;
    ave_loudness_result lr;
    float *tail[ENH_MAX_CHANNELS] = {0};
    const int ch = c->info.channels;
    const float g = (float)pow(10.0, gain_db / 20.0);
    const double total = (double)enh_spool_frames(c->spool);
    size_t n, lat, skip, done = 0;
    int ret, steps = 0;

    if ((ret = ave_limiter_new(&lim, ch, c->info.rate, ceiling_db, LIM_LOOKAHEAD_MS,
                               LIM_RELEASE_MS)) < 0) {
        ret = ave_job_fail(c->job, ret, "enhance: cannot create the limiter (%.2f dBTP)",
                           ceiling_db);
        goto out;
    }
    lat = skip = ave_limiter_latency(lim);
    for (int k = 0; k < ch; k++)
        if (!(tail[k] = malloc(lat * sizeof(float)))) {
            ret = ave_job_fail(c->job, AVE_ERR_NOMEM, "enhance: out of memory");
            goto out;
        }
    if (!encode && ave_loudness_new_integrated(&meter, ch, c->info.rate, c->info.roles) < 0) {
        ret = ave_job_fail(c->job, AVE_ERR_NOMEM, "enhance: out of memory");
        goto out;
    }
    if ((ret = enh_spool_rewind(c->spool)) < 0 ||
        (encode && (ret = enh_writer_open(&w, c->job, c->out, c->info.rate, ch, c->info.start_us,
                                          c->aac_bitrate, c->copy_video ? c->in : NULL)) < 0))
        goto out;
    for (int last = 0; !last;) {
        float *p[ENH_MAX_CHANNELS];
        size_t drop;
        if ((ret = enh_spool_read(c->spool, c->buf, CHUNK, &n)) < 0)
            goto out;
        if (n > 0) {
            for (int k = 0; k < ch; k++)
                for (size_t i = 0; i < n; i++)
                    c->buf[k][i] *= g;
            ave_limiter_run(lim, (const float *const *)c->buf, c->buf, n);
            drop = skip < n ? skip : n; /* the limiter's delay-line fill */
            skip -= drop;
            for (int k = 0; k < ch; k++)
                p[k] = c->buf[k] + drop;
            n -= drop;
        } else {
            /* the end: what is still in the delay line (a file shorter than
             * the delay has fewer real frames in it) */
            last = 1;
            ave_limiter_flush(lim, tail);
            for (int k = 0; k < ch; k++)
                p[k] = tail[k] + skip;
            n = lat - skip;
        }
        if (n > 0 && encode && (ret = enh_writer_audio(w, (const float *const *)p, n)) < 0)
            goto out;
        if (n > 0 && !encode && ave_loudness_add(meter, (const float *const *)p, n) < 0) {
            ret = ave_job_fail(c->job, AVE_ERR_NOMEM, "enhance: out of memory");
            goto out;
        }
        done += n;
        if (encode && ++steps % 32 == 0 &&
            (ret = progress(c->job, 0.75, 0.2, (double)done / total)) != 0)
            goto out;
    }
    if (encode) {
        if ((ret = enh_writer_finish(w)) < 0)
            goto out;
        snprintf(c->codec, sizeof(c->codec), "%s", enh_writer_codec(w));
        c->bit_rate = enh_writer_bit_rate(w);
    } else if (ave_loudness_get(meter, &lr) == 0) {
        *lufs = lr.integrated_lufs;
    }
    *limit_db = ave_limiter_min_gain_db(lim);
    ret = 0;
out:
    enh_writer_free(w);
    ave_limiter_free(lim);
    ave_loudness_free(meter);
    for (int k = 0; k < ch; k++)
        free(tail[k]);
    return ret;
}

/* Find the gain that puts the limited signal at the target, by dry runs:
 * first the plain difference, then secant steps, since the limiter makes
 * loudness grow by less than 1 LU per dB of gain once it works hard. */
static int find_gain(ctx *c, double ceiling, double *gain_db)
{
    const double target = c->o.target;
    double gp = *gain_db, lp = 0, gc, lc, lim, best_err;
    int ret;

    if ((ret = pass2(c, gp, ceiling, 0, &lp, &lim)) != 0)
        return ret;
    ave_log(AVE_LOG_VERBOSE, ENH_LOG, "gain search: %+.2f dB -> %.2f LUFS", gp, lp);
    best_err = fabs(target - lp);
    gc = gp + (target - lp);
    for (int i = 0; i < MAX_SEARCH && isfinite(lp) && best_err > SEARCH_TOL_LU; i++) {
        double slope, next;
        if (gc > MAX_GAIN_DB)
            gc = MAX_GAIN_DB;
        if ((ret = pass2(c, gc, ceiling, 0, &lc, &lim)) != 0)
            return ret;
        ave_log(AVE_LOG_VERBOSE, ENH_LOG, "gain search: %+.2f dB -> %.2f LUFS", gc, lc);
        if ((ret = progress(c->job, 0.65, 0.1, (i + 1.0) / MAX_SEARCH)) != 0)
            return ret;
        if (!isfinite(lc))
            break;
        if (fabs(target - lc) < best_err) {
            best_err = fabs(target - lc);
            *gain_db = gc;
        }
        if (best_err <= SEARCH_TOL_LU || fabs(gc - gp) < 1e-3)
            break;
        slope = (lc - lp) / (gc - gp);
        slope = slope < 0.1 ? 0.1 : slope > 1.0 ? 1.0 : slope;
        next = (target - lc) / slope;
        next = gc + (next > 12 ? 12 : next < -12 ? -12 : next);
        gp = gc;
        lp = lc;
        gc = next > MAX_GAIN_DB ? MAX_GAIN_DB : next;
        if (fabs(gc - gp) < 1e-3)
            break;
    }
    return 0;
}

static void metric_db(ave_job *job, const char *key, double v)
{
    /* two decimals; -inf (silence) becomes null in the JSON */
    ave_job_metric_number(job, "audio", key, isfinite(v) ? round(v * 100) / 100 : v);
}

static void publish(ctx *c, const measure *in, const measure *outm, const enh_chain_stats *st,
                    double gain_db, int normalised, double limit_db, double comp_db, int attempts,
                    double seconds)
{
    ave_job *job = c->job;
    char blocks[128];
    double dur = c->info.rate > 0 ? (double)enh_spool_frames(c->spool) / c->info.rate : 0;

    snprintf(blocks, sizeof(blocks), "dc%s%s%s%s%s,limiter", c->o.highpass ? ",highpass" : "",
             st->denoise_ran ? ",denoise" : "", c->o.eq ? ",eq" : "",
             comp_db < 0 || c->o.compress ? ",compress" : "", normalised ? ",normalize" : "");
    ave_job_metric_string(job, "audio", "blocks", blocks);
    ave_job_metric_bool(job, "audio", "highpass", c->o.highpass);
    ave_job_metric_bool(job, "audio", "denoise", st->denoise_ran);
    ave_job_metric_bool(job, "audio", "eq", c->o.eq);
    ave_job_metric_bool(job, "audio", "compress", c->o.compress);
    ave_job_metric_bool(job, "audio", "normalize", normalised);
    ave_job_metric_bool(job, "audio", "limiter", 1);
    if (st->denoise_ran)
        ave_job_metric_number(job, "audio", "denoise_strength", c->o.strength);
    ave_job_metric_number(job, "audio", "loudness_target_lufs", c->o.target);
    ave_job_metric_number(job, "audio", "true_peak_target_dbtp", c->o.ceiling);
    ave_job_metric_number(job, "audio", "sample_rate", c->info.rate);
    ave_job_metric_number(job, "audio", "channels", c->info.channels);
    ave_job_metric_string(job, "audio", "output_codec", c->codec);
    if (c->bit_rate > 0)
        ave_job_metric_number(job, "audio", "output_bit_rate", (double)c->bit_rate);
    ave_job_metric_bool(job, "audio", "video_copied", c->copy_video);

    metric_db(job, "input_integrated_lufs", in->loud.integrated_lufs);
    metric_db(job, "input_loudness_range_lu", in->loud.range_lu);
    metric_db(job, "input_true_peak_dbtp", in->loud.true_peak_db);
    metric_db(job, "output_integrated_lufs", outm->loud.integrated_lufs);
    metric_db(job, "output_loudness_range_lu", outm->loud.range_lu);
    metric_db(job, "output_true_peak_dbtp", outm->loud.true_peak_db);

    /* Level-percentile estimates on the input and the written file:
     * measured the same way on both, always present. */
    metric_db(job, "input_noise_floor_measured_db", in->lv_ok ? in->lv.noise_floor_db : -HUGE_VAL);
    metric_db(job, "output_noise_floor_measured_db",
              outm->lv_ok ? outm->lv.noise_floor_db : -HUGE_VAL);
    metric_db(job, "input_snr_measured_db", in->lv_ok ? in->lv.snr_db : 0);
    metric_db(job, "output_snr_measured_db", outm->lv_ok ? outm->lv.snr_db : 0);
    /* The headline before/after figures: the denoiser's own estimates when
     * it ran (it tracks the noise spectrum, far better than percentiles),
     * else the percentiles. The floor after is always the written file's. */
    if (st->denoise_ran) {
        ave_job_metric_string(job, "audio", "snr_source", "denoiser");
        metric_db(job, "noise_floor_before_db", st->noise_floor_db);
        metric_db(job, "snr_before_db", st->snr_in_db);
        metric_db(job, "snr_after_db", st->snr_out_db);
    } else {
        ave_job_metric_string(job, "audio", "snr_source", "level-percentiles");
        metric_db(job, "noise_floor_before_db", in->lv_ok ? in->lv.noise_floor_db : -HUGE_VAL);
        metric_db(job, "snr_before_db", in->lv_ok ? in->lv.snr_db : 0);
        metric_db(job, "snr_after_db", outm->lv_ok ? outm->lv.snr_db : 0);
    }
    metric_db(job, "noise_floor_after_db", outm->lv_ok ? outm->lv.noise_floor_db : -HUGE_VAL);

    metric_db(job, "gain_db", gain_db);
    metric_db(job, "compressor_max_reduction_db", -comp_db);
    metric_db(job, "limiter_max_reduction_db", -limit_db);
    ave_job_metric_number(job, "audio", "limiter_passes", attempts);
    ave_job_metric_number(job, "audio", "duration_s", round(dur * 1000) / 1000);
    ave_job_metric_number(job, "audio", "seconds", round(seconds * 1000) / 1000);
    if (seconds > 0)
        ave_job_metric_number(job, "audio", "realtime_factor", round(dur / seconds * 10) / 10);
}

static int reserve(ctx *c)
{
    int64_t bytes = (int64_t)MEM_PER_CHANNEL * c->info.channels;
    int ret = ave_job_mem_reserve(c->job, bytes);
    if (ret == 0)
        c->mem = bytes;
    for (int k = 0; ret == 0 && k < c->info.channels; k++)
        if (!(c->buf[k] = malloc(CHUNK * sizeof(float))))
            ret = ave_job_fail(c->job, AVE_ERR_NOMEM, "enhance: out of memory");
    return ret;
}

static int run(ctx *c, const ave_enhance_opts *opts)
{
    measure in = {0}, outm = {0};
    ave_loudness_result proc;
    enh_chain_stats st = {0};
    enh_reader *r = NULL;
    ave_encoder_settings es;
    double gain_db = 0, ceiling, limit_db = 0, t0 = av_gettime_relative() / 1e6;
    int ret, can_video, lossy, normalised, attempt;

    resolve(c->job, opts, &c->o);
    ceiling = c->o.ceiling;
    if ((ret = enh_writer_check_path(c->job, c->out, &can_video, &lossy)) < 0)
        return ret;
    if (!strcmp(c->in, c->out))
        return ave_job_fail(c->job, AVE_ERR_USAGE, "%s: input and output are the same file",
                            c->out);
    c->aac_bitrate = 160000;
    if (c->job->cfg && ave_quality_encoder_settings(c->job->cfg->quality, &es) == 0)
        c->aac_bitrate = es.audio_bitrate;
    if ((ret = enh_reader_open(&r, c->job, c->in)) < 0) {
        enh_reader_free(r);
        return ret;
    }
    enh_reader_info_get(r, &c->info);
    enh_reader_free(r);
    c->copy_video = c->info.has_video && can_video;
    /* AAC overshoots the limited peaks by about 0.2-0.4 dB; start below the
     * ceiling by that much so one encode usually suffices */
    if (lossy)
        ceiling -= AAC_OVERSHOOT_DB;
    if ((ret = reserve(c)) < 0)
        return ret;
    ave_log(AVE_LOG_VERBOSE, ENH_LOG,
            "%s: %s %d Hz %d ch; highpass %d denoise %d (%.2f) eq %d compress %d -> %.1f LUFS, "
            "%.1f dBTP",
            c->in, c->info.codec, c->info.rate, c->info.channels, c->o.highpass, c->o.denoise,
            c->o.strength, c->o.eq, c->o.compress, c->o.target, c->o.ceiling);

    if ((ret = measure_file(c, c->in, &in, 0, 0.15)) != 0 ||
        (ret = pass1(c, in.loud.integrated_lufs, &proc, &st)) != 0)
        return ret;
    ave_log(AVE_LOG_VERBOSE, ENH_LOG,
            "input %.2f LUFS, %.2f dBTP; after pass 1 %.2f LUFS (compressor -%.1f dB)",
            in.loud.integrated_lufs, in.loud.true_peak_db, proc.integrated_lufs,
            -st.compressor_min_gain_db);
    normalised = isfinite(proc.integrated_lufs);
    if (normalised) {
        gain_db = c->o.target - proc.integrated_lufs;
        if (gain_db > MAX_GAIN_DB) {
            ave_log(AVE_LOG_WARNING, ENH_LOG,
                    "%s: very quiet (%.1f LUFS); raising by %.0f dB only, below the target",
                    c->in, proc.integrated_lufs, MAX_GAIN_DB);
            gain_db = MAX_GAIN_DB;
        }
    } else {
        ave_log(AVE_LOG_WARNING, ENH_LOG,
                "%s: no audible audio (silent or shorter than 0.4 s); loudness not normalised",
                c->in);
    }
    if (normalised && (ret = find_gain(c, ceiling, &gain_db)) != 0)
        return ret;
    for (attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        double peak_err;
        if ((ret = pass2(c, gain_db, ceiling, 1, NULL, &limit_db)) != 0 ||
            (ret = measure_file(c, c->out, &outm, 0.95, 0.05)) != 0)
            return ret;
        peak_err = outm.loud.true_peak_db - c->o.ceiling;
        ave_log(AVE_LOG_VERBOSE, ENH_LOG,
                "encoded #%d: gain %+.2f dB, ceiling %.2f -> %.2f LUFS, %.2f dBTP", attempt + 1,
                gain_db, ceiling, outm.loud.integrated_lufs, outm.loud.true_peak_db);
        if (attempt + 1 == MAX_ATTEMPTS || !isfinite(peak_err) || peak_err <= PEAK_TOL_DB)
            break;
        /* the encoder's overshoot, measured: limit lower by more than that,
         * since the overshoot shrinks less than the ceiling moves */
        ceiling -= 1.5 * peak_err + 0.02;
    }
    publish(c, &in, &outm, &st, gain_db, normalised, limit_db, st.compressor_min_gain_db,
            attempt + 1, av_gettime_relative() / 1e6 - t0);
    return 0;
}

int ave_enhance_process(ave_job *job, const char *in_path, const char *out_path,
                        const ave_enhance_opts *opts)
{
    ctx c = {0};
    ave_enhance_opts defaults;
    int ret;

    if (!job || !in_path || !out_path)
        return job ? ave_job_fail(job, AVE_ERR_USAGE, "enhance: missing input or output path")
                   : AVE_ERR_USAGE;
    if (!opts) {
        ave_enhance_opts_default(&defaults);
        opts = &defaults;
    }
    c.job = job;
    c.in = in_path;
    c.out = out_path;
    ret = run(&c, opts);
    enh_spool_free(c.spool);
    for (int k = 0; k < ENH_MAX_CHANNELS; k++)
        free(c.buf[k]);
    if (c.mem)
        ave_job_mem_release(job, c.mem);
    return ret;
}
