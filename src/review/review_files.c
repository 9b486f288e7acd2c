/* The review server's file access: whole small files (timeline.json,
 * transcript.json), atomic replacement for a save, and opening a file to
 * serve only when its real path is inside the output folder.
 * The containment check is made on the file actually opened (its
 * /proc/self/fd link), so a symbolic link swapped in between a check and the
 * open cannot lead outside. Linux-only, like the rest of the program. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ave/error.h"
#include "core/fsutil.h"
#include "review/review_internal.h"

int review_read(const char *root, const char *rel, char **buf, size_t *len)
{
    char *path = ave_fs_join(root, rel);
    if (!path)
        return AVE_ERR_NOMEM;
    int r = ave_fs_read_file(path, REVIEW_MAX_FILE, buf, len);
    free(path);
    return r;
}

int review_write_atomic(const char *root, const char *rel, const char *data, size_t len)
{
    char *path = ave_fs_join(root, rel), *tmp = NULL;
    int fd = -1, r = AVE_ERR_IO;

    if (!path)
        return AVE_ERR_NOMEM;
    size_t n = strlen(path) + 32;
    if (!(tmp = malloc(n))) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    snprintf(tmp, n, "%s.review-XXXXXX", path);
    if ((fd = mkstemp(tmp)) < 0)
        goto out;
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            r = errno == ENOSPC ? AVE_ERR_NOSPACE : AVE_ERR_IO;
            goto out;
        }
        done += (size_t)w;
    }
    /* The same permissions as a file the pipeline writes. */
    if (fchmod(fd, 0644) < 0 || fsync(fd) < 0 || close(fd) < 0) {
        fd = -1;
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) < 0)
        goto out;
    r = 0;
out:
    if (fd >= 0)
        close(fd);
    if (r < 0 && tmp)
        unlink(tmp);
    free(tmp);
    free(path);
    return r;
}

int review_open_inside(const char *root, const char *path, const char *allowed, uint64_t *size)
{
    char link[64], real[PATH_MAX];
    struct stat st;
    size_t rl = strlen(root);

    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? AVE_ERR_INPUT : AVE_ERR_USAGE;
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, sizeof(real) - 1);
    if (n <= 0 || fstat(fd, &st) < 0) {
        close(fd);
        return AVE_ERR_USAGE;
    }
    real[n] = '\0';
    int inside = strncmp(real, root, rl) == 0 && real[rl] == '/';
    if (allowed && !strcmp(real, allowed))
        inside = 1;
    if (!inside || !S_ISREG(st.st_mode)) {
        close(fd);
        return AVE_ERR_USAGE;
    }
    /* Back to blocking: libmicrohttpd reads it with sendfile/pread. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    *size = (uint64_t)st.st_size;
    return fd;
}
