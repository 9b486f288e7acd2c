/* Job core: first error wins, memory budget, timeout and cancel through
 * ave_job_progress, staged outputs published only on success, stale staging
 * and scratch folders of dead processes removed, exit-code mapping. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ave/ave.h"
#include "check.h"
#include "core/fsutil.h"
#include "core/job_internal.h"

static char work[256];

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static char *path_in(const char *rel)
{
    return ave_fs_join(work, rel);
}

static void test_errors_and_budget(ave_settings *s)
{
    ave_job *job = NULL;
    CHECK_EQ_INT(ave_job_new(&job, s, "/nowhere/talk.final.mp4", NULL, NULL), 0);
    CHECK(!strcmp(job->input_name, "talk.final"));
    CHECK(!strcmp(job->output_dir, "output/talk.final"));
    CHECK_EQ_INT(ave_job_fail(job, AVE_ERR_INPUT, "first %d", 1), AVE_ERR_INPUT);
    CHECK_EQ_INT(ave_job_fail(job, AVE_ERR_IO, "second"), AVE_ERR_IO);
    CHECK(!strcmp(ave_job_errmsg(job), "first 1"));

    job->mem_limit_bytes = 1000;
    CHECK_EQ_INT(ave_job_mem_reserve(job, 600), 0);
    CHECK_EQ_INT(ave_job_mem_reserve(job, 600), AVE_ERR_LIMIT);
    ave_job_mem_release(job, 600);
    CHECK_EQ_INT(ave_job_mem_reserve(job, 900), 0);
    CHECK_EQ_INT(job->mem_reserved_bytes, 900);
    ave_job_free(job);
}

static void test_timeout_and_cancel(ave_settings *s)
{
    ave_job *job = NULL;
    atomic_int cancel = 0;
    ave_job_callbacks cb = {.cancel_flag = &cancel};
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", NULL, &cb), 0);
    job->internal->deadline = 0;
    CHECK_EQ_INT(ave_job_progress(job, 0.5), 0);
    atomic_store(&cancel, 1);
    CHECK_EQ_INT(ave_job_progress(job, 0.5), AVE_ERR_CANCELLED);
    ave_job_free(job);

    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", NULL, NULL), 0);
    job->internal->deadline = ave_now() - 1;
    CHECK_EQ_INT(ave_job_progress(job, 0.1), AVE_ERR_TIMEOUT);
    CHECK(strstr(ave_job_errmsg(job), "timeout") != NULL);
    ave_job_free(job);
}

/* A stage on a worker thread polling progress, as frames and beats do under
 * --parallel. Run under ThreadSanitizer (make test-tsan), where a plain read
 * of the cancel flag or of the job's error code is reported as a race. */
typedef struct poller {
    ave_job *job;
    atomic_int started;
    int result;
} poller;

static void *poll_until_stopped(void *arg)
{
    poller *p = arg;
    int r;
    atomic_store(&p->started, 1);
    while ((r = ave_job_progress(p->job, 0.5)) == 0)
        usleep(200);
    p->result = r;
    return NULL;
}

static void *fail_job(void *arg)
{
    ave_job_fail(arg, AVE_ERR_INPUT, "worker failed");
    return NULL;
}

