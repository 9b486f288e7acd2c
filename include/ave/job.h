/* The shared job context: everything stages exchange.
 *
 * A job is one input file going through the pipeline. Stages read and write
 * the fields below and never call each other: media info (probe), analysis
 * results (decode, silence, speech, beats, frames, content...), the edit timeline
 * (plan) and the outputs (render, thumbnails, metadata). */
#ifndef AVE_JOB_H
#define AVE_JOB_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "ave/aspect.h"
#include "ave/config.h"
#include "ave/media.h"
#include "ave/timeline.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ave_interval {
    int64_t start_us, end_us;
} ave_interval;

/* A word on the source timeline (speech stage), with what editing did to it. */
enum ave_word_flags {
    AVE_WORD_FILLER = 1 << 0,   /* hesitation or filler: um, uh, "you know" */
    AVE_WORD_STUTTER = 1 << 1,  /* the earlier copy of a repetition or restart */
    AVE_WORD_CUT = 1 << 2,      /* removed from the edit */
    AVE_WORD_MUTED = 1 << 3,    /* kept in time but silenced (--mute-fillers) */
    AVE_WORD_ACOUSTIC = 1 << 4, /* found by acoustics, not recognised as text */
    AVE_WORD_SUGGESTED = 1 << 5 /* a filler candidate below the cut threshold: kept,
                                   offered for review (timeline.json "suggest") */
};

typedef struct ave_word {
    int64_t start_us, end_us; /* source time */
    char text[48];            /* lower-case; "[hesitation]" when acoustic */
    float confidence;         /* 0..1, from the recogniser */
    float filler_score;       /* 0..1, fused evidence that it is a filler */
    unsigned flags;           /* enum ave_word_flags */
} ave_word;

/* A detected face in a sampled frame, normalised to the frame (0..1). */
typedef struct ave_face {
    float x, y, w, h;  /* top-left corner and size, fractions of width/height */
    int neighbours;    /* raw detections merged into it: a confidence proxy */
    /* How much the mouth moved since the previous sample beyond what the
     * eyes moved (luma change, 0..1; frame_mouth_motion): who speaks, when
     * two faces compare. -1 when unknown (the first sample). */
    float mouth_motion;
} ave_face;

#define AVE_FRAME_MAX_FACES 8

/* Features of one sampled frame (frames stage), measured on the luma/colour
 * of the reduced-resolution analysis picture. */
typedef struct ave_frame_features {
    int64_t pts_us;          /* source time */
    float sharpness;         /* variance of the Laplacian of luma (0..255 scale) */
    float brightness;        /* mean luma, 0..1 */
    float contrast;          /* standard deviation of luma, 0..1 */
    float clip_dark;         /* fraction of pixels with luma <= 16/255 */
    float clip_bright;       /* fraction of pixels with luma >= 250/255 */
    float colourfulness;     /* Hasler and Suesstrunk's M, 0..~150 */
    float motion;            /* mean absolute luma change vs the previous sample, 0..1 */
    float scene_distance;    /* histogram distance to the previous sample, 0..1 */
    int scene_index;         /* index into ave_analysis.scenes */
    int face_count;          /* faces found (at most AVE_FRAME_MAX_FACES kept) */
    ave_face faces[AVE_FRAME_MAX_FACES]; /* largest first */
} ave_frame_features;

/* A shot: a run of frames between detected scene changes (source time). */
typedef struct ave_scene {
    int64_t start_us, end_us;
    float cut_strength;      /* distance that opened it, 0 for the first */
    int gradual;             /* 1 when it opens with a fade/dissolve */
} ave_scene;

/* A stretch of music with a similar level (beats stage): intro, loud, quiet... */
typedef struct ave_music_section {
    int64_t start_us, end_us;
    float energy_db;         /* mean short-term level, dBFS */
    char label[16];          /* "intro", "loud", "quiet", "outro" */
} ave_music_section;

/* The beat grid (beats stage), source time. */
/* A --type general input counts as music (beat sync and --target-duration
 * apply) when the beats stage's confidence reaches this. */
