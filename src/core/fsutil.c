/* Filesystem helpers: recursive create/remove/measure and crash leftovers.
 * Written with opendir/lstat rather than nftw because nftw's callback has no
 * user pointer and measuring a tree would need global state. Trees here are
 * small (a job's scratch or staging folder), so recursion depth is shallow.
 * Removal alone works on directory descriptors and allocates nothing. */
#include "core/fsutil.h"

#include "ave/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

char *ave_fs_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *out = malloc(a + b + 2);
    if (!out)
        return NULL;
    memcpy(out, dir, a);
    size_t pos = a;
    if (a > 0 && dir[a - 1] != '/')
        out[pos++] = '/';
    memcpy(out + pos, name, b + 1);
    return out;
}

int ave_fs_mkdir_p(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -ENOMEM;
    int ret = 0;
    for (char *p = copy + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
            ret = -errno;
            break;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    if (ret == 0) {
        struct stat st;
        if (stat(path, &st) < 0)
            ret = -errno;
        else if (!S_ISDIR(st.st_mode))
            ret = -ENOTDIR;
    }
    free(copy);
    return ret;
}

/* The fixed part of a getdents64 record (the kernel's linux_dirent64). */
struct dirent_rec {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

static int remove_at(int dirfd, const char *name, unsigned char type);

/* Empty the folder open as fd. Reads entries with getdents64 into a stack
 * buffer rather than opendir/readdir, which malloc: removal is the cleanup
 * of failed jobs, out-of-memory ones included, and must not need memory
 * (the allocation-failure test found staging folders left behind when the
 * DIR or a joined path could not be allocated). */
static int remove_contents(int fd)
{
    _Alignas(8) char buf[4096];
    int ret = 0;
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
        if (n < 0)
            return -errno;
        if (n == 0)
            return ret;
        for (long pos = 0; pos < n;) {
            const struct dirent_rec *d = (const struct dirent_rec *)(buf + pos);
            pos += d->reclen;
            if (!strcmp(d->name, ".") || !strcmp(d->name, ".."))
                continue;
            int r = remove_at(fd, d->name, d->type);
            if (r < 0 && ret == 0)
                ret = r;
        }
    }
}

static int remove_at(int dirfd, const char *name, unsigned char type)
{
    struct stat st;
    if (type == DT_UNKNOWN) {
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            return errno == ENOENT ? 0 : -errno;
        type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
    }
    if (type != DT_DIR)
        return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    int ret = remove_contents(fd);
    close(fd);
    if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT && ret == 0)
        ret = -errno;
    return ret;
}

int ave_fs_remove_tree(const char *path)
{
    return remove_at(AT_FDCWD, path, DT_UNKNOWN);
}

int64_t ave_fs_tree_bytes(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return st.st_size;
    if (!S_ISDIR(st.st_mode))
        return 0;
    DIR *dir = opendir(path);
    if (!dir)
        return 0;
    int64_t total = 0;
    struct dirent *ent;
    while ((ent = readdir(dir))) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
            continue;
        char *child = ave_fs_join(path, ent->d_name);
        if (!child)
            break;
        total += ave_fs_tree_bytes(child);
        free(child);
    }
    closedir(dir);
    return total;
}

int ave_fs_check_writable_dir(const char *path)
{
    char *probe = strdup(path);
    if (!probe)
        return -ENOMEM;
    int ret;
    for (;;) {
        struct stat st;
        if (stat(probe, &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                ret = -ENOTDIR;
            else
                ret = access(probe, W_OK | X_OK) == 0 ? 0 : -errno;
            break;
        }
        if (errno != ENOENT) {
            ret = -errno;
            break;
        }
        char *slash = strrchr(probe, '/');
        if (!slash) {
            strcpy(probe, ".");
        } else if (slash == probe) {
            probe[1] = '\0';
        } else {
            *slash = '\0';
        }
    }
    free(probe);
    return ret;
}

int ave_fs_sync_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    int ret = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    return ret;
}

int ave_fs_remove_stale(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t plen = strlen(prefix);
    int removed = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        if (strncmp(ent->d_name, prefix, plen) != 0)
            continue;
        char *end;
        long pid = strtol(ent->d_name + plen, &end, 10);
        if (end == ent->d_name + plen || (*end != '\0' && *end != '-') || pid <= 0)
            continue;
        /* Only a process that is gone leaves a folder for us to take. */
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char *child = ave_fs_join(dir, ent->d_name);
        if (child && ave_fs_remove_tree(child) == 0)
            removed++;
        free(child);
    }
    closedir(d);
    return removed;
}

int ave_fs_read_file(const char *path, size_t max, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *b = NULL;
    int ret = AVE_ERR_INPUT;

    *buf = NULL;
    *len = 0;
    if (!f)
        return AVE_ERR_INPUT;
    if (fstat(fileno(f), &st) < 0)
        goto out;
    if (st.st_size < 0 || (uint64_t)st.st_size > max) {
        errno = EFBIG;
        goto out;
    }
    if (!(b = malloc((size_t)st.st_size + 1))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    if (fread(b, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        errno = EIO;
        goto out;
    }
    b[st.st_size] = '\0';
    *buf = b;
    *len = (size_t)st.st_size;
    b = NULL;
    ret = 0;
out:
    free(b);
    fclose(f);
    return ret;
}