static void test_stop_across_threads(ave_settings *s)
{
    ave_job *job = NULL;
    atomic_int cancel = 0;
    ave_job_callbacks cb = {.cancel_flag = &cancel};
    poller p = {0};
    pthread_t t;

    /* Cancel set on this thread (as the signal handler does) reaches a worker. */
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", NULL, &cb), 0);
    p.job = job;
    CHECK_EQ_INT(pthread_create(&t, NULL, poll_until_stopped, &p), 0);
    while (!atomic_load(&p.started))
        usleep(100);
    usleep(2000);
    atomic_store(&cancel, 1);
    pthread_join(t, NULL);
    CHECK_EQ_INT(p.result, AVE_ERR_CANCELLED);
    CHECK(strstr(ave_job_errmsg(job), "interrupted") != NULL);
    ave_job_free(job);

    /* A timeout strikes on the worker while the owner waits. */
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", NULL, NULL), 0);
    job->internal->deadline = ave_now() + 0.02;
    p = (poller){.job = job};
    CHECK_EQ_INT(pthread_create(&t, NULL, poll_until_stopped, &p), 0);
    pthread_join(t, NULL);
    CHECK_EQ_INT(p.result, AVE_ERR_TIMEOUT);
    ave_job_free(job);

    /* A worker's failure stops the owner's next progress call. */
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", NULL, NULL), 0);
    __atomic_add_fetch(&job->internal->workers, 1, __ATOMIC_RELEASE);
    CHECK_EQ_INT(pthread_create(&t, NULL, fail_job, job), 0);
    int r;
    while ((r = ave_job_progress(job, 0.5)) == 0)
        usleep(200);
    pthread_join(t, NULL);
    CHECK_EQ_INT(r, AVE_ERR_INPUT);
    CHECK_EQ_INT(ave_job_errcode(job), AVE_ERR_INPUT);
    __atomic_sub_fetch(&job->internal->workers, 1, __ATOMIC_RELEASE);
    ave_job_free(job);
}

static void test_staged_outputs(ave_settings *s)
{
    char *out = path_in("out");
    char *final_txt = path_in("out/sub/a.txt");
    ave_job *job = NULL;
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", out, NULL), 0);
    CHECK_EQ_INT(ave_job_write_file(job, "sub/a.txt", "hello", 5), 0);
    const char *staged = ave_job_output_path(job, "sub/a.txt");
    CHECK(staged != NULL && exists(staged));
    CHECK(!exists(final_txt)); /* nothing visible before success */
    CHECK_EQ_INT(ave_job_outputs_publish(job), 0);
    CHECK(exists(final_txt));
    ave_job_free(job);
    /* staging folder gone: the result and the folder's manifest remain */
    char *manifest = path_in("out/.ave-outputs.json");
    struct stat ms;
    CHECK(stat(manifest, &ms) == 0);
    CHECK_EQ_INT(ave_fs_tree_bytes(out), 5 + (int64_t)ms.st_size);
    free(manifest);

    /* A failed job leaves the earlier results and nothing new. */
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", out, NULL), 0);
    CHECK_EQ_INT(ave_job_write_file(job, "sub/b.txt", "partial", 7), 0);
    ave_job_free(job); /* freed without publishing: a failure */
    char *b = path_in("out/sub/b.txt");
    CHECK(!exists(b));
    CHECK(exists(final_txt));
    free(b);

    /* A folder we created and left empty is removed on failure. */
    char *fresh = path_in("fresh/out");
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", fresh, NULL), 0);
    CHECK_EQ_INT(ave_job_write_file(job, "x.txt", "x", 1), 0);
    ave_job_free(job);
    CHECK(!exists(fresh));
    free(fresh);

    /* Invalid relative paths are refused. */
    const char *tmp;
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", out, NULL), 0);
    CHECK(ave_job_output_begin(job, "../escape.txt", &tmp) < 0);
    CHECK(ave_job_output_begin(job, "/abs.txt", &tmp) < 0);
    ave_job_free(job);
    free(out);
    free(final_txt);
}

static void test_stale_cleanup(void)
{
    /* pid 2^22+1 is above the default pid_max, so it cannot be running. */
    char *dead = path_in(".ave-partial-4194305");
    char *mine = NULL;
    char name[64];
    snprintf(name, sizeof(name), ".ave-partial-%ld", (long)getpid());
    mine = path_in(name);
    char *other = path_in(".ave-partial-notapid");
    CHECK_EQ_INT(ave_fs_mkdir_p(dead), 0);
    CHECK_EQ_INT(ave_fs_mkdir_p(mine), 0);
    CHECK_EQ_INT(ave_fs_mkdir_p(other), 0);
    CHECK_EQ_INT(ave_fs_remove_stale(work, ".ave-partial-"), 1);
    CHECK(!exists(dead));
    CHECK(exists(mine));
    CHECK(exists(other));
    free(dead);
    free(mine);
    free(other);
}

