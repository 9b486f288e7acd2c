/* Fuzz target: a results-cache entry as the pipeline reads it back from
 * cache.db (stage_cache_apply_body: the envelope with its metrics JSON, then the
 * stage's cache_load through the ave_blob_read_* reader). The first byte
 * picks the stage (silence, speech, frames), the rest is the entry.
 *
 * The promise checked: a load either fails and leaves the job exactly as it
 * was (the pipeline then runs the stage), or succeeds with results a run
 * could have produced: whole timeline, times in order, finite numbers (the
 * loaders' own checks, src/silence/silence_cache.c and friends, say which).
 * Each input gets a fresh job on a 10 s input. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/ave.h"
#include "core/fsutil.h"
#include "core/job_internal.h"
#include "fuzz.h"
#include "pipeline/stage_cache.h"

#define DURATION 10000000

static char dir[64];
static ave_settings *settings;

static void cleanup(void)
{
    ave_fs_remove_tree(dir);
    ave_settings_free(settings);
}

static int setup(void)
{
    if (settings)
        return 0;
    snprintf(dir, sizeof(dir), "/tmp/ave-fuzz-cache-%ld-XXXXXX", (long)getpid());
    if (!mkdtemp(dir) || ave_settings_new(&settings) < 0)
        return -1;
    atexit(cleanup);
    return 0;
}

static void check_silence(const ave_job *job)
{
    const ave_analysis *a = &job->analysis;
    for (size_t i = 0; i < a->silence_count; i++) {
        FUZZ_CHECK(a->silences[i].start_us >= 0 && a->silences[i].start_us < a->silences[i].end_us);
        FUZZ_CHECK(i == 0 || a->silences[i - 1].end_us <= a->silences[i].start_us);
    }
    FUZZ_CHECK(isfinite(a->noise_floor_db) && isfinite(a->speech_level_db) &&
               isfinite(a->threshold_db));
}

static void check_speech(const ave_job *job)
{
    const ave_analysis *a = &job->analysis;
    FUZZ_CHECK(memchr(a->asr_engine, '\0', sizeof(a->asr_engine)));
    for (size_t i = 0; i < a->word_count; i++) {
        const ave_word *w = &a->words[i];
        FUZZ_CHECK(w->start_us >= 0 && w->start_us <= w->end_us);
        FUZZ_CHECK(i == 0 || a->words[i - 1].start_us <= w->start_us);
        FUZZ_CHECK(memchr(w->text, '\0', sizeof(w->text)));
        FUZZ_CHECK(isfinite(w->confidence) && isfinite(w->filler_score));
    }
}

static void check_frames(const ave_job *job)
{
    const ave_analysis *a = &job->analysis;
    for (size_t i = 0; i < a->frame_count; i++) {
        const ave_frame_features *f = &a->frames[i];
        const float v[8] = {f->sharpness,   f->brightness,    f->contrast, f->clip_dark,
                            f->clip_bright, f->colourfulness, f->motion,   f->scene_distance};
        for (int k = 0; k < 8; k++)
            FUZZ_CHECK(isfinite(v[k]));
        FUZZ_CHECK(f->scene_index >= 0 && (size_t)f->scene_index < a->scene_count);
        FUZZ_CHECK(f->face_count >= 0 && f->face_count <= AVE_FRAME_MAX_FACES);
        for (int k = 0; k < f->face_count; k++)
            FUZZ_CHECK(isfinite(f->faces[k].x) && isfinite(f->faces[k].y) &&
                       isfinite(f->faces[k].w) && isfinite(f->faces[k].h));
    }
    for (size_t i = 0; i < a->scene_count; i++) {
        FUZZ_CHECK(a->scenes[i].start_us <= a->scenes[i].end_us);
        FUZZ_CHECK(isfinite(a->scenes[i].cut_strength));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[3] = {"silence", "speech", "frames"};
    const ave_stage *stage;
    ave_job *job = NULL;
    int ret;

    fuzz_quiet();
    if (size < 1 || setup() < 0)
        return 0;
    FUZZ_CHECK((stage = ave_stage_find(names[data[0] % 3])) && stage->cache_load);
    if (ave_job_new(&job, settings, "in.mp4", dir, NULL) < 0)
        return 0;
    if (ave_timeline_init(&job->timeline, DURATION) < 0)
        goto out;
    ret = stage_cache_apply_body(job, stage, data + 1, size - 1);
    if (ret < 0) {
        const ave_analysis *a = &job->analysis;
        FUZZ_CHECK(job->timeline.count == 1 && job->timeline.duration_us == DURATION);
        FUZZ_CHECK(!a->silences && !a->words && !a->frames && !a->scenes && !a->asr_engine[0]);
        FUZZ_CHECK(!cJSON_GetObjectItemCaseSensitive(job->internal->metrics, stage->name));
        FUZZ_CHECK(job->mem_reserved_bytes == 0);
        goto out;
    }
    FUZZ_CHECK(job->timeline.duration_us == DURATION);
    fuzz_check_timeline(&job->timeline);
    if (stage == ave_stage_find("silence"))
        check_silence(job);
    else if (stage == ave_stage_find("speech"))
        check_speech(job);
    else
        check_frames(job);
    /* The stage's metrics section, whatever JSON it was, takes new values. */
    FUZZ_CHECK(ave_job_metric_number(job, stage->name, "fuzz", 1) == 0);
out:
    ave_job_free(job);
    return 0;
}