#define AVE_MUSIC_CONFIDENCE 0.6

typedef struct ave_beats {
    int64_t *beats_us;       /* beat times, sorted, malloc'd */
    size_t beat_count;
    int64_t *downbeats_us;   /* bar starts (a subset of beats_us), malloc'd */
    size_t downbeat_count;
    double tempo_bpm;        /* from a regression over the beat times; 0 when none */
    int beats_per_bar;       /* estimated metre, usually 4 */
    double confidence;       /* 0..1: how much this is music with a steady beat;
                                AVE_MUSIC_CONFIDENCE or more: music */
    ave_music_section *sections; /* energy sections covering the audio, malloc'd */
    size_t section_count;
} ave_beats;

/* What the content stage finds in the transcript. */
enum ave_concept_kind {
    AVE_CONCEPT_DEFINITION,  /* "X is ...": label = X, text = the definition */
    AVE_CONCEPT_NUMBER,      /* a spoken number: value, unit, label = what it measures */
    AVE_CONCEPT_ENUMERATION, /* "first ... second ...": items */
    AVE_CONCEPT_COMPARISON,  /* "X versus Y": items[0], items[1] */
    AVE_CONCEPT_PROCESS      /* "step one ...": items in order */
};

#define AVE_CONCEPT_MAX_ITEMS 6

typedef struct ave_concept {
    int kind;                 /* enum ave_concept_kind */
    int64_t start_us, end_us; /* source time of the words that triggered it */
    float score;              /* 0..1: how strong and card-worthy */
    char label[96];
    char text[256];           /* the sentence as spoken */
    double value;             /* NUMBER */
    char unit[16];            /* NUMBER: "%", "million", "" */
    int item_count;
    char items[AVE_CONCEPT_MAX_ITEMS][64];
} ave_concept;

typedef struct ave_keyphrase {
    char text[64];
    float score;              /* relative, best = 1 */
    int count;                /* occurrences in the transcript */
    /* 0..1: how likely the recogniser heard it right, from its words'
     * confidence and how often it was heard (docs/METADATA.md) */
    float reliability;
} ave_keyphrase;

typedef struct ave_chapter {
    int64_t start_us;         /* source time */
    int64_t edited_start_us;  /* on the edited video (after cuts); the first is 0 */
    char title[96];
    float reliability;        /* of the keyphrase in the title; 1 for "Part N" */
} ave_chapter;

/* An image the render stage composites over the video (B-roll cards). */
enum ave_overlay_placement { AVE_OVERLAY_FULL, AVE_OVERLAY_PIP };

typedef struct ave_overlay {
    char *image_path;         /* PNG with alpha, malloc'd; the file lives in the job's
                                 scratch or staged outputs until render ends */
    int64_t start_us, end_us; /* source time; shown only where the timeline keeps it */
    int placement;            /* enum ave_overlay_placement */
    int fade_ms;              /* fade in and out */
    /* The same card drawn again for the --aspect versions and shorts, by
     * index of ave_aspect_get, at ave_aspect_size of the picture; NULL
     * where that aspect was not asked for. malloc'd like image_path and
     * freed with it by ave_job_free. Render blends it over the reframed
     * picture instead of letterboxing the card (docs/ASPECT.md). */
    char *aspect_image[AVE_ASPECT_COUNT];
} ave_overlay;

/* A highlight: a stretch of whole sentences of the edit, picked for a short
 * (content stage, --highlights N; docs/HIGHLIGHTS.md has the score). */
typedef struct ave_highlight {
    int64_t start_us, end_us;           /* source time: first word's start, last word's end */
    int64_t edit_start_us, edit_end_us; /* the same on the edited video */
    double score;                       /* the weighted parts below; higher is better */
    /* The parts, 0..1 each: keyphrase density (relative to the best stretch),
     * a question, a number, a list, prosodic movement (loudness and pitch,
     * relative to the best), and the long-pause penalty. */
    double keyphrases, question, number, list, movement, pause;
    double reliability;                 /* of the keyphrase in the title; 1 when neutral */
    char title[64];                     /* from the stretch's own keyphrase, or "Highlight N" */
} ave_highlight;