static void test_fs_helpers(void)
{
    char *file = path_in("plain");
    FILE *fp = fopen(file, "w");
    CHECK(fp != NULL);
    if (fp)
        fclose(fp);
    char *under_file = path_in("plain/sub");
    CHECK_EQ_INT(ave_fs_check_writable_dir(under_file), -ENOTDIR);
    char *deep = path_in("a/b/c");
    CHECK_EQ_INT(ave_fs_check_writable_dir(deep), 0);
    CHECK(!exists(deep)); /* checking creates nothing */
    free(file);
    free(under_file);
    free(deep);
}

struct task_seen {
    int calls;
    int scratch_existed;
    char scratch[512];
};

static int task_records(ave_job *job, void *opaque)
{
    struct task_seen *seen = opaque;
    seen->calls++;
    seen->scratch_existed = job->scratch_dir && exists(job->scratch_dir);
    snprintf(seen->scratch, sizeof(seen->scratch), "%s", job->scratch_dir ? job->scratch_dir : "");
    return ave_job_metric_number(job, "task", "answer", 42);
}

static int task_fails(ave_job *job, void *opaque)
{
    (void)opaque;
    return ave_job_fail(job, AVE_ERR_INPUT, "task failed on purpose");
}

/* A task runs with a scratch folder that is gone afterwards; its metrics can
 * be read back; its failure message is the job's. */
static void test_run_task(ave_settings *s)
{
    ave_job *job = NULL;
    struct task_seen seen = {0};
    double v = 0;
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", work, NULL), 0);
    CHECK_EQ_INT(ave_job_run_task(job, "task", task_records, &seen), 0);
    CHECK_EQ_INT(seen.calls, 1);
    CHECK(seen.scratch_existed);
    CHECK(!exists(seen.scratch));
    CHECK_EQ_INT(ave_job_metric_get(job, "task", "answer", &v), 0);
    CHECK_NEAR(v, 42, 0);
    CHECK_EQ_INT(ave_job_metric_get(job, "task", "missing", &v), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_job_metric_get(job, "nosection", "answer", &v), AVE_ERR_USAGE);
    ave_job_free(job);

    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", work, NULL), 0);
    CHECK_EQ_INT(ave_job_run_task(job, "task", task_fails, NULL), AVE_ERR_INPUT);
    CHECK(!strcmp(ave_job_errmsg(job), "task failed on purpose"));
    ave_job_free(job);
}

/* The hard --timeout: a task stuck past its deadline in a call that never
 * checks the clock (x264 draining an 8K lookahead) has its partial output
 * and scratch removed and the host told AVE_JOB_OVERDUE_GRACE_S after the
 * limit; writes after that are refused. A task that ends in time is never
 * reported. Run under ThreadSanitizer too (the watchdog is a thread). */
struct overdue_seen {
    atomic_int calls;
    double at;
    char message[256];
    char staged[512], scratch[512];
    int staged_gone, scratch_gone;
};

static void on_overdue(void *opaque, const char *message)
{
    struct overdue_seen *seen = opaque;
    seen->at = ave_now();
    snprintf(seen->message, sizeof(seen->message), "%s", message);
    seen->staged_gone = !exists(seen->staged);
    seen->scratch_gone = !exists(seen->scratch);
    atomic_fetch_add(&seen->calls, 1);
}

static int task_stuck(ave_job *job, void *opaque)
{
    struct overdue_seen *seen = opaque;
    const char *path;
    int r = ave_job_output_begin(job, "video/edited.mp4", &path);
    if (r < 0)
        return r;
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return AVE_ERR_IO;
    fputs("partial", fp);
    fclose(fp);
    snprintf(seen->staged, sizeof(seen->staged), "%s", path);
    snprintf(seen->scratch, sizeof(seen->scratch), "%s", job->scratch_dir);
    /* no progress checks, like one long library call */
    while (!atomic_load(&seen->calls))
        usleep(1000);
    return ave_job_write_file(job, "late.txt", "x", 1);
}

static int task_quick(ave_job *job, void *opaque)
{
    (void)opaque;
    return ave_job_write_file(job, "done.txt", "ok", 2);
}

