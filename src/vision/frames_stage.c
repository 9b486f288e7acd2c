/* The frames stage: one decoding pass over the video at a reduced size that
 * measures every sampled frame (sharpness, exposure, contrast, clipping,
 * colourfulness, motion), finds scene changes and detects faces (with how
 * much each mouth moved since the previous sample: who speaks, for the
 * --aspect camera), filling
 * job->analysis.frames/scenes for the thumbnails stage and writing
 * analysis/frames.json and analysis/scenes.json.
 *
 * Samples per second follow --mode (fast 2, balanced 3, high_quality 5)
 * unless --frame-sample-fps says otherwise. The face cascade is loaded once
 * per run (init); when it is missing or unreadable the stage warns once and
 * carries on without faces, which the metrics record. Only the current and
 * the previous sample's pictures are held, plus one small record per sample,
 * so memory stays flat however long the video is. Results are cached
 * (kind "thumbnail", frames_cache.c). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ave/ave.h"
#include "ave/face.h"
#include "vision/frames_internal.h"

#define STAGE "frames"
/* Face detection costs far more than everything else per sample (~10 ms at
 * 320x180): it is skipped on flat pictures (black, one colour: contrast
 * below 2%), and a sample that barely differs from the previous one (a
 * still, a static shot) inherits the previous sample's faces. */
#define FLAT_CONTRAST 0.02
#define STILL_MOTION 0.004
#define STILL_DISTANCE 0.02
#define MAX_REUSE 8 /* detect again at least this often, against slow drift */

typedef struct frames_opts {
    double sample_fps;  /* 0: by --mode */
    int64_t frame_size; /* analysis picture's long side */
    int detect_faces;
    char *face_cascade;
} frames_opts;

#define OFF(f) offsetof(frames_opts, f)
static const ave_option frames_options[] = {
    {.name = "frame-sample-fps",
     .type = AVE_OPT_DOUBLE,
     .offset = OFF(sample_fps),
     .def.d = 0,
     .min = 0,
     .max = 30,
     .stage = "frames",
     .help = "frames analysed per second of video; 0: by --mode (fast 2, balanced 3, "
             "high_quality 5)"},
    {.name = "frame-size",
     .type = AVE_OPT_INT,
     .offset = OFF(frame_size),
     .def.i = 320,
     .min = 64,
     .max = 1920,
     .stage = "frames",
     .help = "long side in pixels of the picture frames are analysed at"},
    {.name = "detect-faces",
     .type = AVE_OPT_BOOL,
     .offset = OFF(detect_faces),
     .def.i = 1,
     .stage = "frames",
     .help = "detect faces in the sampled frames (for thumbnails)"},
    {.name = "face-cascade",
     .type = AVE_OPT_STRING,
     .offset = OFF(face_cascade),
     .def.s = AVE_FACE_CASCADE_DEFAULT,
     .stage = "frames",
     .flags = AVE_OPTF_PATH,
     .help = "OpenCV Haar cascade XML used for face detection"},
    {.name = NULL},
};
#undef OFF

typedef struct frames_priv {
    ave_cascade *cascade; /* NULL: no face detection this run */
} frames_priv;

/* State of one run, freed in one place. */
typedef struct frames_run {
    ave_job *job;
    frame_sampler *sampler;
    ave_frame_features *frames;
    size_t count, cap;
    int64_t frames_bytes; /* the part of `reserved` that is the records */
    uint8_t *prev_luma;
    frame_signature sig[2];
    int64_t reserved;
    float *distance, *brightness;
    scene_boundary *bounds;
    size_t nbounds;
    int64_t face_frames, face_errors, face_reused;
    int reuse_run; /* samples in a row that inherited faces */
} frames_run;


static double sample_rate_for(const ave_job *job, const frames_opts *o)
{
    if (o->sample_fps > 0)
        return o->sample_fps;
    switch (job->cfg ? job->cfg->mode : AVE_MODE_BALANCED) {
    case AVE_MODE_FAST:
        return 2.0;
    case AVE_MODE_HIGH_QUALITY:
        return 5.0;
    default:
        return 3.0;
    }
}

static int frames_init(void *priv, const void *opts, ave_job *job)
{
    frames_priv *p = priv;
    const frames_opts *o = opts;
    char err[256] = "";
    int ret;

    if (!o || !o->detect_faces)
        return 0;
    if (!o->face_cascade || !o->face_cascade[0]) {
        ave_log(AVE_LOG_WARNING, STAGE, "no face cascade given: continuing without faces");
        return 0;
    }
    if ((ret = ave_cascade_load(o->face_cascade, &p->cascade, err, sizeof(err))) < 0) {
        p->cascade = NULL;
        ave_log(AVE_LOG_WARNING, STAGE, "%s: cannot load the face cascade (%s): continuing "
                "without faces", o->face_cascade, err[0] ? err : ave_strerror(ret));
    }
    (void)job;
    return 0;
}

