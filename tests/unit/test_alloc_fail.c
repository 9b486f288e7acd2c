/* Allocation failures on the core paths (curl's and SQLite's "torture"):
 * settings (flags, environment, a YAML profile), the timeline (cuts,
 * minimums, frame snap, copy, JSON), a job's staged outputs (write, publish),
 * the results cache (open, store, look up) and the batch job table (open,
 * find, update, meta). Each operation runs with its 1st, 2nd, ... allocation
 * failing until it runs through with none failed. Every run must end cleanly:
 * a negative AVE_ERR_* code, or success with a checked, correct result (a
 * failure some code may absorb, e.g. an optional metric); nothing leaked; no
 * crash; and nothing already stored lost (an out-of-memory is not damage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc_fail.h"
#include "ave/ave.h"
#include "ave/batch.h"
#include "ave/cache.h"
#include "check.h"
#include "core/fsutil.h"
#include "core/job_internal.h"

#if ALLOC_FAIL_AVAILABLE
#define WRONG 1 /* an operation's result when it "succeeded" with wrong output */

static char work[256];
static char path_buf[512];

static const char *in_work(const char *rel)
{
    snprintf(path_buf, sizeof(path_buf), "%s/%s", work, rel);
    return path_buf;
}

/* Run op with each allocation failing in turn; returns the injection points. */
static long torture(const char *name, int (*op)(void), void (*after)(void))
{
    long n, allocations = 0;
    int errors = 0, absorbed = 0;

    CHECK_EQ_INT(op(), 0); /* once unarmed: library-wide lazy set-up happens here */
    for (n = 1;; n++) {
        int failed;
        alloc_fail_arm(n);
        int r = op();
        long leaked = alloc_fail_disarm(&failed, &allocations);
        if (leaked) {
            fprintf(stderr, "%s: allocation %ld failing: %ld block(s) leaked\n", name, n, leaked);
            check_failures++;
        }
        if (r > 0 || r < AVE_ERR_INTERNAL) {
            fprintf(stderr, "%s: allocation %ld failing: result %d\n", name, n, r);
            check_failures++;
        }
        if (after)
            after();
        if (!failed) {
            CHECK_EQ_INT(r, 0);
            break;
        }
        errors += r < 0;
        absorbed += r == 0;
        if (n > 100000) {
            CHECK(!"torture loop does not end");
            break;
        }
    }
    printf("%-10s %4ld allocations: %4ld injection points, %4d clean errors, %3d absorbed\n",
           name, allocations, n - 1, errors, absorbed);
    return n - 1;
}

/* --- settings ------------------------------------------------------------- */

static const char profile_yaml[] = "profiles:\n"
                                   "  studio:\n"
                                   "    inherits: quality_optimized\n"
                                   "    max-memory: 32\n"
                                   "    output: /srv/edits\n";

static int op_settings(void)
{
    ave_settings *s = NULL;
    char err[256];
    char *env[] = {"AI_VIDEO_EDITOR_MIN_SILENCE=1.25", "HOME=/nowhere", NULL};
    int r;

    if ((r = ave_settings_new(&s)) < 0)
        return r;
    if ((r = ave_settings_apply_profile(s, in_work("profiles.yaml"), "studio", err,
                                        sizeof(err))) < 0 ||
        (r = ave_settings_apply_env(s, env, err, sizeof(err))) < 0 ||
        (r = ave_settings_set(s, "quality", "low", AVE_SRC_FLAG, err, sizeof(err))) < 0 ||
        (r = ave_settings_set(s, "temp-dir", "/var/tmp/x", AVE_SRC_FLAG, err, sizeof(err))) < 0)
        goto out;
    const ave_config *c = ave_settings_config(s);
    if (c->max_memory_gb != 32 || !c->output || strcmp(c->output, "/srv/edits") ||
        !c->temp_dir || strcmp(c->temp_dir, "/var/tmp/x") ||
        ave_settings_source(s, "min-silence") != AVE_SRC_ENV ||
        ave_settings_source(s, "quality") != AVE_SRC_FLAG)
        r = WRONG;
out:
    ave_settings_free(s);
    return r;
}

/* --- timeline ------------------------------------------------------------- */

