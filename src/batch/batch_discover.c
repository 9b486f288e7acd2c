/* Batch input discovery and output naming: folders expand to their media
 * files (by extension, sorted, optionally recursive), files are taken as
 * given, and each input gets a unique output folder name.
 *
 * Sorting by name makes the job order, and so the output names chosen for
 * duplicate base names, the same on every run of the same command. Paths are
 * made absolute so the job table identifies an input however it was named. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ave/batch.h"
#include "ave/error.h"
#include "core/array_grow.h"

#define MAX_DEPTH 32

typedef struct path_list {
    char **items;
    size_t count, cap;
} path_list;

static int list_add(path_list *l, const char *path)
{
    char **items = array_grow(l->items, &l->cap, l->count + 1, sizeof(*items), 16);
    if (!items)
        return AVE_ERR_NOMEM;
    l->items = items;
    char *copy = strdup(path);
    if (!copy)
        return AVE_ERR_NOMEM;
    l->items[l->count++] = copy;
    return 0;
}

void ave_batch_free_list(char **list, size_t count)
{
    for (size_t i = 0; list && i < count; i++)
        free(list[i]);
    free(list);
}

int ave_batch_is_media_name(const char *path)
{
    static const char *const exts[] = {"mp4", "mov", "mkv", "webm", "avi", "m4v", "mts", "ts",
                                       "flv", "wmv", "mpg", "mpeg", "3gp", "wav", "mp3", "m4a",
                                       "aac", "flac", "ogg", "opus", "wma", "aiff", NULL};
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return 0;
    for (int i = 0; exts[i]; i++)
        if (!strcasecmp(dot + 1, exts[i]))
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder of our own results: a batch's output root or one job's output
 * folder. Its edited videos are results, not inputs, so a batch whose
 * output folder lies inside its input folder finds the same inputs again
 * on every rerun. */
static int is_results_folder(const char *dir)
{
    static const char *const markers[] = {".ave-batch", ".ave-outputs.json",
                                          "analytics/performance_metrics.json", NULL};
    char path[PATH_MAX];
    struct stat st;
    for (const char *const *m = markers; *m; m++)
        if (snprintf(path, sizeof(path), "%s/%s", dir, *m) < (int)sizeof(path) &&
            lstat(path, &st) == 0)
            return 1;
    return 0;
}

/* Adds dir's media files (sorted) to out; recurses into subfolders. */
static int scan_dir(const char *dir, int recursive, int depth, path_list *out)
{
    path_list here = {0}, subdirs = {0};
    int r = 0;
    DIR *d = opendir(dir);
    if (!d)
        return AVE_ERR_INPUT;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* hidden files, ".", "..", and our own .ave-* folders */
        char path[PATH_MAX];
        if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
            continue;
        struct stat st;
        if (stat(path, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (recursive && depth < MAX_DEPTH && !is_results_folder(path) &&
                (r = list_add(&subdirs, path)) < 0)
                goto out;
        } else if (S_ISREG(st.st_mode) && ave_batch_is_media_name(path)) {
            if ((r = list_add(&here, path)) < 0)
                goto out;
        }
    }
    if (here.count)
        qsort(here.items, here.count, sizeof(*here.items), cmp_str);
    for (size_t i = 0; i < here.count; i++)
        if ((r = list_add(out, here.items[i])) < 0)
            goto out;
    if (subdirs.count)
        qsort(subdirs.items, subdirs.count, sizeof(*subdirs.items), cmp_str);
    for (size_t i = 0; i < subdirs.count; i++)
        if ((r = scan_dir(subdirs.items[i], recursive, depth + 1, out)) < 0 && r != AVE_ERR_INPUT)
            goto out;
    r = 0;
out:
    closedir(d);
    ave_batch_free_list(here.items, here.count);
    ave_batch_free_list(subdirs.items, subdirs.count);
    return r;
}

static int contains(const path_list *l, size_t from, const char *path)
{
    for (size_t i = from; i < l->count; i++)
        if (!strcmp(l->items[i], path))
            return 1;
    return 0;
}

int ave_batch_discover(const char *const *args, size_t nargs, int recursive, char ***paths_out,
                       size_t *count_out, char *err, size_t errlen)
{
    path_list all = {0}, found = {0};
    int r = 0;
    *paths_out = NULL;
    *count_out = 0;
    for (size_t i = 0; i < nargs; i++) {
        char abs[PATH_MAX];
        struct stat st;
        if (stat(args[i], &st) < 0 || !realpath(args[i], abs)) {
            snprintf(err, errlen, "%s: %s", args[i], strerror(errno));
            r = AVE_ERR_INPUT;
            goto out;
        }
        if (S_ISDIR(st.st_mode)) {
            size_t before = found.count;
            if ((r = scan_dir(abs, recursive, 0, &found)) < 0) {
                snprintf(err, errlen, "%s: cannot list the folder", args[i]);
                goto out;
            }
            if (found.count == before) {
                snprintf(err, errlen, "%s: no video or audio files in this folder%s", args[i],
                         recursive ? "" : " (subfolders need --recursive)");
                r = AVE_ERR_INPUT;
                goto out;
            }
        } else if ((r = list_add(&found, abs)) < 0) {
            goto out;
        }
        for (size_t k = 0; k < found.count; k++)
            if (!contains(&all, 0, found.items[k]) && (r = list_add(&all, found.items[k])) < 0)
                goto out;
        ave_batch_free_list(found.items, found.count);
        memset(&found, 0, sizeof(found));
    }
    *paths_out = all.items;
    *count_out = all.count;
    all.items = NULL;
    all.count = 0;
out:
    if (r == AVE_ERR_NOMEM)
        snprintf(err, errlen, "out of memory listing the inputs");
    ave_batch_free_list(all.items, all.count);
    ave_batch_free_list(found.items, found.count);
    return r;
}

static int name_taken(const char *name, const char *const *taken, size_t ntaken)
{
    for (size_t i = 0; i < ntaken; i++) {
        const char *t = taken[i];
        if (!t)
            continue;
        const char *base = strrchr(t, '/');
        base = base ? base + 1 : t;
        if (!strcmp(base, name))
            return 1;
    }
    return 0;
}

int ave_batch_output_name(const char *input, const char *const *taken, size_t ntaken, char *buf,
                          size_t len)
{
    char stem[NAME_MAX + 1];
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    snprintf(stem, sizeof(stem), "%s", base);
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = '\0';
    if (!stem[0] || !strcmp(stem, ".") || !strcmp(stem, ".."))
        snprintf(stem, sizeof(stem), "input");
    if ((size_t)snprintf(buf, len, "%s", stem) >= len)
        return AVE_ERR_USAGE;
    for (int n = 2; name_taken(buf, taken, ntaken); n++)
        if ((size_t)snprintf(buf, len, "%s-%d", stem, n) >= len)
            return AVE_ERR_USAGE;
    return 0;
}