typedef struct ave_analysis {
    ave_pcm audio;             /* decode stage; empty without an audio stream */
    ave_interval *silences;    /* silence stage: detected pauses, sorted */
    size_t silence_count;
    double noise_floor_db;     /* silence stage: median adaptive floor, dBFS */
    double speech_level_db;    /* silence stage: typical speech level, dBFS */
    double threshold_db;       /* silence stage: median decision threshold */
    ave_word *words;           /* speech stage: sorted by start, malloc'd */
    size_t word_count;
    char asr_engine[32];       /* speech stage: which recogniser produced them */
    ave_frame_features *frames; /* frames stage: sampled frames, by pts, malloc'd */
    size_t frame_count;
    int frame_width, frame_height; /* the analysis picture size */
    ave_scene *scenes;         /* frames stage: shots covering the video, malloc'd */
    size_t scene_count;
    char *headline;            /* content stage: short hook text, malloc'd */
    ave_beats beats;           /* beats stage: empty when not run */
    ave_keyphrase *keyphrases; /* content stage: best first, malloc'd */
    size_t keyphrase_count;
    ave_concept *concepts;     /* content stage: by start time, malloc'd */
    size_t concept_count;
    ave_chapter *chapters;     /* content stage: by time, malloc'd */
    size_t chapter_count;
    ave_overlay *overlays;     /* broll stage: by start time, malloc'd (and each image_path) */
    size_t overlay_count;
    ave_highlight *highlights; /* content stage: best first, malloc'd */
    size_t highlight_count;
} ave_analysis;

/* Progress callback: fraction in [0,1] of the whole job, eta_s < 0 when
 * unknown. Return non-zero to cancel the job (AVE_ERR_CANCELLED). */
typedef int (*ave_progress_fn)(void *opaque, const char *stage, double fraction, double eta_s);

typedef struct ave_job_callbacks {
    ave_progress_fn progress;
    void *opaque;
    /* Optional flag polled between chunks, non-zero to stop. Set it with an
     * atomic store, from a signal handler or another thread: with --parallel
     * it is read by worker threads too, where a plain (even volatile) int is
     * a data race. A lock-free atomic_int is async-signal-safe (C11 7.14.1.1). */
    const atomic_int *cancel_flag;
    /* Optional: the hard end of --timeout. Called on a library thread when
     * the job is still running AVE_JOB_OVERDUE_GRACE_S after its deadline
     * (a stage stuck in a call that cannot be interrupted, such as x264
     * flushing an 8K lookahead). By then the job's partial outputs and
     * scratch folder are gone and later writes are refused, so the host may
     * end the process at once (_exit); message is the one-line error. If
     * it returns, the job stops at its next check as before. Not called
     * once the job has begun moving its results into place. */
    void (*overdue)(void *opaque, const char *message);
} ave_job_callbacks;

/* How long after --timeout the overdue callback comes. */
#define AVE_JOB_OVERDUE_GRACE_S 0.5

/* What --enable-gpu-acceleration found (gpu stage); all empty when not
 * asked for, and the render stage then uses the CPU. */
typedef struct ave_gpu_info {
    int requested;
    char device[16];    /* "cuda", "vaapi", "qsv"; "" when none opened */
    char encoder[32];   /* "h264_nvenc", "h264_qsv"; "" = libx264 */
    char decode[16];    /* the device that decodes the render's video: "cuda", "vaapi"; "" = CPU */
    char fallback[160]; /* why part or all of the work stays on the CPU */
} ave_gpu_info;

