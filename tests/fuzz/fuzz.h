/* Shared by the fuzz targets: a check that stops the run (libFuzzer then
 * keeps the input as a crash), silenced logging, and a NUL-terminated copy
 * of the input for parsers that take C strings. */
#ifndef AVE_FUZZ_H
#define AVE_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/log.h"

/* A broken promise of the parser is a bug like a crash: abort on it. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void fuzz_no_log(void *opaque, int level, const char *stage, const char *msg)
{
    (void)opaque, (void)level, (void)stage, (void)msg;
}

/* Scratch files and folders are named "<dir>/ave-fuzz-<target>-<pid>-XXXXXX"
 * and removed at exit; a run that crashes leaves them, and run.sh removes
 * them by the pid it started. */

/* Logging off: millions of rejected inputs would only print warnings. */
static inline void fuzz_quiet(void)
{
    ave_log_set_callback(fuzz_no_log, NULL);
}

/* data as a C string (malloc'd; NULL when out of memory). An embedded NUL
 * ends the text early, as it would for the file read by the real caller. */
/* The input as a file, for parsers that take a path: one file per process
 * (named after tag), rewritten for each input and removed at exit. Returns
 * its path, or NULL when it cannot be written. */
static char fuzz_file_path[96];

static void fuzz_remove_file(void)
{
    unlink(fuzz_file_path);
}

static inline const char *fuzz_write_file(const char *tag, const uint8_t *data, size_t size)
{
    FILE *f;
    if (!fuzz_file_path[0]) {
        int fd;
        /* memory-backed where there is one: the parsers reread it per input */
        snprintf(fuzz_file_path, sizeof(fuzz_file_path), "%s/ave-fuzz-%s-%ld-XXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", tag, (long)getpid());
        if ((fd = mkstemp(fuzz_file_path)) < 0) {
            fuzz_file_path[0] = '\0';
            return NULL;
        }
        close(fd);
        atexit(fuzz_remove_file);
    }
    if (!(f = fopen(fuzz_file_path, "wb")))
        return NULL;
    size_t n = fwrite(data, 1, size, f);
    return fclose(f) == 0 && n == size ? fuzz_file_path : NULL;
}

static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#include "ave/timeline.h"

/* The timeline promise: contiguous segments covering [0, duration). */
static inline void fuzz_check_timeline(const ave_timeline *tl)
{
    int64_t at = 0;
    FUZZ_CHECK(tl->count > 0 && tl->duration_us > 0);
    for (size_t i = 0; i < tl->count; i++) {
        FUZZ_CHECK(tl->segs[i].start_us == at);
        FUZZ_CHECK(tl->segs[i].end_us > tl->segs[i].start_us);
        FUZZ_CHECK(tl->segs[i].keep == 0 || tl->segs[i].keep == 1);
        at = tl->segs[i].end_us;
    }
    FUZZ_CHECK(at == tl->duration_us);
}
#endif
