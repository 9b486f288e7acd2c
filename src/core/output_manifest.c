/* The output folder's manifest (.ave-outputs.json): which files the last
 * job published there, and for which input.
 *
 * A second `process` into the same folder must not leave the first run's
 * video, thumbnails or analysis beside its own results: the folder would
 * describe two recordings at once. Only files this program wrote are ever
 * removed, and only because the manifest names them; anything else the user
 * keeps in the folder is never touched. A partial job (`render`,
 * `transcribe`, `--export-only`) on the same input updates the set instead
 * of replacing it, because the files it does not rewrite are still that
 * input's results. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ave/error.h"
#include "ave/log.h"
#include "core/fsutil.h"
#include "core/job_internal.h"

#define MANIFEST_NAME ".ave-outputs.json"
#define MANIFEST_MAX_BYTES (4 << 20) /* thousands of paths; more is not ours */

static int valid_relpath(const char *p)
{
    if (!p[0] || p[0] == '/' || strstr(p, "..") || strstr(p, "//"))
        return 0;
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return 0;
    return 1;
}

/* The previous manifest, or NULL when there is none or it is unreadable
 * (then nothing is removed: a damaged list must not delete files). */
static cJSON *read_manifest(const char *output_dir)
{
    char *path = ave_fs_join(output_dir, MANIFEST_NAME), *text = NULL;
    cJSON *root = NULL;
    size_t len;
    if (!path || ave_fs_read_file(path, MANIFEST_MAX_BYTES, &text, &len) < 0 || len == 0)
        goto out; /* none (or unreadable): nothing to remove */
    root = cJSON_ParseWithLength(text, len);
    if (root && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "files"))) {
        cJSON_Delete(root);
        root = NULL;
    }
    if (!root)
        ave_log(AVE_LOG_WARNING, "outputs", "%s: unreadable; earlier results are left as they are",
                path);
out:
    free(text);
    free(path);
    return root;
}

static const char *manifest_string(const cJSON *root, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int committed(const ave_job *job, const char *rel)
{
    const struct ave_job_internal *in = job->internal;
    for (size_t i = 0; i < in->output_count; i++)
        if ((in->outputs[i].committed || in->outputs[i].published) && !strcmp(in->outputs[i].relpath, rel))
            return 1;
    return 0;
}

/* Whether the old results stay beside this job's (a partial job on the same
 * recording, or --export-only, which adds NLE timelines to a rendered edit)
 * or are replaced. */
static int keeps_old(const ave_job *job, const cJSON *old)
{
    int partial = job->internal->only_stages || (job->cfg && job->cfg->export_only);
    return partial && old && job->input_fingerprint[0] &&
           !strcmp(manifest_string(old, "input_fingerprint"), job->input_fingerprint);
}

int ave_job_manifest_stage(ave_job *job, cJSON **old_out)
{
    struct ave_job_internal *in = job->internal;
    cJSON *old = read_manifest(job->output_dir), *root = cJSON_CreateObject(), *files;
    char *text = NULL;
    int r = AVE_ERR_NOMEM;

    *old_out = old;
    if (!root || !cJSON_AddNumberToObject(root, "version", 1) ||
        !cJSON_AddStringToObject(root, "input", job->input_path) ||
        !cJSON_AddStringToObject(root, "input_fingerprint", job->input_fingerprint) ||
        !(files = cJSON_AddArrayToObject(root, "files")))
        goto out;
    for (size_t i = 0; i < in->output_count; i++)
        if (in->outputs[i].committed &&
            !cJSON_AddItemToArray(files, cJSON_CreateString(in->outputs[i].relpath)))
            goto out;
    if (keeps_old(job, old)) {
        const cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(old, "files"))
        {
            if (cJSON_IsString(f) && valid_relpath(f->valuestring) &&
                !committed(job, f->valuestring) && strcmp(f->valuestring, MANIFEST_NAME) &&
                !cJSON_AddItemToArray(files, cJSON_CreateString(f->valuestring)))
                goto out;
        }
    }
    if (!(text = cJSON_Print(root)))
        goto out;
    r = ave_job_write_file(job, MANIFEST_NAME, text, strlen(text));
out:
    cJSON_free(text);
    cJSON_Delete(root);
    return r;
}

/* Remove now-empty folders from rel's parent up to (not including) the
 * output folder. */
static void prune_parents(const char *output_dir, const char *rel)
{
    char *path = ave_fs_join(output_dir, rel);
    size_t base = strlen(output_dir);
    for (char *slash; path && (slash = strrchr(path, '/')) && (size_t)(slash - path) > base;) {
        *slash = '\0';
        if (rmdir(path) < 0)
            break;
    }
    free(path);
}

/* path resolves to a place inside the output folder (no folder on the way
 * is a link that leads out of it). */
static int stays_inside(const char *out_real, const char *path)
{
    char real[PATH_MAX];
    size_t n = strlen(out_real);
    return realpath(path, real) && !strncmp(real, out_real, n) && real[n] == '/';
}

void ave_job_manifest_remove_stale(ave_job *job, const cJSON *old)
{
    char out_real[PATH_MAX];
    const cJSON *f;
    if (!old || keeps_old(job, old) || !realpath(job->output_dir, out_real))
        return;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(old, "files"))
    {
        if (!cJSON_IsString(f) || !valid_relpath(f->valuestring) ||
            !strcmp(f->valuestring, MANIFEST_NAME) || committed(job, f->valuestring))
            continue;
        char *path = ave_fs_join(job->output_dir, f->valuestring);
        struct stat st;
        /* Only regular files we wrote, never through a link, never the input. */
        if (path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
            stays_inside(out_real, path) && !ave_job_output_is_input(job, path)) {
            if (unlink(path) == 0)
                prune_parents(job->output_dir, f->valuestring);
            else
                ave_log(AVE_LOG_WARNING, "outputs", "%s: cannot remove an earlier result: %s",
                        path, strerror(errno));
        }
        free(path);
    }
}
