/* Allocation-failure injection for one test executable, after curl's and
 * SQLite's "torture" runs: this header defines malloc, calloc, realloc and
 * free, which the dynamic linker then binds for the whole process (the
 * statically linked library, SQLite, cJSON, libyaml and FFmpeg's
 * posix_memalign alike; glibc's strdup and friends call malloc through the
 * same binding). Each forwards
 * to glibc's __libc_* functions, so memory from any path (posix_memalign in
 * FFmpeg included) can be freed by either.
 *
 * While armed it counts allocations, returns NULL for the n-th one (only
 * that one, as a transient failure would), and records every block it hands
 * out in a fixed table, without allocating, so that what is still recorded
 * after the operation is exactly what it leaked.
 *
 * Include it in exactly one test file. Single-threaded use only. Not for
 * sanitizer builds, whose runtimes own malloc: ALLOC_FAIL_AVAILABLE is 0
 * there. */
#ifndef AVE_TEST_ALLOC_FAIL_H
#define AVE_TEST_ALLOC_FAIL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || !defined(__GLIBC__)
#define ALLOC_FAIL_AVAILABLE 0
#else
#define ALLOC_FAIL_AVAILABLE 1

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

/* Live blocks: open addressing on the pointer; a power of two. */
#define ALLOC_FAIL_SLOTS (1u << 18)
static void *af_live[ALLOC_FAIL_SLOTS];
static size_t af_live_count, af_table_full;
static int af_armed;
static long af_count, af_fail_at, af_failed;

static size_t af_hash(const void *p)
{
    uintptr_t x = (uintptr_t)p >> 4;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 20) & (ALLOC_FAIL_SLOTS - 1);
}

static void af_add(void *p)
{
    if (af_live_count >= ALLOC_FAIL_SLOTS / 2) {
        af_table_full = 1;
        return;
    }
    size_t i = af_hash(p);
    while (af_live[i] && af_live[i] != (void *)1)
        i = (i + 1) & (ALLOC_FAIL_SLOTS - 1);
    af_live[i] = p;
    af_live_count++;
}

/* Forget p if recorded; tombstone (1) keeps later probe chains intact. */
static void af_remove(void *p)
{
    size_t i = af_hash(p);
    while (af_live[i]) {
        if (af_live[i] == p) {
            af_live[i] = (void *)1;
            af_live_count--;
            return;
        }
        i = (i + 1) & (ALLOC_FAIL_SLOTS - 1);
    }
}

/* 1 when this allocation is the one to fail. */
static int af_should_fail(void)
{
    if (!af_armed)
        return 0;
    if (++af_count == af_fail_at) {
        af_failed = 1;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    if (af_should_fail())
        return NULL;
    void *p = __libc_malloc(n);
    if (p && af_armed)
        af_add(p);
    return p;
}

void *calloc(size_t n, size_t size)
{
    if (af_should_fail())
        return NULL;
    void *p = __libc_calloc(n, size);
    if (p && af_armed)
        af_add(p);
    return p;
}

void *realloc(void *old, size_t n)
{
    if (!old)
        return malloc(n);
    if (n == 0) {
        free(old);
        return NULL;
    }
    if (af_should_fail())
        return NULL; /* old stays valid, as with a real failure */
    void *p = __libc_realloc(old, n);
    if (p && af_armed) {
        af_remove(old);
        af_add(p);
    }
    return p;
}

/* FFmpeg's av_malloc (the cache's hashing) allocates here. */
int posix_memalign(void **out, size_t align, size_t n)
{
    if (af_should_fail())
        return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    if (af_armed)
        af_add(p);
    *out = p;
    return 0;
}

void free(void *p)
{
    if (!p)
        return;
    if (af_armed)
        af_remove(p);
    __libc_free(p);
}

/* Arm: the n-th allocation from now fails (n <= 0: none does). */
static void alloc_fail_arm(long n)
{
    memset(af_live, 0, sizeof(af_live));
    af_live_count = 0;
    af_table_full = 0;
    af_count = 0;
    af_failed = 0;
    af_fail_at = n;
    af_armed = 1;
}

/* Disarm; returns the blocks allocated while armed and not freed, or -1
 * when more were live than the table holds. *failed: whether the injected
 * failure happened (the operation made at least n allocations). */
static long alloc_fail_disarm(int *failed, long *allocations)
{
    af_armed = 0;
    *failed = (int)af_failed;
    if (allocations)
        *allocations = af_count;
    return af_table_full ? -1 : (long)af_live_count;
}
#endif
#endif