static void frames_uninit(void *priv, ave_job *job)
{
    frames_priv *p = priv;
    (void)job;
    ave_cascade_free(p->cascade);
    p->cascade = NULL;
}

static int grow_frames(frames_run *r)
{
    size_t nc = r->cap ? r->cap * 2 : 1024;
    ave_frame_features *nf;
    int64_t extra = (int64_t)((nc - r->cap) * sizeof(*nf));
    int ret;

    if ((ret = ave_job_mem_reserve(r->job, extra)) < 0)
        return ret;
    r->reserved += extra;
    r->frames_bytes += extra;
    nf = realloc(r->frames, nc * sizeof(*nf));
    if (!nf)
        return AVE_ERR_NOMEM;
    r->frames = nf;
    r->cap = nc;
    return 0;
}

static int cmp_face_area(const void *a, const void *b)
{
    const ave_face_rect *x = a, *y = b;
    long ax = (long)x->w * x->h, ay = (long)y->w * y->h;
    return (ay > ax) - (ay < ax);
}

/* Detect faces on the analysis picture's luma; a detector error disables
 * faces for the rest of the run (warned once). */
static void detect_faces(frames_run *r, frames_priv *p, const frame_picture *pic,
                         ave_frame_features *f)
{
    ave_face_params params;
    ave_face_rect *rects = NULL;
    size_t n = 0;
    int ret;

    ave_face_params_default(&params);
    ret = ave_face_detect(p->cascade, pic->luma, pic->width, pic->height, pic->width, &params,
                          &rects, &n);
    if (ret < 0) {
        ave_log(AVE_LOG_WARNING, STAGE, "face detection failed (%s): continuing without faces",
                ave_strerror(ret));
        r->face_errors++;
        ave_cascade_free(p->cascade);
        p->cascade = NULL;
        free(rects);
        return;
    }
    if (n > 1)
        qsort(rects, n, sizeof(*rects), cmp_face_area);
    for (size_t i = 0; i < n && i < AVE_FRAME_MAX_FACES; i++) {
        ave_face *o = &f->faces[f->face_count++];
        o->x = (float)rects[i].x / (float)pic->width;
        o->y = (float)rects[i].y / (float)pic->height;
        o->w = (float)rects[i].w / (float)pic->width;
        o->h = (float)rects[i].h / (float)pic->height;
        o->neighbours = rects[i].neighbours;
        o->mouth_motion = -1; /* measure() fills it in */
    }
    if (n > 0)
        r->face_frames++;
    free(rects);
}

static int measure(frames_run *r, frames_priv *p, const frame_picture *pic, int64_t pts_us)
{
    size_t npix = (size_t)pic->width * (size_t)pic->height;
    frame_signature *sig = &r->sig[r->count % 2], *prev = &r->sig[(r->count + 1) % 2];
    ave_frame_features *f;
    frame_exposure ex;
    int ret;

    if (r->count == r->cap && (ret = grow_frames(r)) < 0)
        return ret;
    if (!r->prev_luma) {
        if ((ret = ave_job_mem_reserve(r->job, (int64_t)npix)) < 0)
            return ret;
        r->reserved += (int64_t)npix;
        if (!(r->prev_luma = malloc(npix)))
            return AVE_ERR_NOMEM;
    }
    f = &r->frames[r->count];
    memset(f, 0, sizeof(*f));
    f->pts_us = pts_us;
    frame_measure_exposure(pic->luma, pic->width, pic->height, &ex);
    f->sharpness = (float)frame_sharpness(pic->luma, pic->width, pic->height);
    f->brightness = (float)ex.brightness;
    f->contrast = (float)ex.contrast;
    f->clip_dark = (float)ex.clip_dark;
    f->clip_bright = (float)ex.clip_bright;
    f->colourfulness = (float)frame_colourfulness(pic->rgb, pic->width, pic->height);
    frame_signature_compute(pic, sig);
    if (r->count > 0) {
        f->motion = (float)frame_motion(pic->luma, r->prev_luma, pic->width, pic->height);
        f->scene_distance = (float)frame_signature_distance(sig, prev);
    }
    if (p->cascade) {
        const ave_frame_features *pf = r->count > 0 ? &r->frames[r->count - 1] : NULL;
        if (pf && f->motion < STILL_MOTION && f->scene_distance < STILL_DISTANCE &&
            r->reuse_run < MAX_REUSE) {
            /* A still: the previous sample's faces are this one's. */
            f->face_count = pf->face_count;
            memcpy(f->faces, pf->faces, sizeof(f->faces));
            r->face_frames += f->face_count > 0;
            r->face_reused++;
            r->reuse_run++;
        } else {
            r->reuse_run = 0;
            if (f->contrast >= FLAT_CONTRAST)
                detect_faces(r, p, pic, f);
        }
        /* who speaks: each face's mouth against the previous sample */
        for (int k = 0; k < f->face_count && k < AVE_FRAME_MAX_FACES; k++)
            f->faces[k].mouth_motion =
                r->count > 0 ? (float)frame_mouth_motion(pic->luma, r->prev_luma, pic->width,
                                                         pic->height, f->faces[k].x, f->faces[k].y,
                                                         f->faces[k].w, f->faces[k].h)
                             : -1.0f;
    }
    memcpy(r->prev_luma, pic->luma, npix);
    r->count++;
    return 0;
}

