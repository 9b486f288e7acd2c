/* Claiming an output folder for one job, and keeping the input out of harm.
 *
 * Two jobs writing into one folder interleave their results (one job's video
 * beside the other's audio), so a job holds an exclusive flock on the folder
 * itself from start to end; a second job fails at once instead of waiting,
 * because a user who started both by mistake wants to know. The lock is on
 * the directory's own descriptor, so no lock file is left behind and the
 * kernel drops it when the process dies.
 *
 * The input can sit inside the output folder (`process o/video/edited.mp4
 * --output o`); publishing would then rename the edit over the recording.
 * The early check refuses an input inside the folders and files the job
 * writes (the documented layout); the check at publish compares inodes, so
 * links and other spellings of the same file are caught too. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ave/error.h"
#include "core/fsutil.h"
#include "core/job_internal.h"

/* The result layout of README's "What you get": first path components that
 * belong to the job. An input inside any of them would be replaced or
 * removed as a stale result by a later run. */
static const char *const result_names[] = {
    "video", "audio", "subtitles", "analysis", "metadata", "broll", "thumbnails", "analytics",
    "exports", "shorts", "timeline.json", "transcript.json", "transcript.txt", NULL};

static int is_result_path(const char *rel)
{
    size_t first = strcspn(rel, "/");
    for (const char *const *n = result_names; *n; n++)
        if (strlen(*n) == first && !strncmp(rel, *n, first))
            return 1;
    return !strncmp(rel, ".ave-", 5);
}

/* The input's real path relative to the output folder's real path, or NULL
 * when it lies outside (or either cannot be resolved). */
static const char *input_inside(const char *out_real, const char *in_real)
{
    size_t n = strlen(out_real);
    if (strncmp(in_real, out_real, n) || in_real[n] != '/')
        return NULL;
    return in_real + n + 1;
}

static int protect_input(ave_job *job)
{
    char out_real[PATH_MAX], in_real[PATH_MAX];
    if (!realpath(job->output_dir, out_real) || !realpath(job->input_path, in_real))
        return 0; /* the input is checked by probe; the folder was just made */
    const char *rel = input_inside(out_real, in_real);
    if (rel && is_result_path(rel))
        return ave_job_fail(job, AVE_ERR_USAGE,
                            "%s: the input is one of the results in %s and would be replaced; "
                            "copy it elsewhere or choose another --output",
                            job->input_path, job->output_dir);
    return 0;
}

int ave_job_outputs_claim(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    struct stat st;
    int existed = stat(job->output_dir, &st) == 0;
    int r = ave_fs_mkdir_p(job->output_dir);
    if (r < 0)
        return ave_job_fail(job, r == -ENOSPC ? AVE_ERR_NOSPACE : AVE_ERR_IO,
                            "%s: cannot create output folder: %s", job->output_dir, strerror(-r));
    in->created_output_dir = !existed;
    int fd = open(job->output_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ave_job_fail(job, AVE_ERR_IO, "%s: cannot open output folder: %s",
                            job->output_dir, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return ave_job_fail(job, AVE_ERR_IO,
                                "%s: another job is writing to this output folder; wait for it "
                                "or choose another --output",
                                job->output_dir);
        return ave_job_fail(job, AVE_ERR_IO, "%s: cannot lock output folder: %s",
                            job->output_dir, strerror(e));
    }
    in->output_lock_fd = fd + 1;
    return protect_input(job);
}

void ave_job_outputs_release(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    if (in->output_lock_fd > 0)
        close(in->output_lock_fd - 1); /* closing drops the flock */
    in->output_lock_fd = 0;
}

int ave_job_output_is_input(const ave_job *job, const char *final_path)
{
    struct stat a, b;
    return stat(job->input_path, &a) == 0 && stat(final_path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}
