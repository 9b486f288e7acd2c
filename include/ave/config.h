/* The job configuration and how it is assembled.
 *
 * Precedence: defaults < profile (performance_profiles.yaml) < environment
 * (AI_VIDEO_EDITOR_*) < command-line flags. ave_settings holds the global
 * ave_config plus one options struct per registered stage, so a flag, profile
 * key or environment variable can address any of them by name. */
#ifndef AVE_CONFIG_H
#define AVE_CONFIG_H

#include <stddef.h>
#include "ave/options.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ave_content_type { AVE_TYPE_EDUCATIONAL, AVE_TYPE_MUSIC, AVE_TYPE_GENERAL };
enum ave_quality { AVE_QUALITY_LOW, AVE_QUALITY_MEDIUM, AVE_QUALITY_HIGH, AVE_QUALITY_ULTRA };

/* What --enable-beat-sync snaps cuts to. */
enum ave_beat_sync_to { AVE_BEAT_SYNC_BEATS, AVE_BEAT_SYNC_BARS };

/* Encoder settings for one --quality level: render encodes with them,
 * enhance re-encodes the audio at the same bitrate, the benchmark runs plain
 * ffmpeg with them. */
typedef struct ave_encoder_settings {
    const char *x264_preset; /* static string, e.g. "faster" */
    int crf;                 /* x264 constant rate factor */
    int audio_bitrate;       /* AAC bits per second */
} ave_encoder_settings;

/* Fill *out for quality (enum ave_quality):
 *   low    -> preset veryfast, crf 28, AAC  96 kb/s
 *   medium -> preset faster,   crf 23, AAC 128 kb/s
 *   high   -> preset medium,   crf 20, AAC 160 kb/s
 *   ultra  -> preset slow,     crf 17, AAC 192 kb/s
 * Returns 0, or AVE_ERR_USAGE for an unknown level (*out untouched). */
int ave_quality_encoder_settings(int quality, ave_encoder_settings *out);
enum ave_mode { AVE_MODE_FAST, AVE_MODE_BALANCED, AVE_MODE_HIGH_QUALITY };

typedef struct ave_config {
    int content_type;     /* enum ave_content_type */
    int quality;          /* enum ave_quality: encoder settings */
    int mode;             /* enum ave_mode: analysis depth */
    double max_memory_gb; /* memory budget for the job's large buffers */
    int parallel;         /* use several threads */
    char *output;         /* output folder; NULL: ./output/<input-name>/ */
    char *temp_dir;       /* scratch folder; NULL: $TMPDIR or /tmp */
    double timeout_s;     /* 0: none */
    double api_timeout_s;
    char *profile;        /* profile name, NULL: none */
    char *profiles_file;  /* explicit performance_profiles.yaml */
    int enable_caching;
    int cache_aggressive;      /* --cache-aggressive (docs/ARCHITECTURE.md, "Caching a stage") */
    double cache_size_gb;
    double api_rate_limit; /* requests per minute */
    double api_retry_delay_s;  /* --api-retry-delay: first backoff of a retried request */
    int64_t api_batch_size;    /* --api-batch-size: service requests in flight at once */
    int progress;          /* show progress (bar on a terminal, lines otherwise) */
    int enable_beat_sync;
    int beat_sync_to;          /* --sync-to: enum ave_beat_sync_to */
    double beat_tolerance_s;   /* --beat-tolerance: 0 = half a beat (or bar) */
    double target_duration_s;  /* --target-duration: 0 = keep the whole length */
    int disable_filler_detection;
    int enable_broll_generation;
    int enable_concept_detection;
    int adaptive_processing;
    int enable_gpu_acceleration;
    double gpu_memory_limit_gb; /* --gpu-memory-limit (0: none); recorded until a GPU path
                                   exists in this build */
    int gpu_memory_growth;      /* --gpu-memory-growth */
    char *cache_dir;       /* results cache folder; NULL: ave_cache_default_dir() */
    int export_only;       /* --export-only: write the NLE exports (all formats unless
                              --export names some), skip render, enhance and broll */
} ave_config;