/* Scenes from the boundaries: each starts halfway between the last sample
 * of the previous shot and its own first sample; the last ends with the
 * video. Every frame gets its scene's index. */
static int build_scenes(frames_run *r)
{
    ave_job *job = r->job;
    ave_analysis *a = &job->analysis;
    size_t ns = r->nbounds + 1, b = 0;
    int64_t end = job->media.video_duration_us > 0 ? job->media.video_duration_us
                                                   : job->media.duration_us;
    frame_sampler_stats st;
    ave_scene *sc;

    frame_sampler_get_stats(r->sampler, &st);
    if (st.last_pts_us + st.last_duration_us > end)
        end = st.last_pts_us + st.last_duration_us;
    if (!(sc = calloc(ns, sizeof(*sc))))
        return AVE_ERR_NOMEM;
    sc[0].start_us = 0;
    for (size_t i = 0; i < r->nbounds; i++) {
        size_t k = r->bounds[i].index;
        sc[i + 1].start_us = (r->frames[k - 1].pts_us + r->frames[k].pts_us) / 2;
        sc[i + 1].cut_strength = (float)r->bounds[i].strength;
        sc[i + 1].gradual = r->bounds[i].gradual;
        sc[i].end_us = sc[i + 1].start_us;
    }
    sc[ns - 1].end_us = end > sc[ns - 1].start_us ? end : sc[ns - 1].start_us;
    for (size_t i = 0; i < r->count; i++) {
        while (b < r->nbounds && r->bounds[b].index <= i)
            b++;
        r->frames[i].scene_index = (int)b;
    }
    free(a->scenes);
    a->scenes = sc;
    a->scene_count = ns;
    return 0;
}

static int detect_scenes(frames_run *r)
{
    scene_params sp;
    int ret;

    if (r->count == 0)
        return 0;
    r->distance = malloc(r->count * sizeof(float));
    r->brightness = malloc(r->count * sizeof(float));
    if (!r->distance || !r->brightness)
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < r->count; i++) {
        r->distance[i] = r->frames[i].scene_distance;
        r->brightness[i] = r->frames[i].brightness;
    }
    scene_params_default(&sp);
    if ((ret = scene_detect(r->distance, r->brightness, r->count, &sp, &r->bounds,
                            &r->nbounds)) < 0)
        return ret;
    return build_scenes(r);
}

static int write_outputs(frames_run *r, const frames_opts *o, double fps, int faces_on)
{
    ave_job *job = r->job;
    frames_json_info info = {.sample_fps = fps,
                             .rotation_deg = job->media.rotation_deg,
                             .faces_enabled = faces_on,
                             .cascade = faces_on ? o->face_cascade : NULL};
    char *doc = frames_json_frames(&job->analysis, &info);
    int ret;

    if (!doc)
        return AVE_ERR_NOMEM;
    ret = ave_job_write_file(job, "analysis/frames.json", doc, strlen(doc));
    free(doc);
    if (ret < 0)
        return ret;
    if (!(doc = frames_json_scenes(&job->analysis)))
        return AVE_ERR_NOMEM;
    ret = ave_job_write_file(job, "analysis/scenes.json", doc, strlen(doc));
    free(doc);
    return ret;
}

