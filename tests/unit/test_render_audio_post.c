/* The render's audio thread (src/render/audio_thread.c), driven through the
 * probe and render stage objects with a job->audio_post of the test's own in
 * place of the enhance chain the pipeline offers:
 * - a post-processing that copies its input changes nothing: the output has
 *   the same audio samples and video bytes as the in-line render, and
 *   audio_post.ran is set for the pipeline;
 * - one that fails at once, or after the video encode has started, fails the
 *   render with its own one-line message, no staged output and no file of
 *   the thread's left in the scratch folder;
 * - one that waits for the job to stop ends with --timeout's code and
 *   message, with the same clean-up.
 * The input (4 s, 320x240 H.264 + AAC) is made with ffmpeg. Each render
 * runs in a child process: a second libx264 encoder in one process does not
 * give the first one's bytes for the same frames (measured here: the in-line
 * render run after another one differs too, and from run to run), so only
 * the first encoder of a process is comparable. */
#include <dirent.h>
#include <stdio.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/ave.h"
#include "ave/stage.h"
#include "check.h"

extern const ave_stage ave_stage_probe;
extern const ave_stage ave_stage_render;

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int ret = in && out ? 0 : -1;

    while (ret == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            ret = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ret = -1;
    return ret;
}

static int post_copy(ave_job *job, const void *opts, const char *in, const char *out)
{
    (void)opts;
    return copy_file(in, out) == 0 ? 0 : ave_job_fail(job, AVE_ERR_IO, "test: cannot copy");
}

static int post_fail(ave_job *job, const void *opts, const char *in, const char *out)
{
    (void)opts;
    (void)in;
    (void)out;
    return ave_job_fail(job, AVE_ERR_IO, "test: the audio post-processing failed");
}

static int post_fail_late(ave_job *job, const void *opts, const char *in, const char *out)
{
    usleep(400000); /* the video thread is encoding by now */
    return post_fail(job, opts, in, out);
}

/* Like a long chain: works until the job says stop (--timeout). */
static int post_until_stopped(ave_job *job, const void *opts, const char *in, const char *out)
{
    int ret;
    (void)opts;
    (void)in;
    (void)out;
    while ((ret = ave_job_progress(job, 0)) == 0)
        usleep(10000);
    return ret;
}

typedef struct run {
    ave_audio_post_fn post;
    const char *keep; /* copy the rendered file here */
    int ret, ran, staged, scratch_files;
} run;

