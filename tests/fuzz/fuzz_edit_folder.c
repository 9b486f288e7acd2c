/* Fuzz target: the other files `render OUTPUT_DIR` reads from a finished
 * output folder, which the user may have edited: timeline.json's "input"
 * (ave_edit_input_path), the recorded "configuration" of
 * analytics/performance_metrics.json (ave_edit_recorded_settings) and the
 * B-roll cards of broll/broll_plan.json (edit_load_overlays). The input is
 * written as all three files of a scratch folder (one JSON object can feed
 * all three readers; the seeds do); a card may name "timeline.json" as its
 * picture, the one file sure to exist. Overlays that load must have sane
 * times inside the folder. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ave/ave.h"
#include "ave/edit.h"
#include "core/fsutil.h"
#include "edit/edit.h"
#include "fuzz.h"

static char dir[64];
static ave_settings *base;

static void cleanup(void)
{
    ave_fs_remove_tree(dir);
    ave_settings_free(base);
}

static int put(const char *rel, const uint8_t *data, size_t size)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    if (!(f = fopen(path, "wb")))
        return -1;
    size_t n = fwrite(data, 1, size, f);
    return fclose(f) == 0 && n == size ? 0 : -1;
}

static int setup(void)
{
    char sub[128];

    if (base)
        return 0;
    snprintf(dir, sizeof(dir), "/dev/shm/ave-fuzz-edit-%ld-XXXXXX", (long)getpid());
    if (!mkdtemp(dir))
        return -1;
    atexit(cleanup);
    snprintf(sub, sizeof(sub), "%s/analytics", dir);
    mkdir(sub, 0700);
    snprintf(sub, sizeof(sub), "%s/broll", dir);
    mkdir(sub, 0700);
    return ave_settings_new(&base) < 0 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ave_settings *s = NULL;
    ave_job *job = NULL;
    char err[512], *input = NULL;
    int ret, applied = -1;

    fuzz_quiet();
    if (setup() < 0 || put("timeline.json", data, size) < 0 ||
        put("analytics/performance_metrics.json", data, size) < 0 ||
        put("broll/broll_plan.json", data, size) < 0)
        return 0;
    ret = ave_edit_input_path(dir, &input, err, sizeof(err));
    FUZZ_CHECK(ret == 0 ? input && input[0] : !input && err[0]);
    free(input);
    if (ave_settings_new(&s) == 0) {
        ret = ave_edit_recorded_settings(s, dir, &applied, err, sizeof(err));
        FUZZ_CHECK(ret == 0 ? applied >= 0 : err[0] != '\0');
        ave_settings_free(s);
    }
    if (ave_job_new(&job, base, "in.mp4", dir, NULL) == 0) {
        ret = edit_load_overlays(job);
        FUZZ_CHECK(ret == 0 || ret == AVE_ERR_NOMEM);
        for (size_t i = 0; i < job->analysis.overlay_count; i++) {
            const ave_overlay *ov = &job->analysis.overlays[i];
            FUZZ_CHECK(ov->image_path && !strstr(ov->image_path, ".."));
            FUZZ_CHECK(ov->start_us >= 0 && ov->start_us < ov->end_us);
        }
        ave_job_free(job);
    }
    return 0;
}
