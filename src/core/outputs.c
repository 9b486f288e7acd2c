/* All-or-nothing outputs. Stages write into <output>/.ave-partial-<pid>/ and
 * commit each file; only a fully successful job renames them into place.
 * Staging inside the output folder keeps every rename on one filesystem, so
 * publishing is cheap and each file appears atomically. A crashed run leaves
 * only a staging folder, which the next run removes (its pid is gone). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ave/error.h"
#include "ave/log.h"
#include "core/array_grow.h"
#include "core/fsutil.h"
#include "core/job_internal.h"

#include <cjson/cJSON.h>

#define STAGING_PREFIX ".ave-partial-"

static int io_error(ave_job *job, int err, const char *what, const char *path)
{
    return ave_job_fail(job, err == -ENOSPC ? AVE_ERR_NOSPACE : AVE_ERR_IO, "%s: %s: %s", path,
                        what, strerror(-err));
}

static int ensure_staging(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    if (in->staging_dir)
        return 0;
    struct stat st;
    int existed = stat(job->output_dir, &st) == 0;
    int r = ave_fs_mkdir_p(job->output_dir);
    if (r < 0)
        return io_error(job, r, "cannot create output folder", job->output_dir);
    if (!in->output_lock_fd) /* else the claim made it and knows */
        in->created_output_dir = !existed;
    ave_fs_remove_stale(job->output_dir, STAGING_PREFIX);

    char name[64];
    snprintf(name, sizeof(name), STAGING_PREFIX "%ld", (long)getpid());
    char *dir = ave_fs_join(job->output_dir, name);
    if (!dir)
        return AVE_ERR_NOMEM;
    /* A folder with our own pid can only be from this process (an earlier
     * job of the same run that failed to clean up): start afresh. */
    ave_fs_remove_tree(dir);
    if (mkdir(dir, 0755) < 0) {
        r = io_error(job, -errno, "cannot create staging folder", dir);
        free(dir);
        return r;
    }
    in->staging_dir = dir;
    return 0;
}

static ave_output_file *find_output(const ave_job *job, const char *relpath)
{
    for (size_t i = 0; i < job->internal->output_count; i++)
        if (!strcmp(job->internal->outputs[i].relpath, relpath))
            return &job->internal->outputs[i];
    return NULL;
}

static int valid_relpath(const char *relpath)
{
    return relpath[0] && relpath[0] != '/' && !strstr(relpath, "..");
}

static int output_begin(ave_job *job, const char *relpath, const char **tmp_path)
{
    struct ave_job_internal *in = job->internal;
    if (in->abandoned) /* the message (the timeout's) is already recorded */
        return ave_job_fail(job, AVE_ERR_TIMEOUT, "%s: output abandoned", relpath);
    if (!valid_relpath(relpath))
        return ave_job_fail(job, AVE_ERR_INTERNAL, "invalid output name '%s'", relpath);
    int r = ensure_staging(job);
    if (r < 0)
        return r;

    ave_output_file *f = find_output(job, relpath);
    if (!f) {
        ave_output_file *grown =
            array_grow(in->outputs, &in->output_cap, in->output_count + 1, sizeof(*grown), 8);
        if (!grown)
            return AVE_ERR_NOMEM;
        in->outputs = grown;
        f = &in->outputs[in->output_count];
        memset(f, 0, sizeof(*f));
        f->relpath = strdup(relpath);
        f->staged = ave_fs_join(in->staging_dir, relpath);
        if (!f->relpath || !f->staged) {
            free(f->relpath);
            free(f->staged);
            return AVE_ERR_NOMEM;
        }
        in->output_count++;
    }
    f->committed = 0;

    char *parent = strdup(f->staged);
    if (!parent)
        return AVE_ERR_NOMEM;
    *strrchr(parent, '/') = '\0';
    r = ave_fs_mkdir_p(parent);
    if (r < 0)
        r = io_error(job, r, "cannot create folder", parent);
    free(parent);
    if (r < 0)
        return r;
    unlink(f->staged);
    *tmp_path = f->staged;
    return 0;
}

static int output_commit(ave_job *job, const char *relpath)
{
    ave_output_file *f = find_output(job, relpath);
    if (!f)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "commit of unknown output '%s'", relpath);
    int r = ave_fs_sync_file(f->staged);
    if (r < 0)
        return io_error(job, r, "cannot flush", f->staged);
    f->committed = 1;
    return 0;
}

void ave_job_output_abort(ave_job *job, const char *relpath)
{
    ave_job_lock(job);
    ave_output_file *f = find_output(job, relpath);
    if (f) {
        unlink(f->staged);
        f->committed = 0;
    }
    ave_job_unlock(job);
}

const char *ave_job_output_path(const ave_job *job, const char *relpath)
{
    ave_job_lock(job);
    ave_output_file *f = find_output(job, relpath);
    const char *path = f && f->committed ? f->staged : NULL;
    ave_job_unlock(job);
    return path; /* the string outlives a growing list: only the array moves */
}