static int run_stage(const ave_stage *st, ave_job *job)
{
    void *priv = st->priv_size ? calloc(1, st->priv_size) : NULL;
    const void *opts = ave_settings_stage_opts(job->settings, st->name);
    int ret = st->init ? st->init(priv, opts, job) : 0;

    if (ret == 0 && st->run)
        ret = st->run(priv, opts, job);
    if (st->uninit)
        st->uninit(priv, job);
    free(priv);
    return ret;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static int task(ave_job *job, void *opaque)
{
    run *r = opaque;
    const char *staged;
    int ret = run_stage(&ave_stage_probe, job);

    if (ret < 0)
        return ret;
    memset(&job->audio_post, 0, sizeof(job->audio_post));
    job->audio_post.run = r->post;
    job->audio_post.stage = "testpost";
    r->ret = run_stage(&ave_stage_render, job);
    r->ran = job->audio_post.ran;
    staged = ave_job_output_path(job, "video/edited.mp4");
    r->staged = staged != NULL;
    r->scratch_files = count_files(job->scratch_dir);
    if (r->ret == 0 && r->keep && staged && copy_file(staged, r->keep) < 0)
        return AVE_ERR_IO;
    return r->ret;
}

/* Render in with post in a child process; the job's code, its message in
 * msg, r filled. */
typedef struct result {
    run r;
    int code;
    char msg[1024];
} result;

static int render_here(const char *dir, const char *in, run *r, const char *timeout, char *msg,
                       size_t msg_size)
{
    ave_settings *s = NULL;
    ave_job *job = NULL;
    char err[256], out[600];
    int ret;

    if (ave_settings_new(&s) < 0)
        return AVE_ERR_NOMEM;
    ave_settings_set(s, "temp-dir", dir, AVE_SRC_FLAG, err, sizeof err);
    ave_settings_set(s, "progress", "false", AVE_SRC_FLAG, err, sizeof err);
    if (timeout)
        ave_settings_set(s, "timeout", timeout, AVE_SRC_FLAG, err, sizeof err);
    snprintf(out, sizeof out, "%s/out", dir);
    if ((ret = ave_job_new(&job, s, in, out, NULL)) == 0) {
        ret = ave_job_run_task(job, "render", task, r);
        snprintf(msg, msg_size, "%s", ave_job_errmsg(job));
    }
    ave_job_free(job);
    ave_settings_free(s);
    return ret;
}

static int render(const char *dir, const char *in, run *r, const char *timeout, char *msg,
                  size_t msg_size)
{
    result res;
    int fd[2], status;
    pid_t pid;

    memset(&res, 0, sizeof res);
    fflush(stdout);
    fflush(stderr);
    if (pipe(fd) != 0 || (pid = fork()) < 0)
        return AVE_ERR_INTERNAL;
    if (pid == 0) {
        close(fd[0]);
        res.r = *r;
        res.code = render_here(dir, in, &res.r, timeout, res.msg, sizeof res.msg);
        /* exit, not _exit: LeakSanitizer checks the child at exit */
        exit(write(fd[1], &res, sizeof res) == (ssize_t)sizeof res ? 0 : 1);
    }
    close(fd[1]);
    if (read(fd[0], &res, sizeof res) != (ssize_t)sizeof res)
        res.code = AVE_ERR_INTERNAL;
    close(fd[0]);
    /* a child that leaked or crashed fails the test */
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        res.code = AVE_ERR_INTERNAL;
    *r = res.r;
    snprintf(msg, msg_size, "%s", res.msg);
    return res.code;
}

/* md5 of a stream as ffmpeg decodes (audio) or copies (video) it. */
static int stream_md5(const char *path, int video, char *md5, size_t size)
{
    char cmd[1200];
    FILE *p;
    int ok;

    snprintf(cmd, sizeof cmd,
             video ? "ffmpeg -v error -i '%s' -map 0:v -c copy -f h264 - | md5sum"
                   : "ffmpeg -v error -i '%s' -map 0:a -f s16le - | md5sum",
             path);
    if (!(p = popen(cmd, "r")))
        return -1;
    ok = fgets(md5, (int)size, p) != NULL;
    pclose(p);
    return ok ? 0 : -1;
}

int main(void)
{
    char dir[] = "/tmp/test_render_audio_post.XXXXXX", in[600], a[600], b[600], cmd[2000];
    char msg[1024], ma[64], mb[64];
    run r;

    ave_log_set_level(AVE_LOG_ERROR);
    if (!mkdtemp(dir))
        return 1;
    snprintf(in, sizeof in, "%s/in.mp4", dir);
    snprintf(cmd, sizeof cmd,
             "ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=320x240:rate=25 "
             "-f lavfi -i 'sine=f=330:sample_rate=48000,volume=enable=between(t\\,1.5\\,2.5):volume=0' "
             "-t 4 -map 0:v -map 1:a -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac "
             "-b:a 96k '%s'",
             in);
    if (system(cmd) != 0) {
        fprintf(stderr, "cannot make the input with ffmpeg\n");
        return 1;
    }

    /* in line (nothing offered) against the thread with a copying post */
    snprintf(a, sizeof a, "%s/inline.mp4", dir);
    snprintf(b, sizeof b, "%s/thread.mp4", dir);
    r = (run){.post = NULL, .keep = a};
    CHECK_EQ_INT(render(dir, in, &r, NULL, msg, sizeof msg), 0);
    CHECK_EQ_INT(r.ran, 0);
    r = (run){.post = post_copy, .keep = b};
    CHECK_EQ_INT(render(dir, in, &r, NULL, msg, sizeof msg), 0);
    CHECK_EQ_INT(r.ran, 1);
    CHECK_EQ_INT(r.scratch_files, 0);
    CHECK(stream_md5(a, 0, ma, sizeof ma) == 0 && stream_md5(b, 0, mb, sizeof mb) == 0);
    printf("audio in line %.12s, on the thread %.12s\n", ma, mb);
    CHECK(!strcmp(ma, mb));
    CHECK(stream_md5(a, 1, ma, sizeof ma) == 0 && stream_md5(b, 1, mb, sizeof mb) == 0);
    printf("video in line %.12s, on the thread %.12s\n", ma, mb);
    CHECK(!strcmp(ma, mb));

    /* failures on the thread, before and while the video encodes */
    for (int late = 0; late < 2; late++) {
        r = (run){.post = late ? post_fail_late : post_fail};
        CHECK_EQ_INT(render(dir, in, &r, NULL, msg, sizeof msg), AVE_ERR_IO);
        printf("failing post (%s): '%s'\n", late ? "late" : "early", msg);
        CHECK(!strcmp(msg, "test: the audio post-processing failed"));
        CHECK_EQ_INT(r.ret, AVE_ERR_IO);
        CHECK_EQ_INT(r.ran, 0);
        CHECK_EQ_INT(r.staged, 0);
        CHECK_EQ_INT(r.scratch_files, 0);
    }

    /* --timeout while the post-processing runs */
    r = (run){.post = post_until_stopped};
    CHECK_EQ_INT(render(dir, in, &r, "1", msg, sizeof msg), AVE_ERR_TIMEOUT);
    printf("--timeout: '%s'\n", msg);
    CHECK(strstr(msg, "--timeout 1 s") != NULL && !strchr(msg, '\n'));
    CHECK_EQ_INT(r.staged, 0);
    CHECK_EQ_INT(r.scratch_files, 0);

    CHECK_EQ_INT(count_files(dir), 3); /* in, inline, thread: the jobs left nothing */
    unlink(in);
    unlink(a);
    unlink(b);
    rmdir(dir);
    return CHECK_DONE();
}