static int op_timeline(void)
{
    ave_timeline tl = {0}, copy = {0};
    char *json = NULL;
    int64_t mapped = 0;
    int r;

    if ((r = ave_timeline_init(&tl, 60000000)) < 0)
        goto out;
    for (int i = 0; i < 40; i++)
        if ((r = ave_timeline_cut(&tl, 1000000 + i * 1400000, 1000000 + i * 1400000 + 500000,
                                  i % 3 ? AVE_REASON_SILENCE : AVE_REASON_FILLER)) < 0)
            goto out;
    if ((r = ave_timeline_keep(&tl, 5000000, 5600000)) < 0 ||
        (r = ave_timeline_enforce_minimums(&tl, 300000, 200000)) < 0 ||
        (r = ave_timeline_snap(&tl, 1001, 30000)) < 0 || (r = ave_timeline_copy(&copy, &tl)) < 0)
        goto out;
    if (!(json = ave_timeline_json(&copy, "/in/talk.mp4", "0123abcd"))) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    if ((r = ave_timeline_map(&copy, 30000000, &mapped)) < 0)
        goto out;
    r = copy.count == tl.count && ave_timeline_kept_duration(&copy) < 60000000 &&
                strstr(json, "\"segments\"") && mapped > 0 && mapped < 30000000
            ? 0
            : WRONG;
out:
    free(json);
    ave_timeline_free(&copy);
    ave_timeline_free(&tl);
    return r;
}

/* --- staged outputs ------------------------------------------------------- */

static ave_settings *job_settings;

static int op_outputs(void)
{
    ave_job *job = NULL;
    struct stat st;
    int r;

    if ((r = ave_job_new(&job, job_settings, "/in/talk.mp4", in_work("out"), NULL)) < 0)
        return r;
    if ((r = ave_job_write_file(job, "analysis/a.json", "{}", 2)) < 0 ||
        (r = ave_job_write_file(job, "timeline.json", "[]", 2)) < 0 ||
        (r = ave_job_outputs_publish(job)) < 0)
        goto out;
    r = stat(in_work("out/analysis/a.json"), &st) == 0 && st.st_size == 2 &&
                stat(in_work("out/timeline.json"), &st) == 0
            ? 0
            : WRONG;
out:
    ave_job_free(job);
    return r;
}

static void clear_outputs(void)
{
    /* a failed job must leave no staging folder behind */
    char name[64];
    snprintf(name, sizeof(name), "out/.ave-partial-%ld", (long)getpid());
    CHECK(access(in_work(name), F_OK) != 0);
    ave_fs_remove_tree(in_work("out"));
}

/* --- results cache -------------------------------------------------------- */

static int op_cache(void)
{
    ave_cache_options o;
    ave_cache *c = NULL;
    void *blob = NULL;
    size_t size = 0;
    ave_cache_stats st;
    int r;

    ave_cache_options_init(&o);
    o.dir = in_work("cache");
    if ((r = ave_cache_open(&c, &o)) < 0)
        return r;
    if ((r = ave_cache_get(c, AVE_CACHE_AUDIO, "kept", NULL, NULL, &blob, &size)) < 0 ||
        (r = ave_cache_put(c, AVE_CACHE_AUDIO, "new", "check", "fresh", 5)) < 0 ||
        (r = ave_cache_get_stats(c, 0, &st)) < 0)
        goto out;
    r = blob && size == 4 && !memcmp(blob, "keep", 4) && !ave_cache_recovered(c) ? 0 : WRONG;
out:
    free(blob);
    ave_cache_close(c);
    return r;
}

/* An out-of-memory in SQLite must never look like damage: the database (and
 * its entry) stays where it was. */
static void cache_intact(void)
{
    ave_cache_options o;
    ave_cache *c = NULL;
    void *blob = NULL;
    size_t size = 0;

    ave_cache_options_init(&o);
    o.dir = in_work("cache");
    CHECK_EQ_INT(ave_cache_open(&c, &o), 0);
    if (!c)
        return;
    CHECK_EQ_INT(ave_cache_get(c, AVE_CACHE_AUDIO, "kept", NULL, NULL, &blob, &size), 0);
    CHECK(blob && size == 4);
    CHECK(ave_cache_recovered(c) == NULL);
    free(blob);
    ave_cache_close(c);
}