static int frames_run_stage(void *priv, const void *opts, ave_job *job)
{
    frames_priv *p = priv;
    const frames_opts *o = opts;
    frames_run r = {.job = job};
    frame_sampler_config cfg;
    frame_sampler_stats st;
    const frame_picture *pic;
    int64_t pts;
    double t0 = ave_now(), secs;
    int faces_on = p->cascade != NULL, gradual = 0, ret;

    if (!o)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: frames options missing", job->input_path);
    cfg.sample_fps = sample_rate_for(job, o);
    cfg.long_side = (int)o->frame_size;
    cfg.threads = job->threads;
    if ((ret = frame_sampler_open(job, &cfg, &r.sampler)) < 0)
        goto out;
    while ((ret = frame_sampler_next(r.sampler, &pic, &pts)) > 0)
        if ((ret = measure(&r, p, pic, pts)) < 0)
            goto out;
    if (ret < 0)
        goto out;
    frame_sampler_get_stats(r.sampler, &st);
    if (r.count == 0) {
        ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: no video frame could be decoded%s",
                           job->input_path, st.corrupt ? " (all corrupt)" : "");
        goto out;
    }
    if (st.corrupt > 0)
        ave_log(AVE_LOG_WARNING, STAGE, "%s: %lld corrupt video packets/frames skipped",
                job->input_path, (long long)st.corrupt);
    if (r.face_errors)
        faces_on = 0;

    if ((ret = detect_scenes(&r)) < 0)
        goto out;
    /* Hand the records over: the job owns them and their reservation. */
    free(job->analysis.frames);
    job->analysis.frames = r.frames;
    job->analysis.frame_count = r.count;
    frame_sampler_size(r.sampler, &job->analysis.frame_width, &job->analysis.frame_height);
    r.frames = NULL;
    r.reserved -= r.frames_bytes;
    r.frames_bytes = 0;
    if ((ret = write_outputs(&r, o, cfg.sample_fps, faces_on)) < 0)
        goto out;

    secs = ave_now() - t0;
    for (size_t i = 0; i < job->analysis.scene_count; i++)
        gradual += job->analysis.scenes[i].gradual;
    ave_log(AVE_LOG_VERBOSE, STAGE,
            "%zu frames sampled of %lld decoded in %.1f s: %zu scenes (%d gradual), faces in "
            "%lld frames",
            r.count, (long long)st.decoded, secs, job->analysis.scene_count, gradual,
            (long long)r.face_frames);
    ave_job_metric_number(job, STAGE, "frames_sampled", (double)r.count);
    ave_job_metric_number(job, STAGE, "frames_decoded", (double)st.decoded);
    ave_job_metric_number(job, STAGE, "corrupt", (double)st.corrupt);
    ave_job_metric_number(job, STAGE, "sample_fps", cfg.sample_fps);
    ave_job_metric_number(job, STAGE, "width", job->analysis.frame_width);
    ave_job_metric_number(job, STAGE, "height", job->analysis.frame_height);
    ave_job_metric_number(job, STAGE, "scenes", (double)job->analysis.scene_count);
    ave_job_metric_number(job, STAGE, "gradual_transitions", gradual);
    ave_job_metric_bool(job, STAGE, "faces_available", faces_on);
    ave_job_metric_number(job, STAGE, "faces_frames", (double)r.face_frames);
    ave_job_metric_number(job, STAGE, "faces_reused", (double)r.face_reused);
    ave_job_metric_number(job, STAGE, "seconds", secs);
    ave_job_metric_number(job, STAGE, "decode_fps", secs > 0 ? (double)st.decoded / secs : 0);
    ret = ave_job_progress(job, 1.0);
out:
    if (ret == AVE_ERR_NOMEM)
        ret = ave_job_fail(job, ret, "%s: out of memory analysing frames", job->input_path);
    free(r.frames);
    if (r.reserved > 0)
        ave_job_mem_release(job, r.reserved);
    free(r.prev_luma);
    free(r.distance);
    free(r.brightness);
    free(r.bounds);
    if (r.sampler) /* FFmpeg's frame threads work for this stage too */
        ave_job_add_stage_cpu(job, STAGE, frame_sampler_codec_cpu_s(r.sampler));
    frame_sampler_free(r.sampler);
    return ret;
}

const ave_stage ave_stage_frames = {
    .name = "frames",
    .description = "frame features, scenes and faces (analysis/frames.json, scenes.json)",
    .flags = AVE_STAGE_NEEDS_VIDEO | AVE_STAGE_ANALYSIS | AVE_STAGE_CONCURRENT,
    .weight = 1.0,
    .options = frames_options,
    .opts_size = sizeof(frames_opts),
    .priv_size = sizeof(frames_priv),
    .init = frames_init,
    .run = frames_run_stage,
    .uninit = frames_uninit,
    .cache_kind = "thumbnail",
    /* sample_rate_for() reads --mode; nothing else global or earlier */
    .cache_globals = (const char *const[]){"mode", NULL},
    .cache_version = 1,
    .cache_save = frames_cache_save,
    .cache_load = frames_cache_load,
};
