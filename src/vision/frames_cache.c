/* Cache hooks of the frames stage (kind "thumbnail"): what a run leaves
 * behind, as a blob and back. That is the sampled frames with their faces,
 * the scenes, the analysis picture size, and the two files written,
 * analysis/frames.json and scenes.json, stored as written: they also hold
 * what the job does not (sample rate, whether faces were detected, the
 * cascade path), and replaying the very bytes makes a cached run's files
 * identical to a fresh one's. The pipeline restores the stage's metrics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "ave/cache.h"
#include "vision/frames_internal.h"

#define BLOB_FORMAT 2u /* 2: faces' mouth_motion */
#define MAX_JSON (256u << 20)
/* Smallest encodings, to bound counts by the bytes left before allocating. */
#define FRAME_MIN_BYTES (8 + 8 * 8 + 4 + 4)
#define SCENE_BYTES (8 + 8 + 8 + 4)

static const char *const files[2] = {"analysis/frames.json", "analysis/scenes.json"};

/* A committed output's contents (malloc'd, caller frees). */
static int read_output(const ave_job *job, const char *rel, char **out, size_t *len)
{
    const char *path = ave_job_output_path(job, rel);
    FILE *fp = path ? fopen(path, "rb") : NULL;
    char *buf = NULL;
    long n;
    int ret = AVE_ERR_IO;

    if (!fp)
        return AVE_ERR_IO;
    if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || (unsigned long)n > MAX_JSON ||
        fseek(fp, 0, SEEK_SET) != 0)
        goto out;
    if (!(buf = malloc((size_t)n + 1))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
        goto out;
    *out = buf;
    *len = (size_t)n;
    buf = NULL;
    ret = 0;
out:
    free(buf);
    fclose(fp);
    return ret;
}

int frames_cache_save(const ave_job *job, void **blob, size_t *size)
{
    const ave_analysis *a = &job->analysis;
    ave_blob b = {0};
    int ret = 0;

    ave_blob_u32(&b, BLOB_FORMAT);
    ave_blob_u32(&b, (uint32_t)a->frame_width);
    ave_blob_u32(&b, (uint32_t)a->frame_height);
    ave_blob_u32(&b, (uint32_t)a->frame_count);
    for (size_t i = 0; i < a->frame_count; i++) {
        const ave_frame_features *f = &a->frames[i];
        const float v[8] = {f->sharpness,   f->brightness,    f->contrast, f->clip_dark,
                            f->clip_bright, f->colourfulness, f->motion,   f->scene_distance};
        ave_blob_i64(&b, f->pts_us);
        for (int k = 0; k < 8; k++)
            ave_blob_f64(&b, v[k]);
        ave_blob_u32(&b, (uint32_t)f->scene_index);
        ave_blob_u32(&b, (uint32_t)f->face_count);
        for (int k = 0; k < f->face_count; k++) {
            ave_blob_f64(&b, f->faces[k].x);
            ave_blob_f64(&b, f->faces[k].y);
            ave_blob_f64(&b, f->faces[k].w);
            ave_blob_f64(&b, f->faces[k].h);
            ave_blob_u32(&b, (uint32_t)f->faces[k].neighbours);
            ave_blob_f64(&b, f->faces[k].mouth_motion);
        }
    }
    ave_blob_u32(&b, (uint32_t)a->scene_count);
    for (size_t i = 0; i < a->scene_count; i++) {
        ave_blob_i64(&b, a->scenes[i].start_us);
        ave_blob_i64(&b, a->scenes[i].end_us);
        ave_blob_f64(&b, a->scenes[i].cut_strength);
        ave_blob_u32(&b, (uint32_t)a->scenes[i].gradual);
    }
    for (int k = 0; k < 2 && ret == 0; k++) {
        char *text = NULL;
        size_t len = 0;
        if ((ret = read_output(job, files[k], &text, &len)) == 0) {
            ave_blob_u32(&b, (uint32_t)len);
            ave_blob_bytes(&b, text, len);
        }
        free(text);
    }
    if (ret < 0) {
        free(b.data);
        return ret;
    }
    return ave_blob_finish(&b, blob, size);
}

/* Every measure a run computes is a finite number; NaN from a damaged blob
 * would poison scores and comparisons downstream (thumbnails, scenes). */
static int finite_frame(const ave_frame_features *f)
{
    const float v[8] = {f->sharpness,   f->brightness,    f->contrast, f->clip_dark,
                        f->clip_bright, f->colourfulness, f->motion,   f->scene_distance};
    for (int k = 0; k < 8; k++)
        if (!isfinite(v[k]))
            return 0;
    for (int k = 0; k < f->face_count; k++)
        if (!isfinite(f->faces[k].x) || !isfinite(f->faces[k].y) || !isfinite(f->faces[k].w) ||
            !isfinite(f->faces[k].h) || !isfinite(f->faces[k].mouth_motion))
            return 0;
    return 1;
}