/* A later stage's processing of the rendered audio, offered to the render
 * stage (the enhance stage's chain). The pipeline fills run/opts/stage
 * before each stage while a later enabled stage declares
 * ave_stage.audio_post; render may run it on the cut audio on a thread of
 * its own while the video encodes, and mux its result once, instead of the
 * stage rewriting the finished file. Whoever runs it sets ran, t0 (ave_now)
 * and seconds, and adds its CPU time with ave_job_add_stage_cpu under
 * stage; the pipeline then records that time for the stage and does not
 * run it again. Nothing is required to take the offer. */
struct ave_job;
typedef int (*ave_audio_post_fn)(struct ave_job *job, const void *opts, const char *in_path,
                                 const char *out_path);
typedef struct ave_audio_post {
    ave_audio_post_fn run; /* NULL: nothing offered */
    const void *opts;      /* the stage's options (borrowed) */
    const char *stage;     /* its name (static) */
    int ran;               /* run succeeded on the render's audio */
    /* set by run: out_path's nominal audio bit rate, which the container
     * records (MP4's esds) but its demuxer does not give back; 0: unknown */
    int64_t bit_rate;
    double t0, seconds;    /* when it started (ave_now) and its wall time */
} ave_audio_post;

typedef struct ave_job {
    const ave_settings *settings; /* borrowed */
    const ave_config *cfg;        /* borrowed, = ave_settings_config(settings) */
    char *input_path;             /* owned */
    char *input_name;             /* owned: base name without extension */
    char *output_dir;             /* owned: final output folder */
    char *scratch_dir;            /* owned: this job's folder under temp_dir */
    /* The input's sampled content fingerprint (ave_cache_fingerprint), hex,
     * set when the job starts; "" when the input is not a regular file.
     * timeline.json records it so `render` knows its recording. */
    char input_fingerprint[65];

    ave_media_info media;
    ave_analysis analysis;
    ave_timeline timeline;        /* initialised by probe to the whole input */

    int64_t output_duration_us;   /* render: measured length of the edited file */
    int64_t mem_limit_bytes;      /* from --max-memory */
    int64_t mem_reserved_bytes;   /* sum of ave_job_mem_reserve */
    int threads;                  /* codec/analysis threads (0 = auto) */
    ave_gpu_info gpu;             /* gpu stage */
    ave_audio_post audio_post;    /* set by the pipeline, taken or not by render */

    /* Private to the pipeline: timing, metrics, progress, errors. */
    struct ave_job_internal *internal;
} ave_job;

/* Create a job for one input. settings and callbacks are borrowed and must
 * outlive the job. output_dir NULL means the config's or the default. */
int ave_job_new(ave_job **out, const ave_settings *settings, const char *input_path,
                const char *output_dir, const ave_job_callbacks *cb);

/* Run every enabled stage, then write analytics/performance_metrics.json.
 * On failure, partial outputs are removed and the message is available from
 * ave_job_errmsg. The scratch folder is always removed. */
int ave_job_run(ave_job *job);

/* Run only the named registered stages (NULL-terminated list, pipeline
 * order is kept), with outputs and metrics as in ave_job_run. For commands
 * that need part of the pipeline, e.g. `transcribe` (no render). */
int ave_job_run_only(ave_job *job, const char *const *stage_names);

/* Run one task instead of the pipeline (e.g. the CLI's `enhance IN OUT`): the
 * job's clock, --timeout, scratch folder and progress (as one stage named
 * `name`) are set up around fn(job, opaque), and the scratch folder is
 * removed afterwards. fn returns 0 or an AVE_ERR_* code (message recorded
 * with ave_job_fail). No metrics file is written. */
typedef int (*ave_job_task_fn)(ave_job *job, void *opaque);
int ave_job_run_task(ave_job *job, const char *name, ave_job_task_fn fn, void *opaque);

/* A number previously recorded with ave_job_metric_number (section NULL:
 * top level). Returns 0, or AVE_ERR_USAGE when absent or not a number. */
int ave_job_metric_get(const ave_job *job, const char *section, const char *key, double *value);

