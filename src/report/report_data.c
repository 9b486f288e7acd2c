/* Gathers what the report shows: the final metrics (a snapshot taken after
 * the pipeline finalised them: the stage is AVE_STAGE_AFTER_METRICS), the
 * JSON outputs earlier stages committed (read from their staged paths), and
 * the waveform/level strip computed from the 16 kHz analysis audio.
 * Assumes outputs are small JSON files; anything bigger than READ_LIMIT is
 * treated as absent rather than read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "report/report.h"

#define READ_LIMIT (32 << 20)
#define STRIP_COLUMNS 1000
#define BLOCK_SAMPLES 160       /* 10 ms at 16 kHz: the level's resolution */
#define LEVEL_HALF_WINDOW_S 0.2 /* the level is an RMS over >= 400 ms */
#define LEVEL_FLOOR_DB -90.0

/* relpath as committed by this run's stage, or, when that stage was not part
 * of this command (`render` re-runs only the stages after the edit), the file
 * an earlier run left in the output folder. */
static cJSON *read_json_output(const report_data *d, const char *relpath, const char *stage)
{
    const ave_job *job = d->job;
    const char *path = ave_job_output_path(job, relpath);
    const char *status = report_stage_status(d, stage);
    char *text = NULL, *old = NULL;
    cJSON *json = NULL;
    if (!path && status && !strcmp(status, "not part of this command"))
        path = old = ave_fs_join(job->output_dir, relpath);
    FILE *fp = path ? fopen(path, "rb") : NULL;
    if (!fp) {
        free(old);
        return NULL;
    }
    if (fseek(fp, 0, SEEK_END) < 0)
        goto out;
    long size = ftell(fp);
    if (size < 0 || size > READ_LIMIT || fseek(fp, 0, SEEK_SET) < 0)
        goto out;
    if (!(text = malloc((size_t)size + 1)))
        goto out;
    if (fread(text, 1, (size_t)size, fp) != (size_t)size)
        goto out;
    text[size] = '\0';
    if (!(json = cJSON_Parse(text)))
        ave_log(AVE_LOG_WARNING, REPORT_STAGE, "%s: not valid JSON; its section is left out", path);
out:
    free(text);
    free(old);
    fclose(fp);
    return json;
}

/* Peak per column and an RMS level around each column's centre, via prefix
 * sums of 10 ms block energies so the cost is linear in the audio. */
static int compute_strip(ave_job *job, report_data *d)
{
    const ave_pcm *pcm = &job->analysis.audio;
    report_strip *s = &d->strip;
    double *energy = NULL;
    int64_t reserved = 0;
    int r = 0;

    if (!pcm->samples || pcm->count < BLOCK_SAMPLES || d->input_s <= 0)
        return 0;
    int rate = pcm->sample_rate > 0 ? pcm->sample_rate : AVE_ANALYSIS_RATE;
    size_t blocks = pcm->count / BLOCK_SAMPLES;
    reserved = (int64_t)((blocks + 1) * sizeof(double) + 2 * STRIP_COLUMNS * sizeof(float));
    if ((r = ave_job_mem_reserve(job, reserved)) < 0) {
        reserved = 0;
        goto out;
    }
    energy = malloc((blocks + 1) * sizeof(double));
    s->peak = calloc(STRIP_COLUMNS, sizeof(float));
    s->level = calloc(STRIP_COLUMNS, sizeof(float));
    if (!energy || !s->peak || !s->level) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    energy[0] = 0;
    for (size_t k = 0; k < blocks; k++) {
        double e = 0;
        const int16_t *x = pcm->samples + k * BLOCK_SAMPLES;
        for (int i = 0; i < BLOCK_SAMPLES; i++)
            e += (double)x[i] * x[i];
        energy[k + 1] = energy[k] + e;
    }
    double col_s = d->input_s / STRIP_COLUMNS;
    double half = fmax(LEVEL_HALF_WINDOW_S, col_s / 2);
    for (size_t c = 0; c < STRIP_COLUMNS; c++) {
        size_t a = (size_t)fmin((double)pcm->count, c * col_s * rate);
        size_t z = (size_t)fmin((double)pcm->count, (c + 1) * col_s * rate);
        int peak = 0;
        for (size_t i = a; i < z; i++) {
            int v = abs(pcm->samples[i]);
            peak = v > peak ? v : peak;
        }
        s->peak[c] = (float)(peak / 32768.0);
        double mid = (c + 0.5) * col_s;
        size_t b0 = (size_t)fmax(0, (mid - half) * rate / BLOCK_SAMPLES);
        size_t b1 = (size_t)fmin((double)blocks, (mid + half) * rate / BLOCK_SAMPLES);
        double level = LEVEL_FLOOR_DB;
        if (b1 > b0) {
            double ms = (energy[b1] - energy[b0]) / ((double)(b1 - b0) * BLOCK_SAMPLES);
            if (ms > 0)
                level = fmax(LEVEL_FLOOR_DB, 10 * log10(ms / (32768.0 * 32768.0)));
        }
        s->level[c] = (float)level;
        if (c % 100 == 99 && (r = ave_job_progress(job, 0.5 * (double)c / STRIP_COLUMNS)) < 0)
            goto out;
    }
    s->columns = STRIP_COLUMNS;
out:
    free(energy);
    if (reserved)
        ave_job_mem_release(job, reserved);
    return r;
}