static void test_overdue_watchdog(void)
{
    ave_settings *s = NULL;
    ave_job *job = NULL;
    struct overdue_seen seen = {0};
    ave_job_callbacks cb = {.opaque = &seen, .overdue = on_overdue};
    char err[256];
    char *out = path_in("overdue");
    CHECK_EQ_INT(ave_settings_new(&s), 0);
    CHECK_EQ_INT(ave_settings_set(s, "timeout", "0.2", AVE_SRC_FLAG, err, sizeof(err)), 0);

    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", out, &cb), 0);
    double t0 = ave_now();
    CHECK_EQ_INT(ave_job_run_task(job, "stuck", task_stuck, &seen), AVE_ERR_TIMEOUT);
    CHECK_EQ_INT(atomic_load(&seen.calls), 1);
    CHECK_NEAR(seen.at - t0, 0.2 + AVE_JOB_OVERDUE_GRACE_S, 0.15);
    CHECK(strstr(seen.message, "in.mp4: stopped after --timeout 0.2 s") == seen.message);
    CHECK(seen.staged_gone);
    CHECK(seen.scratch_gone);
    CHECK(!strcmp(ave_job_errmsg(job), seen.message));
    CHECK(!exists(out)); /* the job made the folder, and left it empty */
    ave_job_free(job);

    atomic_store(&seen.calls, 0);
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", out, &cb), 0);
    CHECK_EQ_INT(ave_job_run_task(job, "quick", task_quick, NULL), 0);
    ave_job_free(job);
    usleep((useconds_t)((0.2 + AVE_JOB_OVERDUE_GRACE_S + 0.1) * 1e6));
    CHECK_EQ_INT(atomic_load(&seen.calls), 0);
    free(out);
    ave_settings_free(s);
}

/* Running a subset: unknown stage names are refused before anything runs. */
static void test_run_only(ave_settings *s)
{
    ave_job *job = NULL;
    const char *const bogus[] = {"probe", "no-such-stage", NULL};
    CHECK_EQ_INT(ave_job_new(&job, s, "in.mp4", work, NULL), 0);
    CHECK_EQ_INT(ave_job_run_only(job, bogus), AVE_ERR_UNSUPPORTED);
    CHECK(strstr(ave_job_errmsg(job), "no-such-stage") != NULL);
    ave_job_free(job);
}

static void test_exit_codes(void)
{
    CHECK_EQ_INT(ave_exit_code(0), 0);
    CHECK_EQ_INT(ave_exit_code(AVE_ERR_USAGE), 2);
    CHECK_EQ_INT(ave_exit_code(AVE_ERR_INPUT), 3);
    CHECK_EQ_INT(ave_exit_code(AVE_ERR_IO), 4);
    CHECK_EQ_INT(ave_exit_code(AVE_ERR_NOSPACE), 4);
    CHECK_EQ_INT(ave_exit_code(AVE_ERR_TIMEOUT), 5);
    CHECK_EQ_INT(ave_exit_code(AVE_ERR_LIMIT), 6);
    CHECK_EQ_INT(ave_exit_code(AVE_ERR_CANCELLED), 130);
    CHECK_EQ_INT(ave_exit_code(AVE_ERR_INTERNAL), 1);
    CHECK(strcmp(ave_strerror(AVE_ERR_NOSPACE), "no space left on device") == 0);
}

int main(void)
{
    snprintf(work, sizeof(work), "/tmp/ave-test-job-XXXXXX");
    if (!mkdtemp(work))
        return 1;
    ave_settings *s = NULL;
    CHECK_EQ_INT(ave_settings_new(&s), 0);
    test_errors_and_budget(s);
    test_timeout_and_cancel(s);
    test_stop_across_threads(s);
    test_staged_outputs(s);
    test_stale_cleanup();
    test_fs_helpers();
    test_run_task(s);
    test_run_only(s);
    test_overdue_watchdog();
    test_exit_codes();
    ave_settings_free(s);
    ave_fs_remove_tree(work);
    return CHECK_DONE();
}