static int read_frames(ave_blob_reader *r, ave_frame_features **out, uint32_t *count)
{
    uint32_t n = ave_blob_read_u32(r);
    ave_frame_features *fr;

    if (r->err || n == 0 || n > r->left / FRAME_MIN_BYTES)
        return AVE_ERR_INPUT;
    if (!(fr = calloc(n, sizeof(*fr))))
        return AVE_ERR_NOMEM;
    for (uint32_t i = 0; i < n && !r->err; i++) {
        ave_frame_features *f = &fr[i];
        float v[8];
        f->pts_us = ave_blob_read_i64(r);
        for (int k = 0; k < 8; k++)
            v[k] = (float)ave_blob_read_f64(r);
        f->sharpness = v[0];
        f->brightness = v[1];
        f->contrast = v[2];
        f->clip_dark = v[3];
        f->clip_bright = v[4];
        f->colourfulness = v[5];
        f->motion = v[6];
        f->scene_distance = v[7];
        f->scene_index = (int)ave_blob_read_u32(r);
        uint32_t nf = ave_blob_read_u32(r);
        if (nf > AVE_FRAME_MAX_FACES) {
            free(fr);
            return AVE_ERR_INPUT;
        }
        f->face_count = (int)nf;
        for (uint32_t k = 0; k < nf; k++) {
            f->faces[k].x = (float)ave_blob_read_f64(r);
            f->faces[k].y = (float)ave_blob_read_f64(r);
            f->faces[k].w = (float)ave_blob_read_f64(r);
            f->faces[k].h = (float)ave_blob_read_f64(r);
            f->faces[k].neighbours = (int)ave_blob_read_u32(r);
            f->faces[k].mouth_motion = (float)ave_blob_read_f64(r);
        }
    }
    if (r->err) {
        free(fr);
        return AVE_ERR_INPUT;
    }
    *out = fr;
    *count = n;
    return 0;
}

int frames_cache_load(ave_job *job, const void *blob, size_t size)
{
    ave_blob_reader r = {blob, size, 0};
    ave_frame_features *fr = NULL;
    ave_scene *sc = NULL;
    const void *text[2] = {NULL, NULL};
    uint32_t w, h, nfr = 0, nsc, len[2] = {0, 0};
    int ret = AVE_ERR_INPUT;

    if (ave_blob_read_u32(&r) != BLOB_FORMAT)
        return AVE_ERR_INPUT;
    w = ave_blob_read_u32(&r);
    h = ave_blob_read_u32(&r);
    if (r.err || w < 8 || h < 8 || w > 1 << 16 || h > 1 << 16)
        return AVE_ERR_INPUT;
    if ((ret = read_frames(&r, &fr, &nfr)) < 0)
        return ret;
    ret = AVE_ERR_INPUT;
    nsc = ave_blob_read_u32(&r);
    if (r.err || nsc == 0 || nsc > r.left / SCENE_BYTES)
        goto out;
    if (!(sc = calloc(nsc, sizeof(*sc)))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < nsc; i++) {
        sc[i].start_us = ave_blob_read_i64(&r);
        sc[i].end_us = ave_blob_read_i64(&r);
        sc[i].cut_strength = (float)ave_blob_read_f64(&r);
        sc[i].gradual = (int)ave_blob_read_u32(&r);
    }
    for (int k = 0; k < 2; k++) {
        len[k] = ave_blob_read_u32(&r);
        if (r.err || len[k] > r.left || len[k] == 0)
            goto out;
        text[k] = r.p;
        r.p += len[k];
        r.left -= len[k];
    }
    for (uint32_t i = 0; i < nfr; i++)
        if (fr[i].scene_index < 0 || (uint32_t)fr[i].scene_index >= nsc || !finite_frame(&fr[i]))
            goto out;
    for (uint32_t i = 0; i < nsc; i++)
        if (sc[i].end_us < sc[i].start_us || !isfinite(sc[i].cut_strength))
            goto out;
    /* Everything checked: account the records as a run does (the job keeps
     * them), write the files, then change the job at once. */
    int64_t bytes = (int64_t)nfr * (int64_t)sizeof(*fr);
    if ((ret = ave_job_mem_reserve(job, bytes)) < 0)
        goto out;
    for (int k = 0; k < 2; k++)
        if ((ret = ave_job_write_file(job, files[k], text[k], len[k])) < 0) {
            ave_job_mem_release(job, bytes);
            goto out;
        }
    free(job->analysis.frames);
    free(job->analysis.scenes);
    job->analysis.frames = fr;
    job->analysis.frame_count = nfr;
    job->analysis.frame_width = (int)w;
    job->analysis.frame_height = (int)h;
    job->analysis.scenes = sc;
    job->analysis.scene_count = nsc;
    fr = NULL;
    sc = NULL;
    ret = 0;
out:
    free(fr);
    free(sc);
    return ret;
}