int ave_job_output_begin(ave_job *job, const char *relpath, const char **tmp_path)
{
    ave_job_lock(job);
    int r = output_begin(job, relpath, tmp_path);
    ave_job_unlock(job);
    return r;
}

int ave_job_output_commit(ave_job *job, const char *relpath)
{
    ave_job_lock(job);
    int r = output_commit(job, relpath);
    ave_job_unlock(job);
    return r;
}

int ave_job_write_file(ave_job *job, const char *relpath, const void *data, size_t len)
{
    const char *path;
    int r = ave_job_output_begin(job, relpath, &path);
    if (r < 0)
        return r;
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        r = io_error(job, -errno, "cannot create", path);
        goto fail;
    }
    size_t written = fwrite(data, 1, len, fp);
    int write_errno = errno;
    if (fclose(fp) != 0 && written == len)
        write_errno = errno, written = 0;
    if (written != len) {
        r = io_error(job, -write_errno, "cannot write", path);
        goto fail;
    }
    return ave_job_output_commit(job, relpath);
fail:
    ave_job_output_abort(job, relpath);
    return r;
}

/* Refuse to publish anything that would land on the input itself (the same
 * file under any name); checked for every file before any is moved. */
static int check_input_safe(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    for (size_t i = 0; i < in->output_count; i++) {
        if (!in->outputs[i].committed)
            continue;
        char *final = ave_fs_join(job->output_dir, in->outputs[i].relpath);
        if (!final)
            return AVE_ERR_NOMEM;
        int clash = ave_job_output_is_input(job, final);
        free(final);
        if (clash)
            return ave_job_fail(job, AVE_ERR_USAGE,
                                "%s: %s/%s would replace the input; copy the input elsewhere or "
                                "choose another --output",
                                job->input_path, job->output_dir, in->outputs[i].relpath);
    }
    return 0;
}

static int move_into_place(ave_job *job, ave_output_file *f)
{
    char *final = ave_fs_join(job->output_dir, f->relpath);
    char *parent = final ? strdup(final) : NULL;
    int r = parent ? 0 : AVE_ERR_NOMEM;
    if (parent) {
        *strrchr(parent, '/') = '\0';
        r = ave_fs_mkdir_p(parent);
        if (r == 0 && rename(f->staged, final) < 0)
            r = -errno;
        if (r < 0)
            r = io_error(job, r, "cannot move into place", final);
    }
    free(parent);
    free(final);
    if (r == 0)
        f->committed = 0, f->published = 1;
    return r;
}

int ave_job_outputs_publish(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    cJSON *old = NULL;
    ave_job_lock(job);
    if (in->abandoned) {
        ave_job_unlock(job);
        return AVE_ERR_TIMEOUT;
    }
    in->publishing = 1;
    ave_job_unlock(job);
    int r = check_input_safe(job);
    if (r == 0)
        r = ave_job_manifest_stage(job, &old);
    /* The manifest was staged last, so it is moved last: a crash half-way
     * leaves the old list, which names no file this run has not replaced. */
    for (size_t i = 0; r == 0 && i < in->output_count; i++)
        if (in->outputs[i].committed)
            r = move_into_place(job, &in->outputs[i]);
    if (r == 0)
        ave_job_manifest_remove_stale(job, old);
    cJSON_Delete(old);
    return r;
}

int ave_job_outputs_abandon(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    ave_job_lock(job);
    if (in->publishing) {
        ave_job_unlock(job);
        return 1;
    }
    in->abandoned = 1;
    if (in->staging_dir) {
        /* Renamed first: a stage creating a file by path at this moment
         * then fails (ENOENT) instead of landing in a folder being emptied.
         * The new name keeps the prefix, so a later run still removes it. */
        char *gone = malloc(strlen(in->staging_dir) + sizeof(".abandoned"));
        if (gone) {
            strcpy(gone, in->staging_dir);
            strcat(gone, ".abandoned");
            if (rename(in->staging_dir, gone) == 0)
                ave_fs_remove_tree(gone);
            free(gone);
        }
        ave_fs_remove_tree(in->staging_dir);
    }
    if (job->scratch_dir)
        ave_fs_remove_tree(job->scratch_dir);
    if (in->created_output_dir)
        rmdir(job->output_dir);
    ave_job_unlock(job);
    return 0;
}

void ave_job_outputs_discard(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    ave_job_lock(job);
    if (in->staging_dir) {
        ave_fs_remove_tree(in->staging_dir);
        free(in->staging_dir);
        in->staging_dir = NULL;
    }
    for (size_t i = 0; i < in->output_count; i++)
        in->outputs[i].committed = 0;
    /* rmdir only succeeds on an empty folder: earlier results stay. */
    if (in->created_output_dir && rmdir(job->output_dir) == 0)
        in->created_output_dir = 0;
    ave_job_unlock(job);
}