/* The metrics recorded so far, as the JSON text performance_metrics.json
 * will hold (without the summary keys until the stages before an
 * AVE_STAGE_AFTER_METRICS stage have run). *json is malloc'd: the caller
 * frees it with free(). Returns 0 or AVE_ERR_NOMEM. */
int ave_job_metrics_json(const ave_job *job, char **json);

/* Frees everything the job owns; NULL is fine. */
void ave_job_free(ave_job *job);

/* The first error message recorded for this job ("" when none). */
const char *ave_job_errmsg(const ave_job *job);

/* --- for stages ------------------------------------------------------- */

/* Record an error (the first one wins) and return code, so stages write
 * `return ave_job_fail(job, AVE_ERR_INPUT, "%s: no audio", path);` */
int ave_job_fail(ave_job *job, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Seconds on a monotonic clock, for measuring how long something took. */
double ave_now(void);

/* CPU seconds (user + system) used so far by the calling thread, by the
 * whole process, and by this process's live threads named `name`
 * (pthread_setname_np; a new thread inherits its creator's name) other
 * than the calling one. */
double ave_thread_cpu_s(void);
double ave_process_cpu_s(void);
double ave_named_threads_cpu_s(const char *name);

/* Per-stage CPU time (module_cpu_times in the metrics): the pipeline adds
 * what the thread running a stage used; a stage adds what the threads it
 * started used (they are not the stage thread's). */
void ave_job_add_stage_cpu(ave_job *job, const char *stage, double cpu_s);

/* Report progress within the running stage (0..1). Returns 0, or
 * AVE_ERR_TIMEOUT / AVE_ERR_CANCELLED (with the message recorded) when the
 * job must stop. Cheap: call it between chunks. */
int ave_job_progress(ave_job *job, double stage_fraction);

/* Change one global setting for this job only (--adaptive-processing, or a
 * --max-memory the chosen settings would exceed). value is parsed as the
 * flag's value; string options cannot be changed. Later stages see the new
 * value in job->cfg; the change and reason are recorded in the metrics
 * ("adaptive" section). Returns AVE_ERR_USAGE for an unknown name or value. */
int ave_job_override(ave_job *job, const char *name, const char *value, const char *reason);

/* Account a large allocation against --max-memory. Returns AVE_ERR_LIMIT
 * (message recorded) when it would exceed the budget. */
int ave_job_mem_reserve(ave_job *job, int64_t bytes);
void ave_job_mem_release(ave_job *job, int64_t bytes);

/* Outputs are all-or-nothing: every file a stage writes goes first into a
 * staging folder inside the output folder (.ave-partial-<pid>/). begin returns
 * the path to write (creating folders; *tmp_path is owned by the job and valid
 * until the job is freed); commit marks it complete (flushed to disk); abort
 * deletes it. Only when the whole job succeeds are the committed files renamed
 * into place; on failure the staging folder is removed, so no partial output
 * is ever left behind. relpath is relative to the output folder, e.g.
 * "video/edited.mp4". */
int ave_job_output_begin(ave_job *job, const char *relpath, const char **tmp_path);
int ave_job_output_commit(ave_job *job, const char *relpath);
void ave_job_output_abort(ave_job *job, const char *relpath);

/* Where a committed output can be read by later stages right now (the staged
 * path during the run). NULL when relpath was not committed. Borrowed. */
const char *ave_job_output_path(const ave_job *job, const char *relpath);

/* Write a whole small file atomically (begin + write + commit). */
int ave_job_write_file(ave_job *job, const char *relpath, const void *data, size_t len);

/* Metrics: stages add their figures under a section of
 * performance_metrics.json (section NULL: top level). */
int ave_job_metric_number(ave_job *job, const char *section, const char *key, double value);
int ave_job_metric_string(ave_job *job, const char *section, const char *key, const char *value);
int ave_job_metric_bool(ave_job *job, const char *section, const char *key, int value);

/* Record an API call of `service` costing cost (USD); for AI-service stages. */
int ave_job_count_api_call(ave_job *job, const char *service, double cost);

#ifdef __cplusplus
}
#endif
#endif