/* The table describing ave_config (NULL-name terminated). */
const ave_option *ave_config_options(void);

/* Where a value came from, for --help/metrics and precedence checks. */
enum ave_source { AVE_SRC_DEFAULT, AVE_SRC_PROFILE, AVE_SRC_ENV, AVE_SRC_FLAG };

typedef struct ave_settings ave_settings;
struct ave_stage; /* ave/stage.h */

/* Allocate settings with every default filled in: the global config and one
 * options struct per registered stage (ave_stage_registry). Caller frees
 * with ave_settings_free. */
int ave_settings_new(ave_settings **out);
/* The same over the given stages only (count of them; borrowed, must
 * outlive the settings): how the configuration layer learns the stages
 * without reaching up to the registry, as FFmpeg is handed its filter
 * lists. ave_settings_new passes the registry. */
int ave_settings_new_for_stages(ave_settings **out, const struct ave_stage *const *stages,
                                size_t count);
void ave_settings_free(ave_settings *s);
/* The stages the settings were made for, in pipeline order (borrowed). */
const struct ave_stage *const *ave_settings_stages(const ave_settings *s, size_t *count);

/* Borrowed pointers, valid until ave_settings_free. */
const ave_config *ave_settings_config(const ave_settings *s);
/* Options struct of a registered stage, or NULL if it has none. */
const void *ave_settings_stage_opts(const ave_settings *s, const char *stage_name);

/* Set one option by name (global first, then stages; '-' or '_'). On error
 * returns AVE_ERR_USAGE with a one-line message in err, e.g.
 * "--quality: 'best' is not one of low|medium|high|ultra". */
int ave_settings_set(ave_settings *s, const char *name, const char *value, int source,
                     char *err, size_t errlen);

/* The option a name refers to (the same resolution as ave_settings_set:
 * global first, then stages; "stage.name" addresses one stage; '-' or '_').
 * *owner (may be NULL) receives NULL or the stage name. NULL when unknown. */
const ave_option *ave_settings_find_option(const ave_settings *s, const char *name,
                                           const char **owner);

/* The source of an option's current value (AVE_SRC_DEFAULT if unknown). */
int ave_settings_source(const ave_settings *s, const char *name);

/* Apply AI_VIDEO_EDITOR_<NAME> variables from envp (NULL-terminated, like
 * environ). Unknown AI_VIDEO_EDITOR_* names are ignored with a warning since
 * other tools of the family may share the prefix; bad values are errors. */
int ave_settings_apply_env(ave_settings *s, char *const *envp, char *err, size_t errlen);

/* Find performance_profiles.yaml: explicit path if given, else
 * ./performance_profiles.yaml, else $XDG_CONFIG_HOME/ai-video-editor/ (or
 * ~/.config/ai-video-editor/). *path_out is malloc'd (caller frees) or NULL
 * when no file exists (then only built-in profiles are available). */
int ave_profiles_locate(const char *explicit_path, char **path_out);

/* Apply profile `name` from the YAML file at path (NULL: built-ins only).
 * Profiles in the file override built-in ones of the same name. Errors name
 * the file, line and key: "profiles.yaml:12: key 'qualty': unknown option". */
int ave_settings_apply_profile(ave_settings *s, const char *path, const char *name, char *err,
                               size_t errlen);

/* Names of profiles available (built-in plus file); for --help. Writes a
 * comma-separated list into buf. */
int ave_profiles_list(const char *path, char *buf, size_t len);

/* Iterate every option (global then stages). owner is NULL for global options
 * or the stage name. Return non-zero from fn to stop. */
typedef int (*ave_settings_visit_fn)(void *opaque, const char *owner, const ave_option *opt,
                                      const void *target, int source);
int ave_settings_foreach(const ave_settings *s, ave_settings_visit_fn fn, void *opaque);

#ifdef __cplusplus
}
#endif
#endif