/* --- batch job table ------------------------------------------------------ */

static int op_batch_db(void)
{
    ave_batch_db *db = NULL;
    ave_batch_job j = {0};
    char err[256], **dirs = NULL;
    size_t ndirs = 0;
    double v = 0;
    int r;

    if ((r = ave_batch_db_open(in_work("jobs.db"), &db, err, sizeof(err))) < 0)
        return r;
    if ((r = ave_batch_db_find(db, "/in/a.mp4", &j)) < 0)
        goto out;
    if (r != 1) {
        r = WRONG;
        goto out;
    }
    j.attempts++;
    free(j.last_error);
    if (!(j.last_error = strdup("transient"))) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    if ((r = ave_batch_db_update(db, &j)) < 0 ||
        (r = ave_batch_db_set_meta(db, "memory_calibration", 1.5)) < 0 ||
        (r = ave_batch_db_get_meta(db, "memory_calibration", &v)) < 0 ||
        (r = ave_batch_db_outputs(db, &dirs, &ndirs)) < 0)
        goto out;
    r = v == 1.5 && ndirs == 1 && !strcmp(dirs[0], "/out/a") ? 0 : WRONG;
out:
    ave_batch_free_list(dirs, ndirs);
    ave_batch_job_clear(&j);
    ave_batch_db_close(db);
    return r;
}

static void setup(void)
{
    FILE *f = fopen(in_work("profiles.yaml"), "w");
    CHECK(f != NULL);
    if (f) {
        fputs(profile_yaml, f);
        fclose(f);
    }
    CHECK_EQ_INT(ave_settings_new(&job_settings), 0);

    ave_cache_options o;
    ave_cache *c = NULL;
    ave_cache_options_init(&o);
    o.dir = in_work("cache");
    CHECK_EQ_INT(ave_cache_open(&c, &o), 0);
    if (c)
        CHECK_EQ_INT(ave_cache_put(c, AVE_CACHE_AUDIO, "kept", "check", "keep", 4), 0);
    ave_cache_close(c);

    ave_batch_db *db = NULL;
    char err[256];
    CHECK_EQ_INT(ave_batch_db_open(in_work("jobs.db"), &db, err, sizeof(err)), 0);
    if (db) {
        ave_batch_job j = {0};
        j.input = strdup("/in/a.mp4");
        j.output_dir = strdup("/out/a");
        j.engine = strdup("local");
        j.state = AVE_BATCH_QUEUED;
        j.exit_code = -1;
        CHECK_EQ_INT(ave_batch_db_insert(db, &j), 0);
        ave_batch_job_clear(&j);
    }
    ave_batch_db_close(db);
}
#endif

int main(void)
{
#if !ALLOC_FAIL_AVAILABLE
    printf("allocation-failure injection needs glibc's allocator (not under a sanitizer)\n");
    return CHECK_DONE();
#else
    /* tmpfs when there is one: each of ~1700 cache and job-table runs
     * commits, and fsync on a disk made the test take 21 s instead of 0.8 s. */
    snprintf(work, sizeof(work), "%s/ave-test-allocfail-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(work))
        return 1;
    ave_log_set_level(AVE_LOG_QUIET); /* the warnings of each failing run are expected */

    /* The interposer itself: the chosen allocation fails, a leak is seen. */
    int failed;
    alloc_fail_arm(2);
    char *a = malloc(8), *b = malloc(8), *c = strdup("leak");
    CHECK(a && !b && c);
    free(a);
    CHECK_EQ_INT(alloc_fail_disarm(&failed, NULL), 1);
    CHECK(failed);
    free(c);
    setup();
    CHECK(torture("settings", op_settings, NULL) > 0);
    CHECK(torture("timeline", op_timeline, NULL) > 0);
    CHECK(torture("outputs", op_outputs, clear_outputs) > 0);
    CHECK(torture("cache", op_cache, cache_intact) > 0);
    CHECK(torture("job table", op_batch_db, NULL) > 0);
    ave_settings_free(job_settings);
    ave_fs_remove_tree(work);
    return CHECK_DONE();
#endif
}