/* Loudness over time of the input and of the edited file, when there is
 * audio; a file that cannot be measured only leaves its curve out. */
static int measure_loudness(const ave_job *job, report_data *d)
{
    const char *out = ave_job_output_path(job, "video/edited.mp4");
    int r;

    if (!out)
        out = ave_job_output_path(job, "audio/edited.m4a");
    if (!job->media.has_audio)
        return 0;
    r = report_lcurve_measure(job->input_path, d->input_s, &d->loud_in);
    if (r == AVE_ERR_NOMEM)
        return r;
    if (out && (r = report_lcurve_measure(out, d->input_s, &d->loud_out)) == AVE_ERR_NOMEM)
        return r;
    return 0;
}

int report_gather(ave_job *job, report_data *d)
{
    char *json = NULL;
    int r;

    memset(d, 0, sizeof(*d));
    d->job = job;
    d->input_s = (double)job->timeline.duration_us / 1e6;
    if (d->input_s <= 0)
        d->input_s = (double)job->media.duration_us / 1e6;
    if ((r = ave_job_metrics_json(job, &json)) < 0)
        return r;
    d->metrics = cJSON_Parse(json);
    free(json);
    if (!d->metrics)
        return AVE_ERR_NOMEM;
    d->thumbs = read_json_output(d, "thumbnails/thumbnails.json", "thumbnails");
    d->meta = read_json_output(d, "metadata/metadata.json", "content");
    if ((r = measure_loudness(job, d)) < 0)
        return r;
    if ((r = compute_strip(job, d)) < 0)
        return r;
    /* Without analysis audio (render), the strip of the run that had it. */
    if (!d->strip.columns && (r = report_wave_load(job, d->input_s, &d->strip)) < 0)
        return r;
    if (d->strip.columns && (r = report_wave_save(job, &d->strip, d->input_s)) < 0)
        return r;
    return 0;
}

void report_data_free(report_data *d)
{
    cJSON_Delete(d->metrics);
    cJSON_Delete(d->thumbs);
    cJSON_Delete(d->meta);
    free(d->strip.peak);
    free(d->strip.level);
    report_lcurve_free(&d->loud_in);
    report_lcurve_free(&d->loud_out);
    memset(d, 0, sizeof(*d));
}

double report_json_num(const cJSON *obj, const char *key)
{
    const cJSON *it = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsNumber(it) ? it->valuedouble : NAN;
}

const char *report_json_str(const cJSON *obj, const char *key)
{
    const cJSON *it = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

double report_metric(const report_data *d, const char *section, const char *key)
{
    const cJSON *obj = d->metrics;
    if (section)
        obj = cJSON_GetObjectItemCaseSensitive(obj, section);
    return report_json_num(obj, key);
}

const char *report_stage_status(const report_data *d, const char *stage)
{
    return report_json_str(cJSON_GetObjectItemCaseSensitive(d->metrics, "stage_status"), stage);
}

int report_stage_ran(const report_data *d, const char *stage)
{
    const char *s = report_stage_status(d, stage);
    return s && (!strcmp(s, "ok") || !strcmp(s, "cached"));
}

void report_missing(dynbuf *b, const report_data *d, const char *stage, const char *what)
{
    const char *st = report_stage_status(d, stage);
    dynbuf_adds(b, "<p class=\"missing\">");
    rb_text(b, what);
    dynbuf_adds(b, " &mdash; ");
    if (!st)
        dynbuf_printf(b, "the %s stage is not part of this build.", stage);
    else if (!strcmp(st, "ok") || !strcmp(st, "cached"))
        dynbuf_printf(b, "the %s stage ran but produced nothing to show.", stage);
    else {
        dynbuf_printf(b, "the %s stage did not run (", stage);
        rb_text(b, st);
        dynbuf_adds(b, ").");
    }
    dynbuf_adds(b, "</p>\n");
}
