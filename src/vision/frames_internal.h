/* Internal interfaces of the frames stage: the sampler that decodes the video
 * once and hands over small analysis pictures, the per-picture measurements,
 * the scene-change detector and the JSON writers. Pure functions take plain
 * buffers so the unit tests can feed them synthetic pictures and sequences. */
#ifndef AVE_FRAMES_INTERNAL_H
#define AVE_FRAMES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* --- analysis picture ----------------------------------------------------- */

/* A small packed RGB24 picture plus its full-range luma (Y = 0.299 R +
 * 0.587 G + 0.114 B), both width x height, tightly packed. */
typedef struct frame_picture {
    int width, height;
    uint8_t *rgb;  /* width * height * 3 */
    uint8_t *luma; /* width * height */
} frame_picture;

/* Fill pic->luma from pic->rgb. */
void frame_picture_luma(frame_picture *pic);

/* --- measurements (frame_features.c) ------------------------------------- */

/* Variance of the 4-neighbour Laplacian [0 1 0; 1 -4 1; 0 1 0] of luma over
 * the interior pixels, in luma units (0..255) squared. 0 below 3x3. */
double frame_sharpness(const uint8_t *luma, int width, int height);

typedef struct frame_exposure {
    double brightness;  /* mean luma, 0..1 */
    double contrast;    /* standard deviation of luma, 0..1 */
    double clip_dark;   /* fraction with luma <= 16 */
    double clip_bright; /* fraction with luma >= 250 */
} frame_exposure;

void frame_measure_exposure(const uint8_t *luma, int width, int height, frame_exposure *out);

/* Hasler and Suesstrunk's colourfulness M = sigma_rgyb + 0.3 mu_rgyb with
 * rg = R - G, yb = (R + G) / 2 - B (population statistics, 0..255 units). */
double frame_colourfulness(const uint8_t *rgb, int width, int height);

/* Mean absolute luma difference of two same-size pictures, 0..1. */
double frame_motion(const uint8_t *luma, const uint8_t *prev, int width, int height);

/* A face's mouth movement between two luma pictures: the mean absolute
 * change in the lower band of the box (x, y, w, h in fractions of the
 * picture; a Haar box ends just under the mouth) minus that of the eye
 * band, so a head that moves as a whole scores about 0. 0..1. */
double frame_mouth_motion(const uint8_t *luma, const uint8_t *prev, int width, int height,
                          double x, double y, double w, double h);

/* What scene detection compares between consecutive samples: a luma
 * histogram, a hue histogram (plus one achromatic bin) and a coarse grid of
 * edge densities whose threshold follows the picture's own gradient level,
 * so a fade (the same picture scaled) keeps its edge map while a cut does
 * not. */
#define FRAME_LUMA_BINS 32
#define FRAME_HUE_BINS 13
#define FRAME_EDGE_GRID 4
typedef struct frame_signature {
    float luma[FRAME_LUMA_BINS];                  /* normalised, sums to 1 */
    float hue[FRAME_HUE_BINS];                    /* normalised; last bin: grey pixels */
    float edges[FRAME_EDGE_GRID * FRAME_EDGE_GRID]; /* edge pixel fraction per cell */
} frame_signature;

void frame_signature_compute(const frame_picture *pic, frame_signature *sig);

/* Distance of two signatures, 0 (same) .. 1: a weighted sum of the halved L1
 * histogram distances and the relative edge-map difference. */
double frame_signature_distance(const frame_signature *a, const frame_signature *b);

/* --- scene changes (scene_detect.c) ------------------------------------- */

typedef struct scene_params {
    int window;            /* past samples for the adaptive thresholds */
    double cut_k;          /* cut: median + cut_k * MAD (scaled to sigma) ... */
    double cut_floor;      /* ... and at least this */
    double gradual_k;      /* transition candidates: median + gradual_k * MAD ... */
    double gradual_floor;  /* ... and at least this */
    int gradual_min_len;   /* samples a dissolve lasts at least */
    double dominance;      /* a run whose largest step exceeds this share of its sum is a cut */
    double black_level;    /* brightness at or below which a frame counts as black */
    double fade_min_step;  /* brightness change per sample inside a fade */
    double fade_min_total; /* total brightness change of a fade */
} scene_params;

void scene_params_default(scene_params *p);

typedef struct scene_boundary {
    size_t index;     /* first sample of the new scene */
    size_t end_index; /* last sample of the transition (= index for a cut) */
    double strength;  /* the cut's distance, or the transition's summed distance (<= 1) */
    int gradual;      /* 1 for a fade or dissolve */
} scene_boundary;

/* Find scene changes in a sequence of n samples: distance[i] is the
 * signature distance of sample i to sample i-1 (distance[0] is ignored),
 * brightness[i] its mean luma (0..1; NULL: no fade detection). *out
 * (malloc'd, caller frees; NULL when none) receives the boundaries in order. */
int scene_detect(const float *distance, const float *brightness, size_t n,
                 const scene_params *p, scene_boundary **out, size_t *count);

/* --- sampling (frame_sampler.c) ----------------------------------------- */

typedef struct frame_sampler frame_sampler;

typedef struct frame_sampler_config {
    double sample_fps;  /* samples per second of source time */
    int long_side;      /* analysis picture's longer side in pixels */
    int threads;        /* decoder threads, 0 = auto */
} frame_sampler_config;

/* Open the job's video stream for one decoding pass. Picture buffers are
 * accounted with ave_job_mem_reserve. Errors are recorded on the job. */
int frame_sampler_open(ave_job *job, const frame_sampler_config *cfg, frame_sampler **out);

/* Decode up to the next sample: on 1, *pic (borrowed, valid until the next
 * call) holds it and *pts_us its source time; 0 at the end of the stream;
 * negative on error (recorded on the job). Progress is reported through
 * ave_job_progress (returning its code when the job must stop). */
int frame_sampler_next(frame_sampler *s, const frame_picture **pic, int64_t *pts_us);

/* Counters for the metrics. */
typedef struct frame_sampler_stats {
    int64_t decoded, corrupt, packets;
    int64_t last_pts_us, last_duration_us;
} frame_sampler_stats;
void frame_sampler_get_stats(const frame_sampler *s, frame_sampler_stats *st);

/* Analysis picture size (after rotation), known once open. */
void frame_sampler_size(const frame_sampler *s, int *width, int *height);

/* CPU seconds the decoder's own threads (FFmpeg's frame threads) have used
 * so far; they are not the calling thread's. Call before freeing. */
double frame_sampler_codec_cpu_s(const frame_sampler *s);

void frame_sampler_free(frame_sampler *s);

/* --- outputs (frames_json.c) --------------------------------------------- */

typedef struct frames_json_info {
    double sample_fps;
    int rotation_deg;
    int faces_enabled;    /* 0 when no cascade was available */
    const char *cascade;  /* path or NULL */
} frames_json_info;

/* analysis/frames.json and analysis/scenes.json as strings (malloc'd, caller
 * frees); NULL when out of memory. */
char *frames_json_frames(const ave_analysis *a, const frames_json_info *info);
char *frames_json_scenes(const ave_analysis *a);

/* --- cache hooks (frames_cache.c) ---------------------------------------- */

/* The stage's cache_save / cache_load (include/ave/stage.h): the frames,
 * scenes, picture size and the two JSON files as written. */
int frames_cache_save(const ave_job *job, void **blob, size_t *size);
int frames_cache_load(ave_job *job, const void *blob, size_t size);

#endif
