/* The option table of the global configuration (ave_config).
 *
 * Names are the command-line flag names without "--"; the same table drives
 * profile keys and AI_VIDEO_EDITOR_* variables. Options whose `stage` is not
 * registered in this build are still accepted (the job reports them as
 * requested but unavailable), so help texts describe the feature only. */
#include <stddef.h>

#include "ave/config.h"

static const char *const type_choices[] = {"educational", "music", "general", NULL};
static const char *const quality_choices[] = {"low", "medium", "high", "ultra", NULL};
static const char *const mode_choices[] = {"fast", "balanced", "high_quality", NULL};
static const char *const beat_sync_choices[] = {"beats", "bars", NULL};

#define OFF(field) offsetof(ave_config, field)

static const ave_option config_options[] = {
    {.name = "type", .type = AVE_OPT_ENUM, .offset = OFF(content_type),
     .def.i = AVE_TYPE_GENERAL, .choices = type_choices,
     .help = "kind of content, tunes the analysis"},
    {.name = "quality", .type = AVE_OPT_ENUM, .offset = OFF(quality), .def.i = AVE_QUALITY_HIGH,
     .choices = quality_choices,
     .help = "output encoder settings (x264 preset and CRF, see README)",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "mode", .type = AVE_OPT_ENUM, .offset = OFF(mode), .def.i = AVE_MODE_BALANCED,
     .choices = mode_choices, .help = "analysis depth: fast skims, high_quality looks closer"},
    {.name = "max-memory", .type = AVE_OPT_DOUBLE, .offset = OFF(max_memory_gb), .def.d = 8,
     .min = 0.25, .max = 1024, .help = "memory budget in GB for the job's large buffers",
     .flags = AVE_OPTF_NO_RESULT | AVE_OPTF_SIZE_GB},
    {.name = "parallel", .type = AVE_OPT_BOOL, .offset = OFF(parallel), .def.i = 1,
     .help = "use several threads for decoding, analysis and encoding",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "output", .type = AVE_OPT_STRING, .offset = OFF(output), .def.s = NULL,
     .help = "output folder (default: ./output/<input-name>/)",
     .flags = AVE_OPTF_PATH | AVE_OPTF_NO_RESULT},
    {.name = "temp-dir", .type = AVE_OPT_STRING, .offset = OFF(temp_dir), .def.s = NULL,
     .help = "folder for scratch files (default: $TMPDIR or /tmp)",
     .flags = AVE_OPTF_PATH | AVE_OPTF_NO_RESULT},
    {.name = "timeout", .type = AVE_OPT_DOUBLE, .offset = OFF(timeout_s), .def.d = 0,
     .min = 0, .max = 604800, .help = "stop the job after this many seconds (0: no limit)",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "api-timeout", .type = AVE_OPT_DOUBLE, .offset = OFF(api_timeout_s), .def.d = 30,
     .min = 1, .max = 3600, .help = "seconds to wait for each request to an AI service",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "profile", .type = AVE_OPT_STRING, .offset = OFF(profile), .def.s = NULL,
     .help = "apply a performance profile (built-in or from performance_profiles.yaml)",
     .flags = AVE_OPTF_CLI_ONLY | AVE_OPTF_NO_RESULT},
    {.name = "profiles-file", .type = AVE_OPT_STRING, .offset = OFF(profiles_file),
     .def.s = NULL, .help = "read profiles from this YAML file instead of the usual places",
     .flags = AVE_OPTF_CLI_ONLY | AVE_OPTF_PATH | AVE_OPTF_NO_RESULT},
    {.name = "enable-caching", .type = AVE_OPT_BOOL, .offset = OFF(enable_caching), .def.i = 1,
     .help = "reuse analysis results cached by earlier runs (--no-cache: off)",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "cache-size-gb", .type = AVE_OPT_DOUBLE, .offset = OFF(cache_size_gb), .def.d = 2,
     .min = 0, .max = 10000, .help = "largest size in GB the cache may grow to",
     .flags = AVE_OPTF_NO_RESULT | AVE_OPTF_SIZE_GB},
    {.name = "cache-dir", .type = AVE_OPT_STRING, .offset = OFF(cache_dir), .def.s = NULL,
     .help = "results cache folder (default: $XDG_CACHE_HOME/ai-video-editor)",
     .flags = AVE_OPTF_PATH | AVE_OPTF_NO_RESULT},
    {.name = "cache-aggressive", .type = AVE_OPT_BOOL, .offset = OFF(cache_aggressive),
     .def.i = 0,
     .help = "keep AI-service answers and trends 7 days (not 1 h / 24 h) and reuse frame "
             "analysis across changes of options it does not read",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "api-rate-limit", .type = AVE_OPT_DOUBLE, .offset = OFF(api_rate_limit),
     .def.d = 60, .min = 0, .max = 100000,
     .help = "most requests per minute sent to AI services (0: unlimited)",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "api-batch-size", .type = AVE_OPT_INT, .offset = OFF(api_batch_size), .def.i = 1,
     .min = 1, .max = 64,
     .help = "AI-service requests sent at once (the recogniser's uploads); the next batch "
             "waits for the last and for --api-rate-limit",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "api-retry-delay", .type = AVE_OPT_DOUBLE, .offset = OFF(api_retry_delay_s),
     .def.d = 1, .min = 0, .max = 600,
     .help = "seconds before the first retry of a refused AI-service request (doubling "
             "after each; a Retry-After answer wins)",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "progress", .type = AVE_OPT_BOOL, .offset = OFF(progress), .def.i = 1,
     .help = "show progress (a bar on a terminal, plain lines otherwise)",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = "enable-beat-sync", .type = AVE_OPT_BOOL, .offset = OFF(enable_beat_sync),
     .def.i = 0, .help = "place cuts on the beats of the music", .stage = "beats"},
    /* Read by the beats stage (whether to run) and by plan (what to do with
     * the beats), so they are global rather than one stage's. */
    {.name = "sync-to", .type = AVE_OPT_ENUM, .offset = OFF(beat_sync_to),
     .def.i = AVE_BEAT_SYNC_BEATS, .choices = beat_sync_choices, .stage = "beats",
     .help = "with --enable-beat-sync, snap cuts to every beat or only to bar starts"},
    {.name = "beat-tolerance", .type = AVE_OPT_DOUBLE, .offset = OFF(beat_tolerance_s),
     .def.d = 0, .min = 0, .max = 10, .stage = "beats",
     .help = "farthest a cut moves to reach a beat, seconds (0: half a beat or bar)"},
    {.name = "target-duration", .type = AVE_OPT_DOUBLE, .offset = OFF(target_duration_s),
     .def.d = 0, .min = 0, .max = 86400, .stage = "beats",
     .help = "music longer than this (s) keeps its loudest sections, in whole bars (0: off)"},
    {.name = "disable-filler-detection", .type = AVE_OPT_BOOL,
     .offset = OFF(disable_filler_detection), .def.i = 0,
     .help = "keep filler words (um, uh) instead of cutting them", .stage = "speech"},
    {.name = "enable-broll-generation", .type = AVE_OPT_BOOL,
     .offset = OFF(enable_broll_generation), .def.i = 0,
     .help = "insert B-roll visuals suggested by what is said", .stage = "broll"},
    {.name = "enable-concept-detection", .type = AVE_OPT_BOOL,
     .offset = OFF(enable_concept_detection), .def.i = 0,
     .help = "detect key concepts for chapters and highlights", .stage = "content"},
    {.name = "adaptive-processing", .type = AVE_OPT_BOOL, .offset = OFF(adaptive_processing),
     .def.i = 0, .help = "tune analysis settings to the content and the machine",
     .stage = "adaptive"},
    {.name = "enable-gpu-acceleration", .type = AVE_OPT_BOOL,
     .offset = OFF(enable_gpu_acceleration), .def.i = 0,
     .help = "use the GPU for decoding, encoding and analysis", .stage = "gpu"},
    {.name = "gpu-memory-limit", .type = AVE_OPT_DOUBLE, .offset = OFF(gpu_memory_limit_gb),
     .def.d = 0, .min = 0, .max = 4096,
     .help = "most GPU memory the GPU path may use, in GB or with a unit (4GB, 512MB); 0: "
             "no limit",
     .stage = "gpu", .flags = AVE_OPTF_NO_RESULT | AVE_OPTF_SIZE_GB},
    {.name = "gpu-memory-growth", .type = AVE_OPT_BOOL, .offset = OFF(gpu_memory_growth),
     .def.i = 0, .help = "the original tool's setting, accepted; no effect: the GPU encoder allocates its "
             "surfaces when it opens (--gpu-memory-limit bounds them)",
     .stage = "gpu", .flags = AVE_OPTF_NO_RESULT},
    {.name = "export-only", .type = AVE_OPT_BOOL, .offset = OFF(export_only), .def.i = 0,
     .help = "write the NLE exports (all formats unless --export names some) without "
             "rendering: render, enhance and broll are skipped",
     .stage = "export", .flags = AVE_OPTF_NO_RESULT},
    {.name = NULL},
};

const ave_option *ave_config_options(void)
{
    return config_options;
}
