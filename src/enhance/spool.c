/* The float spool between the two passes (see enhance_internal.h): loudness
 * normalisation needs the integrated loudness of the whole processed
 * signal before the first sample can be written, so pass 1 writes its
 * output here and pass 2 reads it back (twice if the gain must be
 * corrected). The file is created in the job's scratch folder and unlinked
 * at once, so it disappears even if the process dies. Native-endian float,
 * interleaved, buffered by stdio. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enhance/interleave.h"

#include "enhance/enhance_internal.h"

#define FRAMES 4096 /* interleave buffer */

struct enh_spool {
    ave_job *job;
    FILE *f;
    int channels;
    float *inter;
    int64_t frames;
};

static int io_fail(enh_spool *s, const char *what)
{
    int code = errno == ENOSPC ? AVE_ERR_NOSPACE : AVE_ERR_IO;
    return ave_job_fail(s->job, code, "%s: %s the enhancement spool: %s", s->job->scratch_dir,
                        what, strerror(errno));
}

int enh_spool_new(enh_spool **out, ave_job *job, int channels)
{
    enh_spool *s = calloc(1, sizeof(*s));
    char *path = NULL;
    const char *dir = job->scratch_dir ? job->scratch_dir : "/tmp";
    size_t len = strlen(dir) + 32;
    int fd;

    *out = s;
    if (!s || !(path = malloc(len)) ||
        !(s->inter = malloc(sizeof(float) * FRAMES * (size_t)channels))) {
        free(path);
        return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
    }
    s->job = job;
    s->channels = channels;
    snprintf(path, len, "%s/enhance-XXXXXX", dir);
    fd = mkstemp(path);
    if (fd < 0) {
        int ret = ave_job_fail(job, errno == ENOSPC ? AVE_ERR_NOSPACE : AVE_ERR_IO,
                               "%s: cannot create the enhancement spool: %s", path,
                               strerror(errno));
        free(path);
        return ret;
    }
    unlink(path);
    free(path);
    if (!(s->f = fdopen(fd, "w+b"))) {
        close(fd);
        return io_fail(s, "cannot open");
    }
    return 0;
}

int enh_spool_write(enh_spool *s, const float *const *planes, size_t n)
{
    for (size_t done = 0; done < n;) {
        size_t k = n - done < FRAMES ? n - done : FRAMES;
        enh_interleave(planes, s->channels, done, k, s->inter);
        if (fwrite(s->inter, sizeof(float) * (size_t)s->channels, k, s->f) != k)
            return io_fail(s, "cannot write");
        done += k;
    }
    s->frames += (int64_t)n;
    return 0;
}

int enh_spool_rewind(enh_spool *s)
{
    if (fflush(s->f) != 0 || fseek(s->f, 0, SEEK_SET) != 0)
        return io_fail(s, "cannot rewind");
    return 0;
}

int enh_spool_read(enh_spool *s, float *const *planes, size_t max, size_t *n)
{
    size_t k, got;

    *n = 0;
    k = max < FRAMES ? max : FRAMES;
    got = fread(s->inter, sizeof(float) * (size_t)s->channels, k, s->f);
    if (got < k && ferror(s->f))
        return io_fail(s, "cannot read");
    enh_deinterleave(s->inter, s->channels, got, planes);
    *n = got;
    return 0;
}

int64_t enh_spool_frames(const enh_spool *s)
{
    return s->frames;
}

void enh_spool_free(enh_spool *s)
{
    if (!s)
        return;
    if (s->f)
        fclose(s->f);
    free(s->inter);
    free(s);
}
